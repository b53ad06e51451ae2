import { describe, expect, it } from '@jest/globals';
import { settleBy } from '../../src/check/deadline.js';

const never = new Promise<string>(() => undefined);

describe('settleBy', () => {
  it('gives the work’s value when it settles first', async () => {
    await expect(settleBy(Promise.resolve('done'), 60_000, () => 'late')).resolves.toBe('done');
  });

  it('waits for work that settles later, within the deadline', async () => {
    const later = new Promise<string>((done) =>
      setTimeout(() => {
        done('done');
      }, 20)
    );
    await expect(settleBy(later, 60_000, () => 'late')).resolves.toBe('done');
  });

  it('passes the work’s error on', async () => {
    await expect(settleBy(Promise.reject(new Error('boom')), 60_000, () => 'late')).rejects.toThrow('boom');
  });

  it('gives the stand-in when the work never settles', async () => {
    await expect(settleBy(never, 1, () => 'late')).resolves.toBe('late');
  });

  it('gives the stand-in at once for a deadline already past', async () => {
    let asked = 0;
    const value = await settleBy(never, -5, () => {
      asked++;
      return 'late';
    });
    expect(value).toBe('late');
    expect(asked).toBe(1);
  });

  it('does not ask for the stand-in once the work has settled', async () => {
    let asked = 0;
    await settleBy(Promise.resolve('done'), 1, () => {
      asked++;
      return 'late';
    });
    await new Promise((done) => setTimeout(done, 20));
    expect(asked).toBe(0);
  });
});
