import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Slots } from '../../src/unpod/slots.js';

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
