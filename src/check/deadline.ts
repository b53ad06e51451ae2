/** A bound on work that may never settle by itself: at the deadline a stand-in takes its place. */

/**
 * The value of `work`, or of `standIn()` if `work` has not settled within `ms` (at once for 0 or
 * less). `work` is not cancelled: whoever waits on the result stops waiting, which is what a time
 * limit on the whole step needs.
 */
export function settleBy<T>(work: Promise<T>, ms: number, standIn: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        resolve(standIn());
      },
      Math.max(0, ms)
    );
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    );
  });
}
