/**
 * Which runs a judgement pools: the judged run and the finished runs created before it (the
 * window), then the finished runs created before those (the baseline). Pure: runs in, runs out.
 */
import { DataError, isFinished, taskCounts, trustedCounts, type Execution } from '../unpod/executions.js';
import { quote } from '../values/text.js';

/** Task counts, summed exactly. */
export interface Counts {
  readonly completed: number;
  readonly total: number;
}

/** The runs a judgement rests on, each newest first. */
export interface Trend {
  /** The judged run first, then up to `window - 1` finished runs with tasks created before it. */
  readonly window: readonly Execution[];
  /** Up to `baselineRuns` finished runs with tasks created before the window's oldest. */
  readonly baseline: readonly Execution[];
}

/**
 * Whether `a` comes before `b` newest first: created later, or at the same instant with the
 * greater run_id (compared as text). The server's order is not trusted, so ties are broken by
 * something the runs carry: the same runs give the same order however they are listed.
 */
export function isNewer(a: Execution, b: Execution): boolean {
  return a.created === b.created ? a.runId > b.runId : a.created > b.created;
}

/** A comparator for sorting runs newest first (see isNewer). */
export function newestFirst(a: Execution, b: Execution): number {
  return isNewer(a, b) ? -1 : isNewer(b, a) ? 1 : 0;
}

/**
 * Splits the runs older than `judged` into the window and the baseline. The order of `runs` is
 * not trusted: they are sorted newest first (isNewer); a run id listed twice counts once.
 */
export function splitTrend(judged: Execution, runs: readonly Execution[], window: number, baselineRuns: number): Trend {
  const earlier = finishedBefore(judged, runs);
  return {
    window: [judged, ...earlier.slice(0, window - 1)],
    baseline: earlier.slice(window - 1, window - 1 + baselineRuns)
  };
}

/**
 * The runs that can stand beside `judged` as evidence, newest first, each run id once: those
 * older than it (isNewer) and finished. Unfinished runs are left out because their counts are
 * still moving, and a run without tasks (`total_tasks` 0) because it says nothing about a rate.
 */
export function finishedBefore(judged: Execution, runs: readonly Execution[]): Execution[] {
  const seen = new Set<string>([judged.runId]);
  const once = runs.filter((r) => !seen.has(r.runId) && seen.add(r.runId));
  return once.filter((r) => isNewer(judged, r) && isFinished(r) && !noTasks(r)).sort(newestFirst);
}

/** A run whose counts say it had no task at all; a run with counts the gate cannot trust is not one. */
function noTasks(run: Execution): boolean {
  return trustedCounts(run)?.total === 0;
}

/**
 * True when pages after `page` (the last one read) cannot change the `wanted` runs before
 * `judged` that `read` (every run read so far) gives: there are that many, and the last page holds
 * a run created before the oldest of them. The pages are trusted to be newest first, so a later
 * page holds no run created after any run of this one; a run created at the oldest one's very
 * instant could still be later by run_id, so a page that ends on that instant is not enough.
 */
export function enoughBefore(
  judged: Execution,
  read: readonly Execution[],
  page: readonly Execution[],
  wanted: number
): boolean {
  const oldest = finishedBefore(judged, read)[wanted - 1];
  return oldest !== undefined && page.some((r) => r.created < oldest.created);
}

/**
 * The sum of the runs' counts. Throws DataError naming the run and field when a run's counts
 * cannot be trusted, or when the sums leave the range where integers are exact.
 */
export function pool(runs: readonly Execution[]): Counts {
  let completed = 0;
  let total = 0;
  for (const run of runs) {
    const counts = taskCounts(run);
    completed += counts.completed;
    total += counts.total;
    if (!Number.isSafeInteger(total)) {
      throw new DataError(`The API sent task counts up to run ${quote(run.runId)} too large to add up exactly.`);
    }
  }
  return { completed, total };
}

/** `"R1"`, `"R1" and "R2"`, `"R1", "R2", "R3" and 4 more`: the runs a judgement names. */
export function listRuns(runs: readonly Execution[], shown = 3): string {
  const names = runs.map((r) => quote(r.runId));
  if (names.length <= 1) return names[0] ?? '';
  // Stryker disable next-line StringLiteral: two names or more here; the default only satisfies the type.
  if (names.length <= shown + 1) return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}
