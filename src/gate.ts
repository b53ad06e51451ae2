/** The gate's rules: which run to judge and whether it passes. Pure: data in, verdict out. */
import { formatDuration } from './duration.js';
import { describeCounts, isFinished, isKnownStatus, statusKey, taskCounts, type Execution } from './executions.js';
import { instantToMillis } from './instant.js';
import { formatRateAgainst, meetsThreshold, type Threshold } from './rate.js';
import { quote } from './text.js';

export interface Rules {
  readonly threshold: Threshold;
  readonly minTasks: number;
  readonly maxAgeMs: number | undefined;
}

/** The judgement of one run. */
export interface Verdict {
  readonly passed: boolean;
  /** Why it failed, as one sentence; empty when it passed. */
  readonly reason: string;
  /** Valid counts, when the run is finished and has them. */
  readonly counts?: { readonly completed: number; readonly total: number };
  /** The completion rate in percent (`66.67`), when there is one. */
  readonly rate?: string;
}

/**
 * The latest run by `created` instant; the order of `data` is not trusted. Of runs created at
 * the same instant, the one listed first wins (the server lists newest first).
 */
export function chooseLatest(executions: readonly Execution[]): Execution | undefined {
  let latest: Execution | undefined;
  for (const execution of executions) {
    if (latest === undefined || execution.created > latest.created) latest = execution;
  }
  return latest;
}

/** Runs newest first, each run id once (a server may repeat a run), at most `limit`. */
export function recentRuns(executions: readonly Execution[], limit: number): Execution[] {
  const seen = new Set<string>();
  const unique = executions.filter((e) => !seen.has(e.runId) && seen.add(e.runId));
  return unique.sort((a, b) => (a.created === b.created ? 0 : a.created > b.created ? -1 : 1)).slice(0, limit);
}

/**
 * Judges one run. Throws DataError when a finished run's counts cannot be trusted.
 * `now` is epoch milliseconds, for the age rule.
 */
export function judge(run: Execution, rules: Rules, now: number): Verdict {
  const name = `Run ${quote(run.runId)}`;
  const key = statusKey(run);
  if (key === 'failed') {
    const counts = tryCounts(run);
    return { passed: false, reason: `${name} failed.`, ...withRate(counts, rules) };
  }
  if (!isKnownStatus(run)) {
    return {
      passed: false,
      reason: `${name} has the status ${quote(run.status, 40)} (${describeCounts(run)}), which is unknown to the gate: it cannot tell whether the run has finished, so it cannot judge it.`
    };
  }
  if (!isFinished(run)) {
    return {
      passed: false,
      reason: `${name} is still ${quote(run.status, 40)} (${describeCounts(run)}): it has not finished, so it cannot be judged yet.`
    };
  }
  const counts = taskCounts(run);
  const { completed, total } = counts;
  if (rules.maxAgeMs !== undefined) {
    const age = now - instantToMillis(run.created);
    if (age > rules.maxAgeMs) {
      return {
        passed: false,
        reason: `${name} is stale: it was created ${formatDuration(age)} ago, more than max-age ${formatDuration(rules.maxAgeMs)}.`,
        ...withRate(counts, rules)
      };
    }
  }
  if (total === 0) {
    return { passed: false, reason: `${name} finished with 0 tasks, so it has no completion rate.`, counts };
  }
  if (total < rules.minTasks) {
    return {
      passed: false,
      reason: `${name} has ${total} task${total === 1 ? '' : 's'}, fewer than min-tasks ${rules.minTasks}: too few to prove anything.`,
      ...withRate(counts, rules)
    };
  }
  // Shown with the digits it takes to agree with the verdict, here and wherever it is shown.
  const rate = formatRateAgainst(completed, total, rules.threshold);
  if (!meetsThreshold(completed, total, rules.threshold)) {
    return {
      passed: false,
      reason: `${name} completed ${completed} of ${total} tasks (${rate}%), below the threshold of ${rules.threshold.text}%.`,
      counts,
      rate
    };
  }
  return { passed: true, reason: '', counts, rate };
}

function tryCounts(run: Execution): { completed: number; total: number } | undefined {
  try {
    return taskCounts(run);
  } catch {
    return undefined;
  }
}

function withRate(
  counts: { completed: number; total: number } | undefined,
  rules: Rules
): Pick<Verdict, 'counts' | 'rate'> {
  if (counts === undefined) return {};
  return counts.total > 0
    ? { counts, rate: formatRateAgainst(counts.completed, counts.total, rules.threshold) }
    : { counts };
}
