import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Execution } from '../../src/unpod/executions.js';
import { decideEarly } from '../../src/rules/early.js';
import { judge, judgeCounts, type Rules, type VerdictWord } from '../../src/rules/judge.js';
import { CONFIDENCES, parseThreshold } from '../../src/values/percent.js';
import { execution, hex } from '../helpers.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const t = (text: string) => parseThreshold('threshold', text);
const rules = (over: Partial<Rules> = {}): Rules => ({ threshold: t('95'), minTasks: 1, maxAgeMs: undefined, ...over });
const running = (completed: number, total = 25, over: Record<string, unknown> = {}): Execution =>
  execution(hex(1), { status: 'in_progress', completed_tasks: completed, total_tasks: total, ...over });
/** Finished runs before the judged one, newest first. */
const earlier = (counts: readonly (readonly [number, number])[]): Execution[] =>
  counts.map(([completed, total], i) =>
    execution(hex(100 + i), {
      completed_tasks: completed,
      total_tasks: total,
      created: new Date(Date.parse('2026-11-28T10:00:00Z') - (i + 1) * 3_600_000).toISOString()
    })
  );

describe('decideEarly', () => {
  it('passes 24 of 25 against 95 at once, saying why the last task cannot change it', () => {
    const run = running(24);
    const early = decideEarly(run, run, rules(), NOW);
    expect(early).toMatchObject({ status: 'in_progress', completed: 24, total: 25, verdict: { verdict: 'pass' } });
    expect(early?.note).toBe('decided early: 24 of 25 done; even if the last task fails, 96% ≥ 95%');
  });

  it('leaves the outcome open at 22 of 25: three failures would bring it to 88%', () => {
    expect(decideEarly(running(22), running(22), rules(), NOW)).toBeUndefined();
    expect(decideEarly(running(22), running(20), rules({ threshold: t('85') }), NOW)?.note).toBe(
      'decided early: 22 of 25 done; even if the last 3 tasks fail, 88% ≥ 85%'
    );
  });

  it('pools a running run with the finished runs before it: 20 of 25 and two 10 of 10 against 85', () => {
    const runs = [
      running(20),
      ...earlier([
        [10, 10],
        [10, 10]
      ])
    ];
    const early = decideEarly(runs[0]!, runs[0]!, rules({ threshold: t('85'), window: 3 }), NOW, runs);
    expect(early?.note).toBe(
      'decided early: 20 of 25 done; even if the last 5 tasks fail, the 3 runs pooled give 88.89% ≥ 85%'
    );
    expect(early?.verdict.window?.counts).toEqual({ completed: 40, total: 45 });
    // Alone, 20 of 25 is 80%: open.
    expect(decideEarly(runs[0]!, runs[0]!, rules({ threshold: t('85') }), NOW)).toBeUndefined();
  });

  it('decides only on the same positive total seen in two polls in a row', () => {
    expect(decideEarly(running(24), running(0, 0), rules(), NOW)).toBeUndefined();
    expect(decideEarly(running(24), running(3, 30), rules(), NOW)).toBeUndefined();
    expect(decideEarly(running(0, 0), running(0, 0), rules({ threshold: t('0') }), NOW)).toBeUndefined();
    expect(decideEarly(running(24), running(1, 25), rules(), NOW)).toBeDefined();
    const fresh = execution(hex(1), { status: 'pending', completed_tasks: undefined, total_tasks: undefined });
    expect(decideEarly(fresh, fresh, rules({ threshold: t('0') }), NOW)).toBeUndefined();
  });

  it('leaves finished runs, and statuses it does not know, to the usual judgement', () => {
    for (const status of ['completed', 'partially_completed', 'failed', 'cancelled']) {
      const run = running(25, 25, { status });
      expect(decideEarly(run, run, rules(), NOW)).toBeUndefined();
    }
    for (const status of ['pending', 'scheduled', 'running', 'in_progress', 'processing', 'hold']) {
      const run = running(25, 25, { status });
      expect(decideEarly(run, run, rules(), NOW)?.note).toBe('decided early: all 25 tasks done, 100% ≥ 95%');
    }
  });

  it('decides only a pass: a warning or a failure may still become a pass', () => {
    // warn-below: 24 of 25 passes 95 but not 97.
    expect(decideEarly(running(24), running(24), rules({ warnBelow: t('97') }), NOW)).toBeUndefined();
    // 25 of 25 at 95% confidence cannot prove 95%: a warning, so it waits on.
    expect(decideEarly(running(25), running(25), rules({ confidence: '95' }), NOW)).toBeUndefined();
    expect(decideEarly(running(10), running(10), rules({ minTasks: 30, threshold: t('0') }), NOW)).toBeUndefined();
  });

  it('with confidence, says the bound that proved it', () => {
    const run = running(499, 500);
    expect(decideEarly(run, run, rules({ confidence: '95' }), NOW)?.note).toMatch(
      /^decided early: 499 of 500 done; even if the last task fails, 99\.8% ≥ 95%, and at 95% confidence the rate is at least 98\.\d+%$/
    );
  });
});

/** fail < warn < pass. */
const RANK: Record<VerdictWord, number> = { fail: 0, warn: 1, pass: 2 };

const thresholdText = fc
  .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 99 }))
  .map(([whole, hundredths]) => (whole === 100 ? '100' : `${whole}.${String(hundredths).padStart(2, '0')}`));

/** Rules with every rule that looks at counts switched on or off at random. */
const anyRules = fc
  .record({
    threshold: thresholdText,
    band: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
    window: fc.integer({ min: 1, max: 4 }),
    baselineRuns: fc.integer({ min: 1, max: 3 }),
    maxDrop: fc.option(thresholdText, { nil: undefined }),
    confidence: fc.option(fc.constantFrom(...CONFIDENCES), { nil: undefined }),
    minTasks: fc.integer({ min: 0, max: 40 })
  })
  .map((r): Rules => {
    const threshold = t(r.threshold);
    // warn-below is at least the threshold: the threshold plus a band in hundredths, at most 100.
    const warnBelow =
      r.band === undefined
        ? undefined
        : t(
            (Math.min(10_000, Number(threshold.scaled * 10n ** BigInt(2 - threshold.decimals)) + r.band) / 100).toFixed(
              2
            )
          );
    return {
      threshold,
      minTasks: r.minTasks,
      maxAgeMs: undefined,
      window: r.window,
      baselineRuns: r.baselineRuns,
      maxDrop: r.maxDrop === undefined ? undefined : t(r.maxDrop),
      warnBelow,
      confidence: r.confidence
    };
  });

/** A run under way: its total, what is done now, what is done at its end (at least as many). */
const anyRun = fc
  .integer({ min: 1, max: 400 })
  .chain((total) =>
    fc
      .tuple(fc.integer({ min: 0, max: total }), fc.integer({ min: 0, max: total }))
      .map(([a, b]) => ({ total, now: Math.min(a, b), end: Math.max(a, b) }))
  );

const anyEarlier = fc.array(
  fc.integer({ min: 1, max: 200 }).chain((total) => fc.tuple(fc.integer({ min: 0, max: total }), fc.constant(total))),
  { maxLength: 7 }
);

describe('monotonicity: every rule gets no worse as more tasks complete', () => {
  it('the verdict of the pessimistic counts never beats the verdict of any completion of the run (property)', () => {
    fc.assert(
      fc.property(
        anyRules,
        anyRun,
        anyEarlier,
        fc.constantFrom('completed', 'partially_completed'),
        (r, run, before, finished) => {
          const runs = earlier(before);
          const now = running(run.now, run.total);
          const end = running(run.end, run.total, { status: finished });
          const pessimistic = judgeCounts(now, r, NOW, [now, ...runs]);
          const final = judge(end, r, NOW, [end, ...runs]);
          expect(RANK[pessimistic.verdict]).toBeLessThanOrEqual(RANK[final.verdict]);
          // So an early pass is final: every completion passes too.
          if (decideEarly(now, now, r, NOW, [now, ...runs]) !== undefined) expect(final.verdict).toBe('pass');
        }
      ),
      { numRuns: 2000 }
    );
  });

  it('one more completed task never makes the verdict worse (property)', () => {
    fc.assert(
      fc.property(anyRules, anyRun, anyEarlier, (r, run, before) => {
        fc.pre(run.now < run.total);
        const runs = earlier(before);
        const a = running(run.now, run.total);
        const b = running(run.now + 1, run.total);
        expect(RANK[judgeCounts(a, r, NOW, [a, ...runs]).verdict]).toBeLessThanOrEqual(
          RANK[judgeCounts(b, r, NOW, [b, ...runs]).verdict]
        );
      }),
      { numRuns: 2000 }
    );
  });
});
