import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DataError, type Execution } from '../src/executions.js';
import { chooseLatest, judge, recentRuns, type Rules } from '../src/gate.js';
import { parseThreshold } from '../src/rate.js';
import { execution, hex } from './helpers.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
let counter = 0;
const exec = (over: Record<string, unknown> = {}): Execution => execution(hex(counter++), over);
const rules = (over: Partial<Rules> = {}): Rules => ({
  threshold: parseThreshold('threshold', '95'),
  minTasks: 1,
  maxAgeMs: undefined,
  ...over
});

describe('chooseLatest', () => {
  it('compares instants across offsets and fractions, not the order of data', () => {
    const a = exec({ created: '2026-02-07T05:57:45Z' });
    const b = exec({ created: '2026-02-07T11:27:46+05:30' }); // 05:57:46Z: one second later
    const c = exec({ created: '2026-02-07T05:57:45.999999' });
    expect(chooseLatest([a, b, c])).toBe(b);
    expect(chooseLatest([c, a])).toBe(c);
    expect(chooseLatest([])).toBeUndefined();
  });

  it('picks the maximum whatever the order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 30 }), (seconds) => {
        const runs = seconds.map((s) => exec({ created: new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString() }));
        const latest = chooseLatest(runs)!;
        expect(runs.every((r) => r.created <= latest.created)).toBe(true);
      })
    );
  });
});

describe('recentRuns', () => {
  it('sorts newest first, drops repeated run ids, and limits', () => {
    const old = exec({ created: '2026-01-01T00:00:00Z' });
    const mid = exec({ created: '2026-01-02T00:00:00Z' });
    const neu = exec({ created: '2026-01-03T00:00:00Z' });
    expect(recentRuns([old, neu, mid, neu], 10)).toEqual([neu, mid, old]);
    expect(recentRuns([old, neu, mid], 2)).toEqual([neu, mid]);
  });
});

describe('judge', () => {
  it('passes a run at or above the threshold, with its rate', () => {
    expect(judge(exec({ completed_tasks: 24 }), rules(), NOW)).toEqual({
      passed: true,
      reason: '',
      counts: { completed: 24, total: 25 },
      rate: '96'
    });
  });

  it('fails below the threshold, saying by how much', () => {
    const v = judge(exec({ completed_tasks: 23 }), rules(), NOW);
    expect(v.passed).toBe(false);
    expect(v.rate).toBe('92');
    expect(v.reason).toMatch(/completed 23 of 25 tasks \(92%\), below the threshold of 95%\.$/);
  });

  it('decides exactly where floats would not, and shows the miss', () => {
    expect(
      judge(exec({ completed_tasks: 29, total_tasks: 100 }), rules({ threshold: parseThreshold('t', '29') }), NOW)
        .passed
    ).toBe(true);
    const v = judge(
      exec({ completed_tasks: 2, total_tasks: 3 }),
      rules({ threshold: parseThreshold('t', '66.67') }),
      NOW
    );
    expect(v.passed).toBe(false);
    expect(v.reason).toContain('(66.667%), below the threshold of 66.67%');
    expect(v.rate).toBe('66.667');
    expect(
      judge(exec({ completed_tasks: 2, total_tasks: 3 }), rules({ threshold: parseThreshold('t', '66.66') }), NOW)
        .passed
    ).toBe(true);
  });

  it('fails a failed run whatever its counts', () => {
    const v = judge(exec({ status: 'failed', completed_tasks: 25 }), rules(), NOW);
    expect(v.passed).toBe(false);
    expect(v.reason).toMatch(/failed\.$/);
    expect(judge(exec({ status: 'failed', total_tasks: null }), rules(), NOW).passed).toBe(false);
  });

  it('judges partially_completed by its rate', () => {
    expect(judge(exec({ status: 'partially_completed', completed_tasks: 24 }), rules(), NOW).passed).toBe(true);
    expect(judge(exec({ status: 'partially_completed', completed_tasks: 20 }), rules(), NOW).passed).toBe(false);
  });

  it.each(['cancelled', 'brand_new_status', 'COMPLETE'])(
    'fails a %s run saying the status is unknown to the gate',
    (status) => {
      const v = judge(exec({ status, completed_tasks: 10 }), rules(), NOW);
      expect(v.passed).toBe(false);
      expect(v.reason).toMatch(
        new RegExp(
          `^Run "R[0-9a-f]{32}" has the status "${status}" \\(10 of 25 tasks done\\), which is unknown to the gate: it cannot tell whether the run has finished, so it cannot judge it\\.$`
        )
      );
    }
  );

  it.each(['pending', 'running', 'scheduled', 'in_progress', 'processing', 'hold', 'Hold'])(
    'fails a %s run as unfinished, with its counts',
    (status) => {
      const v = judge(exec({ status, completed_tasks: 10 }), rules(), NOW);
      expect(v.passed).toBe(false);
      expect(v.reason).toContain(`is still "${status}" (10 of 25 tasks done)`);
      expect(
        judge(exec({ status, completed_tasks: undefined, total_tasks: undefined }), rules(), NOW).reason
      ).toContain('no task counts yet');
    }
  );

  it('fails a finished run with no tasks, without NaN', () => {
    const v = judge(exec({ total_tasks: 0, completed_tasks: 0 }), rules({ minTasks: 0 }), NOW);
    expect(v).toEqual({
      passed: false,
      reason: expect.stringContaining('0 tasks, so it has no completion rate') as unknown,
      counts: { completed: 0, total: 0 }
    });
    expect(JSON.stringify(v)).not.toMatch(/NaN|Infinity/);
  });

  it('fails a run with fewer tasks than min-tasks', () => {
    const v = judge(exec({ total_tasks: 4, completed_tasks: 4 }), rules({ minTasks: 5 }), NOW);
    expect(v.passed).toBe(false);
    expect(v.reason).toContain('has 4 tasks, fewer than min-tasks 5');
    expect(v.rate).toBe('100');
  });

  it('fails a run older than max-age as stale', () => {
    const v = judge(exec({ created: '2026-11-20T12:00:00Z' }), rules({ maxAgeMs: 7 * 86_400_000 }), NOW);
    expect(v.passed).toBe(false);
    expect(v.reason).toContain('is stale: it was created 8d 0h ago, more than max-age 7d 0h');
    expect(judge(exec({ created: '2026-11-22T12:00:00Z' }), rules({ maxAgeMs: 7 * 86_400_000 }), NOW).passed).toBe(
      true
    );
  });

  it('throws a DataError for a finished run with inconsistent counts', () => {
    expect(() => judge(exec({ completed_tasks: 30 }), rules(), NOW)).toThrow(DataError);
    expect(() => judge(exec({ total_tasks: '25' }), rules(), NOW)).toThrow(/'total_tasks'/);
  });
});

describe('the rules at their boundaries', () => {
  it('lets the run listed first win a tie in created, and keeps listed order among equals', () => {
    const created = '2026-02-07T05:57:45Z';
    const first = exec({ created });
    const second = exec({ created });
    expect(chooseLatest([first, second])).toBe(first);
    expect(chooseLatest([second, first])).toBe(second);
    const older = exec({ created: '2026-02-07T05:57:44Z' });
    expect(recentRuns([first, older, second], 10)).toEqual([first, second, older]);
    expect(recentRuns([second, older, first], 10)).toEqual([second, first, older]);
  });

  it('passes a run with exactly min-tasks tasks, and fails one with one fewer', () => {
    const run = exec({ total_tasks: 5, completed_tasks: 5 });
    expect(judge(run, rules({ minTasks: 5 }), NOW)).toEqual({
      passed: true,
      reason: '',
      counts: { completed: 5, total: 5 },
      rate: '100'
    });
    const v = judge(run, rules({ minTasks: 6 }), NOW);
    expect(v.passed).toBe(false);
    expect(v.reason).toMatch(/has 5 tasks, fewer than min-tasks 6: too few to prove anything\.$/);
    expect(judge(exec({ total_tasks: 1, completed_tasks: 1 }), rules({ minTasks: 2 }), NOW).reason).toContain(
      'has 1 task, fewer than min-tasks 2'
    );
  });

  it('passes a run exactly max-age old, and fails one a millisecond older', () => {
    const created = '2026-11-21T12:00:00Z';
    const week = 7 * 86_400_000;
    expect(judge(exec({ created }), rules({ maxAgeMs: week }), NOW).passed).toBe(true);
    const v = judge(exec({ created }), rules({ maxAgeMs: week }), NOW + 1);
    expect(v).toEqual({
      passed: false,
      reason: expect.stringContaining('is stale: it was created 7d 0h ago, more than max-age 7d 0h.') as unknown,
      counts: { completed: 25, total: 25 },
      rate: '100'
    });
  });

  it("gives a failed run's counts and rate, and none where there are none", () => {
    const failed = judge(exec({ status: 'failed', completed_tasks: 3, total_tasks: 4 }), rules(), NOW);
    expect(failed).toEqual({ passed: false, reason: failed.reason, counts: { completed: 3, total: 4 }, rate: '75' });
    expect(failed.reason).toMatch(/^Run "R[0-9a-f]{32}" failed\.$/);
    const empty = judge(exec({ status: 'failed', completed_tasks: 0, total_tasks: 0 }), rules(), NOW);
    expect(empty).toEqual({ passed: false, reason: empty.reason, counts: { completed: 0, total: 0 } });
    const broken = judge(exec({ status: ' FAILED ', completed_tasks: 30 }), rules(), NOW);
    expect(broken).toEqual({ passed: false, reason: broken.reason });
  });
});
