import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Cancelled, cancellable, cancellation, sleep } from '../../src/unpod/cancel.js';

const limit = (): Cancelled => new Cancelled('step-timeout 5s');

describe('Cancelled', () => {
  it('names the limit that ran out', () => {
    expect(limit()).toMatchObject({
      name: 'Cancelled',
      limit: 'step-timeout 5s',
      message: 'cut short: step-timeout 5s ran out'
    });
  });

  it("is the signal's own reason, or a generic one for any other reason", () => {
    const controller = new AbortController();
    const reason = limit();
    controller.abort(reason);
    expect(cancellation(controller.signal)).toBe(reason);
    const other = new AbortController();
    other.abort(new Error('not ours'));
    expect(cancellation(other.signal)).toMatchObject({ name: 'Cancelled', limit: 'the step' });
  });
});

describe('sleep', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves after its time, with or without a signal', async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    let done = 0;
    void sleep(1000).then(() => done++);
    void sleep(1000, controller.signal).then(() => done++);
    await jest.advanceTimersByTimeAsync(999);
    expect(done).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(done).toBe(2);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with the cancellation at once when aborted, leaving no timer behind', async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    expect(jest.getTimerCount()).toBe(1);
    const reason = limit();
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('starts no timer for a signal already aborted', async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    controller.abort(limit());
    await expect(sleep(10, controller.signal)).rejects.toBeInstanceOf(Cancelled);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('cancellable', () => {
  it('undoes what it started when aborted, and not when it settled first', async () => {
    const undone: string[] = [];
    const controller = new AbortController();
    let finish: ((value: string) => void) | undefined;
    const first = cancellable<string>(controller.signal, (resolve) => {
      finish = resolve;
      return () => undone.push('first');
    });
    finish?.('done');
    await expect(first).resolves.toBe('done');
    const second = cancellable<string>(controller.signal, () => () => undone.push('second'));
    controller.abort(limit());
    await expect(second).rejects.toBeInstanceOf(Cancelled);
    expect(undone).toEqual(['second']);
  });
});
