import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DataError, type Execution } from '../../src/unpod/executions.js';
import { chooseLatest, judge, recentRuns, type Rules } from '../../src/rules/judge.js';
import { parseThreshold } from '../../src/values/percent.js';
import { execution, hex } from '../helpers.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
let counter = 0;
const exec = (over: Record<string, unknown> = {}): Execution => execution(hex(counter++), over);
const t = (text: string) => parseThreshold('threshold', text);
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
    const run = exec({ completed_tasks: 24 });
    expect(judge(run, rules(), NOW)).toEqual({
      passed: true,
      verdict: 'pass',
      reason: '',
      warning: '',
      counts: { completed: 24, total: 25 },
      rate: '96',
      window: { runs: [run], counts: { completed: 24, total: 25 }, rate: '96' },
      notes: []
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
    expect(v).toMatchObject({
      passed: false,
      verdict: 'fail',
      reason: expect.stringContaining('0 tasks, so it has no completion rate') as unknown,
      counts: { completed: 0, total: 0 }
    });
    expect(v.rate).toBeUndefined();
    expect(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x))).not.toMatch(/NaN|Infinity/);
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
  it('breaks a tie in created by run_id, the greater being the later, whatever the order listed', () => {
    const created = '2026-02-07T05:57:45Z';
    const low = execution(hex(7), { created });
    const high = execution(hex(8), { created: '2026-02-07T11:27:45+05:30' }); // the same instant
    expect(chooseLatest([low, high])).toBe(high);
    expect(chooseLatest([high, low])).toBe(high);
    const older = execution(hex(9), { created: '2026-02-07T05:57:44Z' });
    expect(recentRuns([low, older, high], 10)).toEqual([high, low, older]);
    expect(recentRuns([high, older, low], 10)).toEqual([high, low, older]);
  });

  it('passes a run with exactly min-tasks tasks, and fails one with one fewer', () => {
    const run = exec({ total_tasks: 5, completed_tasks: 5 });
    expect(judge(run, rules({ minTasks: 5 }), NOW)).toEqual({
      passed: true,
      verdict: 'pass',
      reason: '',
      warning: '',
      counts: { completed: 5, total: 5 },
      rate: '100',
      window: { runs: [run], counts: { completed: 5, total: 5 }, rate: '100' },
      notes: []
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
      verdict: 'fail',
      reason: expect.stringContaining('is stale: it was created 7d 0h ago, more than max-age 7d 0h.') as unknown,
      warning: '',
      counts: { completed: 25, total: 25 },
      rate: '100',
      notes: []
    });
  });

  it("gives a failed run's counts and rate, and none where there are none", () => {
    const failed = judge(exec({ status: 'failed', completed_tasks: 3, total_tasks: 4 }), rules(), NOW);
    const failing = { passed: false, verdict: 'fail', warning: '', notes: [] };
    expect(failed).toEqual({ ...failing, reason: failed.reason, counts: { completed: 3, total: 4 }, rate: '75' });
    expect(failed.reason).toMatch(/^Run "R[0-9a-f]{32}" failed\.$/);
    const empty = judge(exec({ status: 'failed', completed_tasks: 0, total_tasks: 0 }), rules(), NOW);
    expect(empty).toEqual({ ...failing, reason: empty.reason, counts: { completed: 0, total: 0 } });
    const broken = judge(exec({ status: ' FAILED ', completed_tasks: 30 }), rules(), NOW);
    expect(broken).toEqual({ ...failing, reason: broken.reason });
  });
});

describe('judge over a window and a baseline', () => {
  /** Runs newest first: run i created i hours before NOW, with the given completed of 100. */
  const history = (completed: number[], over: Record<string, unknown> = {}): Execution[] =>
    completed.map((done, i) =>
      execution(hex(1000 + i), {
        total_tasks: 100,
        completed_tasks: done,
        created: new Date(NOW - (i + 1) * 3_600_000).toISOString(),
        ...over
      })
    );

  it('pools the window exactly: equality with the threshold passes, one task less fails', () => {
    const runs = history([90, 100, 95]); // 285 of 300 = 95%
    const pass = judge(runs[0]!, rules({ window: 3 }), NOW, runs);
    expect(pass).toMatchObject({ passed: true, verdict: 'pass', window: { counts: { completed: 285, total: 300 } } });
    expect(pass.rate).toBe('90'); // the judged run's own rate is kept
    const less = history([90, 99, 95]);
    const fail = judge(less[0]!, rules({ window: 3 }), NOW, less);
    expect(fail.reason).toBe(
      `Runs "${hex(1000)}", "${hex(1001)}" and "${hex(1002)}" pooled completed 284 of 300 tasks (94.67%), below the threshold of 95%.`
    );
  });

  it('lets a window absorb a noisy dip that fails alone', () => {
    const runs = history([92, 99, 98, 97, 99]);
    expect(judge(runs[0]!, rules(), NOW, runs).passed).toBe(false);
    expect(judge(runs[0]!, rules({ window: 5 }), NOW, runs).passed).toBe(true);
  });

  it('says when the window holds fewer runs than asked', () => {
    const runs = history([96, 97]);
    const v = judge(runs[0]!, rules({ window: 5 }), NOW, runs);
    expect(v.notes).toEqual(['The window of 5 holds 2 runs.']);
    const short = history([80, 97]);
    expect(judge(short[0]!, rules({ window: 5 }), NOW, short).reason).toMatch(
      /^Runs "R\w+" and "R\w+" \(the window of 5 holds 2 runs\) pooled completed 177 of 200 tasks/
    );
  });

  it('applies min-tasks to the pooled total and max-age to the judged run only', () => {
    const runs = history([2, 3], { total_tasks: 3 });
    expect(judge(runs[0]!, rules({ window: 2, minTasks: 6, threshold: t('0') }), NOW, runs).passed).toBe(true);
    expect(judge(runs[0]!, rules({ window: 2, minTasks: 7, threshold: t('0') }), NOW, runs).reason).toMatch(
      /pooled 6 tasks, fewer than min-tasks 7/
    );
    const old = [runs[0]!, execution(hex(7), { created: '2020-01-01T00:00:00Z' })];
    expect(judge(old[0]!, rules({ window: 2, maxAgeMs: 7_200_000, threshold: t('0') }), NOW, old).passed).toBe(true);
  });

  it('fails a window with a run whose counts cannot be trusted, naming it', () => {
    const runs = [...history([99]), execution(hex(5), { created: '2026-11-01T00:00:00Z', total_tasks: null })];
    expect(() => judge(runs[0]!, rules({ window: 2 }), NOW, runs)).toThrow(
      new RegExp(`run "${hex(5)}" with 'total_tasks' null`)
    );
  });

  it('fails a judged run without tasks whatever the runs before it, as rule 7 says', () => {
    const runs = [execution(hex(5), { total_tasks: 0, completed_tasks: 0, created: new Date(NOW).toISOString() })];
    const before = [...runs, ...history([100, 100])];
    const v = judge(runs[0]!, rules({ window: 3, minTasks: 0, maxDrop: t('1'), baselineRuns: 1 }), NOW, before);
    expect(v).toEqual({
      passed: false,
      verdict: 'fail',
      reason: `Run "${hex(5)}" finished with 0 tasks, so it has no completion rate.`,
      warning: '',
      notes: [],
      counts: { completed: 0, total: 0 }
    });
  });

  it('gives a run without tasks before the judged one no slot in the window or the baseline', () => {
    const runs = history([90, 0, 80, 0, 70], { total_tasks: 100 }).map((r, i) =>
      i % 2 === 1 ? { ...r, totalTasks: 0 } : r
    );
    const v = judge(runs[0]!, rules({ window: 2, threshold: t('0'), maxDrop: t('50'), baselineRuns: 5 }), NOW, runs);
    expect(v.window?.runs.map((r) => r.runId)).toEqual([hex(1000), hex(1002)]);
    expect(v.baseline?.runs.map((r) => r.runId)).toEqual([hex(1004)]);
    expect(v.notes).toEqual([]);
  });

  it('max-drop: exactly max-drop below the baseline passes, beyond fails', () => {
    const base = [99, 99, 99, 99, 99];
    const at = (rate: number) => history([rate, ...base]);
    const r = rules({ threshold: t('90'), maxDrop: t('5'), baselineRuns: 5 });
    expect(judge(at(94)[0]!, r, NOW, at(94))).toMatchObject({
      passed: true,
      baseline: { counts: { completed: 495, total: 500 }, rate: '99' }
    });
    expect(judge(at(93)[0]!, r, NOW, at(93)).reason).toBe(
      '93% is 6 points below the baseline of 99% (5 runs before), more than max-drop 5.'
    );
  });

  it('max-drop: skipped with a note when there is no earlier finished run', () => {
    const only = history([80]);
    const v = judge(only[0]!, rules({ threshold: t('50'), maxDrop: t('1'), baselineRuns: 5 }), NOW, only);
    expect(v.passed).toBe(true);
    expect(v.baseline).toBeUndefined();
    expect(v.notes[0]).toMatch(/no baseline: max-drop was not applied/);
  });

  it('reports both failures when the threshold and max-drop fail', () => {
    const runs = history([80, 99]);
    const v = judge(runs[0]!, rules({ maxDrop: t('5'), baselineRuns: 1 }), NOW, runs);
    expect(v.reason).toMatch(
      /below the threshold of 95%\. 80% is 19 points below the baseline of 99% \(1 run before\)/
    );
  });

  it('warn-below: a passing rate under it warns; at it, and equal to the threshold, it passes', () => {
    const v = judge(exec({ completed_tasks: 24 }), rules({ warnBelow: t('97') }), NOW);
    expect(v).toMatchObject({ passed: true, verdict: 'warn', reason: '' });
    expect(v.warning).toMatch(/completed 24 of 25 tasks \(96%\), below warn-below 97% \(the threshold is 95%\)\.$/);
    expect(judge(exec({ completed_tasks: 24 }), rules({ warnBelow: t('96') }), NOW).verdict).toBe('pass');
    const equal = rules({ warnBelow: t('95') });
    expect(judge(exec({ completed_tasks: 24 }), equal, NOW).verdict).toBe('pass');
    expect(judge(exec({ completed_tasks: 23 }), equal, NOW).verdict).toBe('fail');
  });

  it('confidence: a significant shortfall fails, an unproven one warns, both stating the interval', () => {
    const r = rules({ confidence: '95' });
    const noisy = judge(exec({ completed_tasks: 23 }), r, NOW);
    expect(noisy).toMatchObject({ passed: true, verdict: 'warn', interval: { low: '75.0', high: '97.8' } });
    expect(noisy.warning).toMatch(/at 95% confidence the rate is 75\.0% to 97\.8%, which holds the threshold of 95%/);
    const bad = judge(exec({ completed_tasks: 20 }), r, NOW);
    expect(bad.passed).toBe(false);
    expect(bad.reason).toMatch(
      /\(80%\), significantly below the threshold of 95%: at 95% confidence the rate is 60\.9% to 91\.1%\.$/
    );
    const runs = history(
      Array.from({ length: 10 }, () => 92),
      { total_tasks: 25, completed_tasks: 23 }
    );
    expect(judge(runs[0]!, rules({ confidence: '95', window: 10 }), NOW, runs)).toMatchObject({
      passed: false,
      interval: { high: '94.8' }
    });
  });

  it('confidence: a run too small to prove the threshold even at 100% says how many calls could', () => {
    const r = rules({ confidence: '95' });
    const perfect = judge(exec({ completed_tasks: 25 }), r, NOW);
    expect(perfect).toMatchObject({ verdict: 'warn', callsNeeded: 73 });
    expect(perfect.warning).toMatch(
      /so the rate is neither proven below it nor above it; 25 calls cannot prove 95% at 95% confidence even if every one completes: that takes at least 73\.$/
    );
    // 73 calls or more: the straddle is the counts', not the size's, so no hint.
    const big = judge(exec({ completed_tasks: 70, total_tasks: 73 }), r, NOW);
    expect(big).toMatchObject({ verdict: 'warn', callsNeeded: 73 });
    expect(big.warning).not.toMatch(/calls cannot prove/);
    // A pooled window counts its calls: 3 runs of 25 hold 75.
    const runs = history([23, 25, 25], { total_tasks: 25 });
    const pooled = judge(runs[0]!, rules({ confidence: '95', window: 3 }), NOW, runs);
    expect(pooled.verdict).toBe('warn');
    expect(pooled.warning).not.toMatch(/cannot prove/);
    expect(judge(exec(), rules({ threshold: t('100'), confidence: '95' }), NOW).callsNeeded).toBeUndefined();
    expect(judge(exec(), rules(), NOW).callsNeeded).toBeUndefined();
  });

  it('confidence: a rate proven above the threshold passes without a warning', () => {
    // 250 of 250: even the interval's low end (about 98.5%) clears 95%.
    const v = judge(exec({ completed_tasks: 250, total_tasks: 250 }), rules({ confidence: '95' }), NOW);
    expect(v).toMatchObject({
      passed: true,
      verdict: 'pass',
      reason: '',
      warning: '',
      interval: { position: 'above' }
    });
    expect(Number(v.interval?.low)).toBeGreaterThan(95);
  });

  it('gives every warning in one sentence, the run and its counts said once', () => {
    // 23 of 25 is neither proven below 95% nor at warn-below 97%: two warnings, both kept.
    const v = judge(exec({ completed_tasks: 23 }), rules({ confidence: '95', warnBelow: t('97') }), NOW);
    expect(v.verdict).toBe('warn');
    expect(v.warning).toMatch(
      /^Run "R[0-9a-f]{32}" completed 23 of 25 tasks \(92%\): at 95% confidence the rate is 75\.0% to 97\.8%, which holds the threshold of 95%, so the rate is neither proven below it nor above it; 25 calls cannot prove 95% at 95% confidence even if every one completes: that takes at least 73; it is also below warn-below 97% \(the threshold is 95%\)\.$/
    );
    expect(v.warning.match(/completed 23 of 25/g)).toHaveLength(1);
  });

  it('with window 1 and no new rules, decides exactly as the run alone, whatever came before (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('completed', 'partially_completed', 'failed', 'in_progress', 'pending'),
        fc.nat(60),
        fc.nat(60),
        fc.nat(30),
        fc.array(fc.tuple(fc.nat(30), fc.nat(30)), { maxLength: 8 }),
        (status, a, b, minTasks, earlier) => {
          const [completed, total] = [Math.min(a, b), Math.max(a, b)];
          const run = exec({ status, completed_tasks: completed, total_tasks: total });
          const before = earlier.map(([x, y], i) =>
            exec({
              completed_tasks: Math.min(x, y),
              total_tasks: Math.max(x, y),
              created: `2026-11-0${1 + (i % 9)}T00:00:00Z`
            })
          );
          const today = judge(run, rules({ minTasks }), NOW);
          expect(judge(run, rules({ minTasks, window: 1, baselineRuns: 5 }), NOW, before)).toEqual(today);
          const finished = !['in_progress', 'pending', 'failed'].includes(status);
          const expected =
            finished && total > 0 && total >= minTasks && BigInt(completed) * 100n >= 95n * BigInt(total);
          expect(today.passed).toBe(expected);
          expect(today.verdict).toBe(expected ? 'pass' : 'fail');
        }
      )
    );
  });
});

describe('the numbers a verdict shows agree with every rule that compared them', () => {
  /** Runs newest first, an hour apart, each with its own counts. */
  const runsOf = (...counts: [number, number][]): Execution[] =>
    counts.map(([completed, total], i) =>
      execution(hex(2000 + i), {
        completed_tasks: completed,
        total_tasks: total,
        created: new Date(NOW - (i + 1) * 3_600_000).toISOString()
      })
    );

  it('shows a rate that warn-below warns on below warn-below, everywhere it is shown', () => {
    const [run] = runsOf([18_999, 20_000]);
    const v = judge(run!, rules({ threshold: t('90'), warnBelow: t('95') }), NOW);
    expect(v).toMatchObject({ verdict: 'warn', rate: '94.995', window: { rate: '94.995' } });
    expect(v.warning).toBe(
      `Run "${hex(2000)}" completed 18999 of 20000 tasks (94.995%), below warn-below 95% (the threshold is 90%).`
    );
    // Without warn-below, the threshold alone needs two decimals.
    expect(judge(run!, rules({ threshold: t('90') }), NOW)).toMatchObject({ verdict: 'pass', rate: '95' });
    // A failed run's rate and a window's too.
    const failed = execution(hex(2100), { status: 'failed', completed_tasks: 18_999, total_tasks: 20_000 });
    expect(judge(failed, rules({ threshold: t('90'), warnBelow: t('95') }), NOW).rate).toBe('94.995');
    const pair = runsOf([18_999, 20_000], [18_999, 20_000]);
    const pooled = judge(pair[0]!, rules({ threshold: t('90'), warnBelow: t('95'), window: 2 }), NOW, pair);
    expect(pooled).toMatchObject({ verdict: 'warn', rate: '94.995', window: { rate: '94.995' } });
    const few = judge(
      pair[0]!,
      rules({ threshold: t('90'), warnBelow: t('95'), window: 2, minTasks: 50_000 }),
      NOW,
      pair
    );
    expect(few).toMatchObject({ verdict: 'fail', rate: '94.995', window: { rate: '94.995' } });
  });

  it('shows the rate and the baseline so that their difference agrees with max-drop', () => {
    const runs = runsOf([18_333, 20_000], [9667, 10_000]);
    const v = judge(runs[0]!, rules({ threshold: t('90'), maxDrop: t('5'), baselineRuns: 1 }), NOW, runs);
    expect(v).toMatchObject({
      verdict: 'fail',
      rate: '91.665',
      window: { rate: '91.665' },
      baseline: { rate: '96.67', counts: { completed: 9667, total: 10_000 } }
    });
    expect(v.reason).toBe('91.665% is 5.005 points below the baseline of 96.67% (1 run before), more than max-drop 5.');
    // A window's judged rate takes the digits; the judged run's own rate keeps its own.
    const three = runsOf([18_333, 20_000], [18_333, 20_000], [9667, 10_000]);
    const pooled = judge(
      three[0]!,
      rules({ threshold: t('90'), maxDrop: t('5'), baselineRuns: 1, window: 2 }),
      NOW,
      three
    );
    expect(pooled).toMatchObject({
      verdict: 'fail',
      rate: '91.67',
      window: { rate: '91.665' },
      baseline: { rate: '96.67' }
    });
    // Passing, the drop is not shown, and the rates need only agree with it.
    const fine = judge(runs[0]!, rules({ threshold: t('90'), maxDrop: t('5.01'), baselineRuns: 1 }), NOW, runs);
    expect(fine).toMatchObject({ verdict: 'pass', rate: '91.67', baseline: { rate: '96.67' } });
  });
});
