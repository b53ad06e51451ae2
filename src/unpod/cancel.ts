/**
 * Cutting work short: the step's time limit reaches every request, queue and timer as an
 * AbortSignal, and whatever is waiting on them rejects with Cancelled at once.
 */

/** Work cut short by a time limit, named in `limit` (`step-timeout 10m 0s`). */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor(readonly limit: string) {
    super(`cut short: ${limit} ran out`);
  }
}

/** Why `signal` aborted, as a Cancelled. */
export function cancellation(signal: AbortSignal): Cancelled {
  const reason: unknown = signal.reason;
  return reason instanceof Cancelled ? reason : new Cancelled('the step');
}

/**
 * Settles like `start` would, or rejects with Cancelled once `signal` aborts; `start` returns
 * how to undo what it set up (a timer, a place in a queue). Rejects at once for a signal
 * already aborted, without starting anything.
 */
export function cancellable<T>(
  signal: AbortSignal | undefined,
  start: (resolve: (value: T) => void) => () => void
): Promise<T> {
  if (signal === undefined) return new Promise<T>((resolve) => start(resolve));
  if (signal.aborted) return Promise.reject(cancellation(signal));
  return new Promise<T>((resolve, reject) => {
    const undo = start((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
    function onAbort(this: AbortSignal): void {
      undo();
      reject(cancellation(this));
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves after `ms`, or rejects with Cancelled when `signal` aborts first, leaving no timer. */
export function sleep(ms: number, signal?: AbortSignal): Promise<undefined> {
  return cancellable<undefined>(signal, (resolve) => {
    const timer = setTimeout(() => {
      resolve(undefined);
    }, ms);
    return () => {
      clearTimeout(timer);
    };
  });
}
