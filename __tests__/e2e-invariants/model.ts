/**
 * The gate's rules as the README states them (Failure rules, Judging the trend), written again
 * from the text and not from src/: sort the runs, filter them, divide a sum by a sum. The
 * invariant suite (e2e-invariants.test.ts) holds the built bundle to it. Where the README is
 * silent, issue 17 decides: a run with 0 tasks is no evidence (it takes no window or baseline
 * slot, and a judged run without tasks fails).
 */

/** A run as the API lists it, plus the instant its `created` names, in microseconds since 1970. */
export interface HistoryRun {
  readonly run_id: string;
  readonly status: string;
  readonly total_tasks: number;
  readonly completed_tasks: number;
  readonly created: string;
  /** The instant `created` names: microseconds since 1970, UTC. */
  readonly at: number;
}

/** An exact non-negative rational. */
export interface Ratio {
  readonly n: bigint;
  readonly d: bigint;
}

export const ratio = (n: bigint | number, d: bigint | number = 1n): Ratio => ({ n: BigInt(n), d: BigInt(d) });

/** -1, 0 or 1 as a is below, equal to or above b. */
export function compare(a: Ratio, b: Ratio): number {
  const left = a.n * b.d;
  const right = b.n * a.d;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A decimal written as people write it (`95`, `92.5`, `0.95%`), exactly; undefined when it is not one. */
export function decimal(text: string): Ratio | undefined {
  const match = /^(\d+)(?:\.(\d+))?%?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  return ratio(BigInt(`${match[1] ?? '0'}${fraction}`), 10n ** BigInt(fraction.length));
}

/** A run's rate in percent. */
export const percentOf = (completed: number, total: number): Ratio => ratio(100n * BigInt(completed), BigInt(total));

/** The statuses rule 4 and rule 9 name. */
export const FINISHED = ['completed', 'partially_completed'] as const;
export const UNFINISHED = ['pending', 'running', 'scheduled', 'in_progress', 'processing', 'hold'] as const;

/** The normal quantiles the `confidence` input accepts, rounded to 20 decimals (rule 11). */
const Z: Record<string, bigint> = {
  '80': 128155156554460046697n,
  '90': 164485362695147271486n,
  '95': 195996398454005423552n,
  '98': 232634787404084110089n,
  '99': 257582930354890076098n
};
const Z_UNIT = 10n ** 20n;

/** Where the threshold lies against the Wilson interval of `x` of `n` (rule 11). */
export type Position = 'above' | 'straddles' | 'below';

/**
 * The interval is the set of p with (n·p − x)² ≤ z²·n·p·(1 − p), a convex quadratic in p. The
 * threshold is below the interval ("wholly at or above": pass) when it is outside and left of the
 * vertex, or exactly its low end; above it (fail) when outside and right of the vertex.
 */
export function wilsonPosition(x: number, n: number, threshold: Ratio, confidence: string): Position {
  const z = Z[confidence];
  if (z === undefined) throw new Error(`no quantile for confidence ${confidence}`);
  // p = s / D with the threshold in percent: p = threshold.n / (100 · threshold.d).
  const s = threshold.n;
  const D = 100n * threshold.d;
  const N = BigInt(n);
  const X = BigInt(x);
  const zz = z * z;
  const U = Z_UNIT * Z_UNIT;
  // f(p) · D² · U, whose sign is f(p)'s.
  const f = U * (N * s - X * D) ** 2n - zz * N * s * (D - s);
  // p < vertex = (x + z²/2) / (n + z²)  ⇔  2 s (U n + z²) < D (2 U x + z²).
  const leftOfVertex = 2n * s * (U * N + zz) < D * (2n * U * X + zz);
  if (f > 0n) return leftOfVertex ? 'above' : 'below';
  if (f === 0n && leftOfVertex) return 'above';
  return 'straddles';
}

/** The inputs the suite generates, as the workflow writes them ('' or absent: not set). */
export interface ModelInputs {
  readonly agent: string;
  readonly threshold?: string;
  readonly thresholds?: string;
  readonly window?: string;
  readonly 'max-drop'?: string;
  readonly 'baseline-runs'?: string;
  readonly 'warn-below'?: string;
  readonly confidence?: string;
  readonly 'min-tasks'?: string;
  readonly 'max-age'?: string;
  readonly 'run-id'?: string;
}

/** A percentage input as rule 1 reads it: 0 to 100, and 0 < x < 1 only with its `%`. */
function percentInput(text: string): Ratio | undefined {
  const value = decimal(text);
  if (value === undefined || compare(value, ratio(100)) > 0) return undefined;
  const fraction = compare(value, ratio(0)) > 0 && compare(value, ratio(1)) < 0;
  return fraction && !text.trim().endsWith('%') ? undefined : value;
}

const DURATION_UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** The durations the suite generates: a number and one unit. */
function durationMs(text: string): number {
  const match = /^(\d+)(d|h|m|s|ms)$/.exec(text);
  if (!match) throw new Error(`the model reads only simple durations, not ${text}`);
  return Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? Number.NaN);
}

/** The settings the rules need, once the inputs passed rule 1. */
export interface ModelSettings {
  readonly threshold: Ratio;
  readonly window: number;
  readonly maxDrop: Ratio | undefined;
  readonly baselineRuns: number;
  readonly warnBelow: Ratio | undefined;
  readonly confidence: string | undefined;
  readonly minTasks: number;
  readonly maxAgeMs: number | undefined;
  readonly runId: string | undefined;
}

/** Rule 1 over the generated inputs: the settings, or undefined when an input is refused. */
export function settingsOf(inputs: ModelInputs): ModelSettings | undefined {
  const given = (name: keyof ModelInputs): string | undefined => {
    const value = inputs[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const global = percentInput(given('threshold') ?? '100');
  if (global === undefined) return undefined;
  let threshold = global;
  for (const line of (given('thresholds') ?? '').split('\n').filter((l) => l.trim() !== '')) {
    const match = /^\s*([^:]+):\s*(.+)$/.exec(line);
    if (match?.[1]?.trim() !== inputs.agent) return undefined;
    const own = percentInput(match[2] ?? '');
    if (own === undefined) return undefined;
    threshold = own;
  }
  const warnText = given('warn-below');
  const warnBelow = warnText === undefined ? undefined : percentInput(warnText);
  // warn-below is at least every threshold that judges an agent: here the one agent's.
  if (warnText !== undefined && (warnBelow === undefined || compare(warnBelow, threshold) < 0)) return undefined;
  const dropText = given('max-drop');
  const maxDrop = dropText === undefined ? undefined : decimal(dropText);
  if (dropText !== undefined && maxDrop === undefined) return undefined;
  const maxAge = given('max-age');
  return {
    threshold,
    window: Number(given('window') ?? '1'),
    maxDrop,
    baselineRuns: Number(given('baseline-runs') ?? '5'),
    warnBelow,
    confidence: given('confidence'),
    minTasks: Number(given('min-tasks') ?? '1'),
    maxAgeMs: maxAge === undefined ? undefined : durationMs(maxAge),
    runId: given('run-id')
  };
}

/** Runs pooled: their number and the sums of their counts. */
export interface Pool {
  readonly runs: readonly HistoryRun[];
  readonly completed: number;
  readonly total: number;
}

const pool = (runs: readonly HistoryRun[]): Pool => ({
  runs,
  completed: runs.reduce((sum, r) => sum + r.completed_tasks, 0),
  total: runs.reduce((sum, r) => sum + r.total_tasks, 0)
});

/** What the gate must say about one agent with one history. */
export type Expected =
  | { readonly kind: 'input-error' }
  | { readonly kind: 'no-runs' }
  | { readonly kind: 'not-found' }
  | {
      readonly kind: 'judged';
      readonly run: HistoryRun;
      readonly verdict: 'pass' | 'warn' | 'fail';
      /** Which rule decided, for messages; `rate` when the rates were judged. */
      readonly by: 'failed' | 'unknown' | 'unfinished' | 'stale' | 'no-tasks' | 'min-tasks' | 'rate';
      readonly settings: ModelSettings;
      /** The window and the baseline, when the rules got that far (not for a run failed before rule 7). */
      readonly window?: Pool;
      /** The baseline when max-drop is set and a run with tasks precedes the window. */
      readonly baseline?: Pool;
      /** Whether each rule passed, when it was applied. */
      readonly rules?: {
        readonly threshold: boolean;
        readonly position?: Position;
        readonly drop?: boolean;
        readonly warnBelow?: boolean;
      };
    };

/**
 * Newest first. Of runs created at the same instant, the one with the greater run_id counts as
 * the newer: a rule that any order of the list gives alike.
 */
export function newestFirst(runs: readonly HistoryRun[]): HistoryRun[] {
  return [...runs].sort((a, b) => b.at - a.at || (a.run_id < b.run_id ? 1 : a.run_id > b.run_id ? -1 : 0));
}

/** The README's rules over a whole history (every run, in any order), at `now` (epoch ms). */
export function expected(history: readonly HistoryRun[], inputs: ModelInputs, now: number): Expected {
  const settings = settingsOf(inputs);
  if (settings === undefined) return { kind: 'input-error' };
  const sorted = newestFirst(history);
  const run = settings.runId === undefined ? sorted[0] : sorted.find((r) => r.run_id === settings.runId);
  if (run === undefined) return { kind: settings.runId === undefined ? 'no-runs' : 'not-found' };
  const judged = { kind: 'judged', run, settings } as const;
  const status = run.status;
  if (status === 'failed') return { ...judged, verdict: 'fail', by: 'failed' };
  if ((UNFINISHED as readonly string[]).includes(status)) return { ...judged, verdict: 'fail', by: 'unfinished' };
  if (!(FINISHED as readonly string[]).includes(status)) return { ...judged, verdict: 'fail', by: 'unknown' };
  if (settings.maxAgeMs !== undefined && now - run.at / 1000 > settings.maxAgeMs) {
    return { ...judged, verdict: 'fail', by: 'stale' };
  }
  // Earlier evidence: finished (failed included) runs with tasks, created before the judged one.
  const at = sorted.indexOf(run);
  const evidence = sorted
    .slice(at + 1)
    .filter((r) => (r.status === 'failed' || (FINISHED as readonly string[]).includes(r.status)) && r.total_tasks > 0);
  const window = pool([run, ...evidence.slice(0, settings.window - 1)]);
  const baselineRuns = evidence.slice(settings.window - 1, settings.window - 1 + settings.baselineRuns);
  const baseline = settings.maxDrop !== undefined && baselineRuns.length > 0 ? pool(baselineRuns) : undefined;
  const trend = { ...judged, window, ...(baseline ? { baseline } : {}) };
  if (run.total_tasks === 0) return { ...trend, verdict: 'fail', by: 'no-tasks' };
  if (window.total < settings.minTasks) return { ...trend, verdict: 'fail', by: 'min-tasks' };

  const rate = percentOf(window.completed, window.total);
  const meets = compare(rate, settings.threshold) >= 0;
  const position =
    settings.confidence === undefined
      ? undefined
      : wilsonPosition(window.completed, window.total, settings.threshold, settings.confidence);
  const threshold = position === undefined ? meets : position !== 'below';
  let drop: boolean | undefined;
  if (baseline !== undefined && settings.maxDrop !== undefined) {
    // 100 (b/B − j/J) > d fails.
    const gap = {
      n:
        100n * BigInt(baseline.completed) * BigInt(window.total) -
        100n * BigInt(window.completed) * BigInt(baseline.total),
      d: BigInt(baseline.total) * BigInt(window.total)
    };
    drop = gap.n <= 0n || compare(gap, settings.maxDrop) <= 0;
  }
  const failed = !threshold || drop === false;
  const warnBelow = failed || settings.warnBelow === undefined ? undefined : compare(rate, settings.warnBelow) >= 0;
  const verdict = failed ? 'fail' : warnBelow === false || position === 'straddles' ? 'warn' : 'pass';
  return {
    ...trend,
    verdict,
    by: 'rate',
    rules: {
      threshold,
      ...(position ? { position } : {}),
      ...(drop === undefined ? {} : { drop }),
      ...(warnBelow === undefined ? {} : { warnBelow })
    }
  };
}
