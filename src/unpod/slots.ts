/** A bound on work in flight: at most `limit` holders at once, the rest served in arrival order. */
import { cancellable, cancellation } from './cancel.js';

export class Slots {
  private active = 0;
  private readonly waiting: ((value: undefined) => void)[] = [];

  constructor(private readonly limit: number) {}

  /**
   * Runs `work` once a slot is free, and frees it when `work` settles. Aborting `signal` takes
   * a waiter out of the queue (Cancelled) before it ever holds a slot.
   */
  async use<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw cancellation(signal);
    if (this.active < this.limit) this.active++;
    else {
      await cancellable<undefined>(signal, (resolve) => {
        this.waiting.push(resolve);
        return () => {
          this.waiting.splice(this.waiting.indexOf(resolve), 1);
        };
      });
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.waiting.shift();
      if (next) next(undefined);
      else this.active--;
    }
  }
}
