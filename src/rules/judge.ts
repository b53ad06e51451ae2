/** The gate's rules: which run to judge and whether it passes. Pure: data in, verdict out. */
import { formatDuration } from '../values/duration.js';
import {
  describeCounts,
  isFinished,
  isKnownStatus,
  statusKey,
  taskCounts,
  trustedCounts,
  type Execution
} from '../unpod/executions.js';
import { instantToMillis } from '../values/instant.js';
import { formatRateAgainst, meetsThreshold } from './rate.js';
import type { Confidence, Threshold } from '../values/percent.js';
import { checkDrop, type Drop } from './baseline.js';
import { quote } from '../values/text.js';
import type { Limit } from './shown.js';
import { callsNeeded, wilson, type Interval } from './wilson.js';
import { isNewer, listRuns, newestFirst, pool, splitTrend, type Counts } from './window.js';

export interface Rules {
  readonly threshold: Threshold;
  readonly minTasks: number;
  readonly maxAgeMs: number | undefined;
  /** Finished runs pooled, the judged one first; 1 when absent (judge the run alone). */
  readonly window?: number;
  /** Finished runs before the window that form the baseline. */
  readonly baselineRuns?: number;
  /** The most points the judged rate may fall below the baseline's. */
  readonly maxDrop?: Threshold | undefined;
  /** A passing rate below this passes with a warning. */
  readonly warnBelow?: Threshold | undefined;
  /** The threshold rule fails only on a shortfall significant at this confidence. */
  readonly confidence?: Confidence | undefined;
}

/** What the rules said, before `enforce` and `on-api-error`. */
export type VerdictWord = 'pass' | 'warn' | 'fail';

/** Runs pooled into one rate. */
export interface Pooled {
  /** Newest first. */
  readonly runs: readonly Execution[];
  readonly counts: Counts;
  /** The pooled rate in percent, when the total is positive. */
  readonly rate: string | undefined;
}

/** The judgement of one run. */
export interface Verdict {
  readonly passed: boolean;
  readonly verdict: VerdictWord;
  /** Why it failed, in sentences; empty when it passed. */
  readonly reason: string;
  /** Why it passed with a warning; empty otherwise. */
  readonly warning: string;
  /** Valid counts, when the run is finished and has them. */
  readonly counts?: { readonly completed: number; readonly total: number };
  /** The completion rate in percent (`66.67`), when there is one. */
  readonly rate?: string;
  /** What was judged: the judged run and the finished runs before it, pooled. */
  readonly window?: Pooled;
  /** The runs before the window, pooled, when max-drop is set and there are any. */
  readonly baseline?: Pooled;
  /** The Wilson interval of the window, when confidence is set. */
  readonly interval?: Interval;
  /** With confidence, the fewest calls that, all completed, prove the threshold (none at 100 %). */
  readonly callsNeeded?: number;
  /** Things the judgement should say even when it passes: a short window, a missing baseline. */
  readonly notes: readonly string[];
}

/**
 * The latest run: the first newest first (isNewer: by `created` instant, ties by run_id), so
 * the order of `data` does not matter.
 */
export function chooseLatest(executions: readonly Execution[]): Execution | undefined {
  let latest: Execution | undefined;
  for (const execution of executions) {
    if (latest === undefined || isNewer(execution, latest)) latest = execution;
  }
  return latest;
}

/** Runs newest first (isNewer), each run id once (a server may repeat a run), at most `limit`. */
export function recentRuns(executions: readonly Execution[], limit: number): Execution[] {
  const seen = new Set<string>();
  const unique = executions.filter((e) => !seen.has(e.runId) && seen.add(e.runId));
  return unique.sort(newestFirst).slice(0, limit);
}

/**
 * Judges one run, pooled with the finished runs before it in `runs` when the window asks for
 * more than one. Throws DataError when a pooled run's counts cannot be trusted. `now` is epoch
 * milliseconds, for the age rule.
 */
export function judge(run: Execution, rules: Rules, now: number, runs: readonly Execution[] = []): Verdict {
  const name = `Run ${quote(run.runId)}`;
  const key = statusKey(run);
  if (key === 'failed') {
    return fail(`${name} failed.`, withRate(trustedCounts(run), limitsOf(rules)));
  }
  if (!isKnownStatus(run)) {
    return fail(
      `${name} has the status ${quote(run.status, 40)} (${describeCounts(run)}), which is unknown to the gate: it cannot tell whether the run has finished, so it cannot judge it.`
    );
  }
  if (!isFinished(run)) {
    return fail(
      `${name} is still ${quote(run.status, 40)} (${describeCounts(run)}): it has not finished, so it cannot be judged yet.`
    );
  }
  return judgeCounts(run, rules, now, runs);
}

/**
 * Judges a run on its counts as they stand, whatever its status says: what `judge` does to a
 * finished run, and what decide-early does to an unfinished one (its tasks not yet done count as
 * not completed). Throws DataError when a pooled run's counts cannot be trusted.
 */
export function judgeCounts(run: Execution, rules: Rules, now: number, runs: readonly Execution[] = []): Verdict {
  const name = `Run ${quote(run.runId)}`;
  const limits = limitsOf(rules);
  const counts = taskCounts(run);
  const own = withRate(counts, limits);
  if (rules.maxAgeMs !== undefined) {
    const age = now - instantToMillis(run.created);
    if (age > rules.maxAgeMs) {
      return fail(
        `${name} is stale: it was created ${formatDuration(age)} ago, more than max-age ${formatDuration(rules.maxAgeMs)}.`,
        own
      );
    }
  }
  // Rule 7 is the judged run's own: runs pooled with it cannot lend it tasks it never had.
  if (counts.total === 0) return fail(`${name} finished with 0 tasks, so it has no completion rate.`, own);
  const size = rules.window ?? 1;
  const trend = splitTrend(run, runs, size, rules.baselineRuns ?? 0);
  const windowCounts = pool(trend.window);
  const { completed, total } = windowCounts;
  const notes: string[] = [];
  const single = trend.window.length === 1;
  // What was judged, as the subject of a sentence.
  const short =
    size > trend.window.length ? ` (the window of ${size} holds ${plural(trend.window.length, 'run')})` : '';
  if (short !== '') notes.push(`The window of ${size} holds ${plural(trend.window.length, 'run')}.`);
  const what = single ? `${name}${short}` : `Runs ${listRuns(trend.window)}${short} pooled`;
  if (total < rules.minTasks) {
    const few = `${single ? `${what} has` : what} ${plural(total, 'task')}`;
    const window = { runs: trend.window, counts: windowCounts, rate: formatRateAgainst(completed, total, limits) };
    return fail(`${few}, fewer than min-tasks ${rules.minTasks}: too few to prove anything.`, {
      ...own,
      window,
      notes
    });
  }
  // With a baseline, the judged rate is shown at the decimals that also keep the shown drop right.
  let drop: Drop | undefined;
  let baseline: Pooled | undefined;
  let dropped = '';
  if (rules.maxDrop !== undefined) {
    if (trend.baseline.length === 0) {
      notes.push(`No finished run with tasks before the window, so there is no baseline: max-drop was not applied.`);
    } else {
      const counts = pool(trend.baseline);
      drop = checkDrop(windowCounts, counts, rules.maxDrop, limits);
      baseline = { runs: trend.baseline, counts, rate: drop.baselineRate };
      if (drop.fails) {
        dropped = `${drop.rate}% is ${drop.points} points below the baseline of ${drop.baselineRate}% (${plural(trend.baseline.length, 'run')} before), more than max-drop ${rules.maxDrop.text}.`;
      }
    }
  }
  const shown = drop?.rate ?? formatRateAgainst(completed, total, limits);
  const window: Pooled = { runs: trend.window, counts: windowCounts, rate: shown };
  const failures: string[] = [];
  /** Why it warns: each a clause after the run's counts, so that two warnings make one sentence. */
  const warnings: string[] = [];
  const done = `${what} completed ${completed} of ${total} tasks`;
  const interval = rules.confidence === undefined ? undefined : wilson(windowCounts, rules.threshold, rules.confidence);
  const needed = rules.confidence === undefined ? undefined : callsNeeded(rules.threshold, rules.confidence);
  if (interval === undefined) {
    if (!meetsThreshold(completed, total, rules.threshold)) {
      failures.push(`${done} (${shown}%), below the threshold of ${rules.threshold.text}%.`);
    }
  } else {
    const range = `at ${interval.confidence}% confidence the rate is ${interval.low}% to ${interval.high}%`;
    if (interval.position === 'below') {
      failures.push(`${done} (${shown}%), significantly below the threshold of ${rules.threshold.text}%: ${range}.`);
    } else if (interval.position === 'straddles') {
      const few =
        needed !== undefined && total < needed
          ? `; ${plural(total, 'call')} cannot prove ${rules.threshold.text}% at ${interval.confidence}% confidence even if every one completes: that takes at least ${needed}`
          : '';
      warnings.push(
        `: ${range}, which holds the threshold of ${rules.threshold.text}%, so the rate is neither proven below it nor above it${few}`
      );
    }
  }
  if (dropped !== '') failures.push(dropped);
  // The judged run's own rate is the window's when it is judged alone, digits included.
  const result = {
    ...own,
    ...(single ? { rate: shown } : {}),
    window,
    notes,
    ...(baseline ? { baseline } : {}),
    ...(interval ? { interval } : {}),
    ...(needed === undefined ? {} : { callsNeeded: needed })
  };
  if (failures.length > 0) return fail(failures.join(' '), result);
  if (rules.warnBelow !== undefined && !meetsThreshold(completed, total, rules.warnBelow)) {
    const also = warnings.length > 0 ? '; it is also' : ',';
    warnings.push(`${also} below warn-below ${rules.warnBelow.text}% (the threshold is ${rules.threshold.text}%)`);
  }
  if (warnings.length > 0) {
    return {
      passed: true,
      verdict: 'warn',
      reason: '',
      warning: `${done} (${shown}%)${warnings.join('')}.`,
      ...result
    };
  }
  return { passed: true, verdict: 'pass', reason: '', warning: '', ...result };
}

function fail(reason: string, rest: Partial<Omit<Verdict, 'passed' | 'verdict' | 'reason' | 'warning'>> = {}): Verdict {
  return { passed: false, verdict: 'fail', reason, warning: '', notes: [], ...rest };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The counts with their rate, shown against `limits`, when there is one. */
function withRate(
  counts: { completed: number; total: number } | undefined,
  limits: readonly Limit[]
): Pick<Verdict, 'counts' | 'rate'> {
  if (counts === undefined) return {};
  return counts.total > 0 ? { counts, rate: formatRateAgainst(counts.completed, counts.total, limits) } : { counts };
}

/** Every bound the judged rate is compared with, at or above: the threshold, and warn-below when set. */
export function limitsOf(rules: Pick<Rules, 'threshold' | 'warnBelow'>): Limit[] {
  return rules.warnBelow === undefined ? [rules.threshold] : [rules.threshold, rules.warnBelow];
}
