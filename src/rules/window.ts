/**
 * Which runs a judgement pools: the judged run and the finished runs created before it (the
 * window), then the finished runs created before those (the baseline). Pure: runs in, runs out.
 */
import { DataError, isFinished, taskCounts, type Execution } from '../unpod/executions.js';
import { quote } from '../values/text.js';

/** Task counts, summed exactly. */
export interface Counts {
  readonly completed: number;
  readonly total: number;
}

/** The runs a judgement rests on, each newest first. */
export interface Trend {
  /** The judged run first, then up to `window - 1` finished runs created before it. */
  readonly window: readonly Execution[];
  /** Up to `baselineRuns` finished runs created before the window's oldest. */
  readonly baseline: readonly Execution[];
}

/**
 * Splits the runs older than `judged` into the window and the baseline. The order of `runs` is
 * not trusted: they are sorted by `created`, newest first, ties kept in the order given (the
 * server lists newest first); a run id listed twice counts once. Unfinished runs are never
 * counted: their counts are still moving.
 */
export function splitTrend(judged: Execution, runs: readonly Execution[], window: number, baselineRuns: number): Trend {
  const earlier = finishedBefore(judged, runs);
  return {
    window: [judged, ...earlier.slice(0, window - 1)],
    baseline: earlier.slice(window - 1, window - 1 + baselineRuns)
  };
}

/** The finished runs listed after `judged` once sorted newest first, without repeats. */
export function finishedBefore(judged: Execution, runs: readonly Execution[]): Execution[] {
  const seen = new Set<string>([judged.runId]);
  // Newest first; the difference is 0 for a tie, which the (stable) sort leaves in place.
  const sorted = [...runs].sort((a, b) => Number(b.created - a.created));
  const at = sorted.findIndex((r) => r.runId === judged.runId);
  // A judged run missing from the list (it moved while the gate waited) sits where its instant does.
  const older = at >= 0 ? sorted.slice(at + 1) : sorted.filter((r) => r.created < judged.created);
  return older.filter((r) => {
    if (seen.has(r.runId)) return false;
    seen.add(r.runId);
    return isFinished(r);
  });
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
