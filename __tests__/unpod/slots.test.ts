import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Slots } from '../../src/unpod/slots.js';
import { Cancelled } from '../../src/unpod/cancel.js';

describe('Slots', () => {
  it('never lets more than the limit run at once, runs everything, and serves in arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 30 }),
        async (limit, ticks) => {
          const slots = new Slots(limit);
          let running = 0;
          let most = 0;
          const started: number[] = [];
          const results = await Promise.all(
            ticks.map((t, i) =>
              slots.use(async () => {
                started.push(i);
                running++;
                most = Math.max(most, running);
                for (let k = 0; k < t; k++) await Promise.resolve();
                running--;
                return i;
              })
            )
          );
          expect(results).toEqual(ticks.map((_, i) => i));
          expect(most).toBeLessThanOrEqual(limit);
          expect(started).toEqual([...started].sort((a, b) => a - b));
        }
      )
    );
  });

  it('frees the slot when the work fails', async () => {
    const slots = new Slots(1);
    await expect(slots.use(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.use(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});

describe('Slots with a signal', () => {
  /** Work that holds its slot until released. */
  function held(): { work: () => Promise<string>; release: () => void; started: () => boolean } {
    let release: () => void = () => undefined;
    let started = false;
    const gate = new Promise<void>((resolve) => (release = resolve));
    return {
      work: async () => {
        started = true;
        await gate;
        return 'held';
      },
      release: () => {
        release();
      },
      started: () => started
    };
  }

  it('takes an aborted waiter out of the queue: its work never runs, the next in line gets the slot', async () => {
    const slots = new Slots(1);
    const holder = held();
    const holding = slots.use(holder.work);
    const controller = new AbortController();
    const cut = held();
    const cutShort = slots.use(cut.work, controller.signal);
    const next = slots.use(() => Promise.resolve('next'));
    controller.abort(new Cancelled('step-timeout 1s'));
    await expect(cutShort).rejects.toBeInstanceOf(Cancelled);
    holder.release();
    await expect(holding).resolves.toBe('held');
    await expect(next).resolves.toBe('next');
    expect(cut.started()).toBe(false);
    // Nothing is left holding a slot.
    await expect(slots.use(() => Promise.resolve('after'))).resolves.toBe('after');
  });

  it('refuses at once for a signal already aborted, without taking a slot', async () => {
    const slots = new Slots(1);
    const controller = new AbortController();
    controller.abort(new Cancelled('step-timeout 1s'));
    const cut = held();
    await expect(slots.use(cut.work, controller.signal)).rejects.toBeInstanceOf(Cancelled);
    expect(cut.started()).toBe(false);
    await expect(slots.use(() => Promise.resolve('free'))).resolves.toBe('free');
  });

  it('lets work that holds a slot finish: the signal reaches it through the transport, not here', async () => {
    const slots = new Slots(1);
    const controller = new AbortController();
    const holder = held();
    const holding = slots.use(holder.work, controller.signal);
    controller.abort(new Cancelled('step-timeout 1s'));
    holder.release();
    await expect(holding).resolves.toBe('held');
  });
});
