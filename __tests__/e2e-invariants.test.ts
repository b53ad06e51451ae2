/**
 * Invariants of the built bundle, proven by generated cases (issue 17). Each case is a history
 * of runs (finished, unfinished, unknown and failed; 0 tasks; ties in `created`; fractions of a
 * second; offsets and none), the inputs that judge it, and two servings of it: any page size, a
 * server that caps or ignores `page_size`, each page in a scrambled order, and tasks that are
 * fast, slow, failing or stalled. The bundle runs once per serving, as the runner runs it, and:
 *
 * - its verdict and outputs are the reference model's (e2e-invariants/model.ts, from the README);
 * - both servings give the same outputs (with `explain: never` both), or, when the second
 *   explains, the same verdict, exit code and key outputs: only the explanation may differ;
 * - every number shown agrees with every rule that decided (threshold, warn-below, the baseline
 *   minus max-drop, the interval), and carries no more decimals than agreement needs.
 *
 * INVARIANTS_SCALE multiplies the number of cases (the mutation workflow runs it at 10);
 * INVARIANTS_SEED (and INVARIANTS_PATH) replay a reported failure.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { runAction, type ActionRun } from '../scripts/run-action.mjs';
import {
  compare,
  decimal,
  expected,
  percentOf,
  ratio,
  UNFINISHED,
  type Expected,
  type HistoryRun,
  type ModelInputs,
  type Ratio
} from './e2e-invariants/model.js';
import { startHistoryServer, type HistoryServer, type Serving, type TasksKind } from './e2e-invariants/server.js';

const SCALE = Number(process.env.INVARIANTS_SCALE ?? '1');
/** Property runs; each runs a batch of 1 to BATCH cases at once, two bundle runs per case. */
const NUM_RUNS = Math.max(1, Math.round(40 * SCALE));
const BATCH = 10;
const AGENT = 'inv-agent';
/** Minutes between the instants a history's runs may take; ages are a whole number of these. */
const SLOT_US = 37 * 60 * 1_000_000;

// ------------------------------------------------------------------------------------------------
// What a case is

type Zone = 'Z' | 'z' | '' | '+05:30' | '-08:00' | '+00:00';
interface RunShape {
  /** Orders run ids, so that a tie's winner by id is not the order generated. */
  readonly rank: number;
  /** Age in SLOT_US slots: a small range, so that runs share instants. */
  readonly slot: number;
  /** Microseconds subtracted beyond the slot: 0, under a millisecond, or a fraction of a second. */
  readonly jitter: number;
  readonly zone: Zone;
  /** Fraction digits written: as few as the instant needs, or at least 3, or 6. */
  readonly digits: 'min' | 'ms' | 'us';
  readonly lowerT: boolean;
  readonly status: string;
  readonly total: number;
  readonly completed: number;
}

interface Case {
  readonly runs: readonly RunShape[];
  readonly inputs: Omit<ModelInputs, 'agent' | 'run-id'>;
  /** run-id: none (the latest), the index of a run (modulo the history), or one not listed. */
  readonly runId:
    { readonly kind: 'latest' } | { readonly kind: 'pick'; readonly index: number } | { readonly kind: 'missing' };
  readonly first: Serving;
  readonly second: Serving;
  /** explain for the second serving (the first never explains). */
  readonly explain: 'never' | 'on-failure' | 'always';
  readonly stepTimeout: '' | '6s';
  /** What an API failure does to the step: the model never sees one, so it changes nothing. */
  readonly onApiError: '' | 'warn';
}

const minus = (a: Ratio, b: Ratio): Ratio => ({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });
const plus = (a: Ratio, b: Ratio): Ratio => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });

/** Rates near the bounds the inputs use, so that shown numbers need their extra decimals. */
const BOUNDS = ['95', '90', '92.5', '99.995', '66.67', '100', '50', '29', '0', '0.95%'];

/**
 * Task counts: none, a few with a miss or two, any, or a rate within a task or two of a bound the
 * case compares with (a threshold, warn-below, a bound less max-drop), where shown numbers need
 * their extra decimals.
 */
const countsArb = (targets: readonly Ratio[]): fc.Arbitrary<{ total: number; completed: number }> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({ total: 0, completed: 0 }) },
    {
      weight: 5,
      arbitrary: fc
        .record({ total: fc.integer({ min: 1, max: 30 }), missed: fc.integer({ min: 0, max: 3 }) })
        .map(({ total, missed }) => ({ total, completed: Math.max(0, total - missed) }))
    },
    {
      weight: 2,
      arbitrary: fc
        .integer({ min: 1, max: 30 })
        .chain((total) => fc.integer({ min: 0, max: total }).map((completed) => ({ total, completed })))
    },
    {
      weight: 5,
      arbitrary: fc
        .record({
          bound: fc.constantFrom(...targets),
          total: fc.constantFrom(3, 7, 263, 10000, 20000, 30000, 60000, 100000),
          delta: fc.constantFrom(-1, -1, 0, 0, 1, -2, 2)
        })
        .map(({ bound, total, delta }) => {
          const at = Number((bound.n * BigInt(total) + 100n * bound.d - 1n) / (100n * bound.d));
          return { total, completed: Math.min(total, Math.max(0, at + delta)) };
        })
    }
  );

/** The bounds a case's rates are compared with: its thresholds and warn-below, and each less max-drop. */
function targetsOf(inputs: Case['inputs']): Ratio[] {
  const read = (t: string | undefined): Ratio | undefined =>
    t === undefined || t.trim() === '' ? undefined : decimal(t.trim());
  const own = [inputs.threshold, inputs.thresholds?.split(':')[1], inputs['warn-below']]
    .map(read)
    .filter((t): t is Ratio => t !== undefined);
  const all = [...own, ...BOUNDS.map(read).filter((t): t is Ratio => t !== undefined)];
  const drop = read(inputs['max-drop']);
  const less = drop === undefined ? [] : all.map((t) => minus(t, drop)).filter((t) => t.n > 0n);
  // The case's own bounds, and those less max-drop, weigh more than the usual ones.
  return [...own, ...own, ...own, ...all, ...less, ...less];
}

const statusArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant('completed') },
  { weight: 2, arbitrary: fc.constant('partially_completed') },
  { weight: 2, arbitrary: fc.constant('failed') },
  { weight: 2, arbitrary: fc.constantFrom(...UNFINISHED) },
  { weight: 1, arbitrary: fc.constantFrom('cancelled', 'archived') }
);

const runArb = (
  slots: number,
  counts: fc.Arbitrary<{ total: number; completed: number }>,
  status: fc.Arbitrary<string> = statusArb
): fc.Arbitrary<RunShape> =>
  fc
    .record({
      rank: fc.integer({ min: 0, max: 0xffff }),
      slot: fc.integer({ min: 0, max: slots }),
      jitter: fc.constantFrom(0, 0, 0, 800, 123_456, 500_000, 999_999),
      zone: fc.constantFrom<Zone>('Z', 'z', '', '+05:30', '-08:00', '+00:00'),
      digits: fc.constantFrom<RunShape['digits']>('min', 'ms', 'us'),
      lowerT: fc.boolean(),
      status,
      counts
    })
    .map(({ counts, ...rest }) => ({ ...rest, total: counts.total, completed: counts.completed }));

const servingArb: fc.Arbitrary<Serving> = fc.record({
  pageSize: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(10, 50)),
  ignoresPageSize: fc.boolean(),
  scramble: fc.integer({ min: 0, max: 0x7fffffff }),
  tasks: fc.constantFrom<TasksKind>('fast', 'fast', 'slow', 'failing', 'stalled')
});

const opt = (...values: string[]): fc.Arbitrary<string> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 2, arbitrary: fc.constantFrom(...values) });

const inputsArb: fc.Arbitrary<Case['inputs']> = fc.record({
  threshold: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...BOUNDS) },
    { weight: 1, arbitrary: fc.constantFrom('', '0.95', '95%') }
  ),
  thresholds: fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom(...BOUNDS, '0.95').map((t) => `${AGENT}: ${t}`) }
  ),
  window: opt('1', '2', '3', '5'),
  'max-drop': opt('0', '1', '2.5', '3.333', '5'),
  'baseline-runs': opt('1', '2', '3'),
  'warn-below': fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    { weight: 2, arbitrary: fc.constantFrom('95', '96', '97.5', '99', '99.996', '100') }
  ),
  confidence: opt('80', '90', '95', '98', '99'),
  'min-tasks': opt('1', '5', '20', '1000'),
  'max-age': opt('30m', '90m', '2h', '1d')
});

/** All but the runs and inputs of a case. */
const servingsArb = fc.record({
  runId: fc.oneof(
    { weight: 8, arbitrary: fc.constant({ kind: 'latest' as const }) },
    { weight: 4, arbitrary: fc.nat(20).map((index) => ({ kind: 'pick' as const, index })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) }
  ),
  first: servingArb,
  second: servingArb,
  explain: fc.constantFrom<Case['explain']>('never', 'on-failure', 'always'),
  stepTimeout: fc.constantFrom<Case['stepTimeout']>('', '6s'),
  onApiError: fc.constantFrom<Case['onApiError']>('', 'warn')
});

/** Any history of up to 14 runs. */
const broadArb: fc.Arbitrary<Case> = inputsArb.chain((inputs) =>
  fc
    .record({
      runs: fc
        .integer({ min: 0, max: 14 })
        .chain((n) => fc.array(runArb(n + 1, countsArb(targetsOf(inputs))), { minLength: n, maxLength: n })),
      rest: servingsArb
    })
    .map(({ runs, rest }) => ({ runs, inputs, ...rest }))
);

/**
 * One to three finished runs whose rates sit within a few tasks of the case's own bounds, at
 * totals where two decimals cannot tell them apart: where shown numbers need their extra digits.
 */
const nearArb: fc.Arbitrary<Case> = inputsArb
  .chain((base) =>
    fc
      .record({
        'warn-below': fc.constantFrom('', '95', '96', '97.5', '99', '99.996', '100'),
        'max-drop': fc.constantFrom('', '1', '2.5', '3.333', '5'),
        'baseline-runs': fc.constantFrom('', '1', '2'),
        window: fc.constantFrom('', '2')
      })
      .map((focus) => ({ ...base, ...focus }))
  )
  .chain((inputs) => {
    const near = fc
      .record({
        bound: fc.constantFrom(...targetsOf(inputs)),
        total: fc.constantFrom(7, 263, 20000, 30000, 60000, 100000),
        delta: fc.integer({ min: -3, max: 2 })
      })
      .map(({ bound, total, delta }) => {
        const at = Number((bound.n * BigInt(total) + 100n * bound.d - 1n) / (100n * bound.d));
        return { total, completed: Math.min(total, Math.max(0, at + delta)) };
      });
    const finished = fc.constantFrom('completed', 'completed', 'partially_completed');
    return fc
      .record({ runs: fc.array(runArb(3, near, finished), { minLength: 1, maxLength: 3 }), rest: servingsArb })
      .map(({ runs, rest }) => ({ runs, inputs, ...rest }));
  });

const caseArb: fc.Arbitrary<Case> = fc.oneof({ weight: 2, arbitrary: broadArb }, { weight: 1, arbitrary: nearArb });

// ------------------------------------------------------------------------------------------------
// A case's history at a given time

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `created` for the instant `at` (µs), written with the run's zone, fraction digits and separator. */
function written(at: number, shape: RunShape): string {
  const offsetMin = shape.zone === '+05:30' ? 330 : shape.zone === '-08:00' ? -480 : 0;
  const micros = at % 1_000_000;
  const local = new Date((at - micros) / 1000 + offsetMin * 60_000);
  const digits = shape.digits === 'us' || micros % 1000 !== 0 ? 6 : shape.digits === 'ms' || micros !== 0 ? 3 : 0;
  const fraction = digits === 0 ? '' : `.${pad(micros, 6).slice(0, digits)}`;
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return `${date}${shape.lowerT ? 't' : 'T'}${time}${fraction}${shape.zone}`;
}

/** The history at `nowMs`: run i's id sorts by its rank, its age is its slot and jitter. */
function historyOf(runs: readonly RunShape[], nowMs: number): HistoryRun[] {
  const nowUs = Math.floor(nowMs / 1000) * 1_000_000;
  return runs.map((shape, i) => {
    const at = nowUs - shape.slot * SLOT_US - shape.jitter;
    return {
      run_id: `R${shape.rank.toString(16).padStart(4, '0')}${i.toString(16).padStart(28, '0')}`,
      status: shape.status,
      total_tasks: shape.total,
      completed_tasks: shape.completed,
      created: written(at, shape),
      at
    };
  });
}

function runIdOf(c: Case, history: readonly HistoryRun[]): string {
  if (c.runId.kind === 'latest') return '';
  if (c.runId.kind === 'missing' || history.length === 0) return `R${'e'.repeat(32)}`;
  return history[c.runId.index % history.length]!.run_id;
}

// ------------------------------------------------------------------------------------------------
// Reading what the bundle showed

/** A shown decimal (`94.995`): its exact value and how many decimals it has; undefined if it is not one. */
function shownNumber(text: string): { value: Ratio; digits: number } | undefined {
  if (!/^(0|[1-9]\d*)(\.\d*[1-9])?$/.test(text)) return undefined;
  return { value: decimal(text)!, digits: text.split('.')[1]?.length ?? 0 };
}

/** `exact` rounded half up to `digits` decimals, as text without trailing zeros. */
function rounded(exact: Ratio, digits: number): string {
  const unit = 10n ** BigInt(digits);
  const scaled = (2n * exact.n * unit + exact.d) / (2n * exact.d);
  const whole = (scaled / unit).toString();
  const fraction = (scaled % unit).toString().padStart(digits, '0').replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** The instant an output names, in µs (ISO 8601 in UTC with up to 9 fraction digits). */
function instantOf(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  if (!match) return undefined;
  return Date.parse(`${match[1] ?? ''}Z`) * 1000 + Number((match[2] ?? '').padEnd(6, '0').slice(0, 6));
}

interface ResultJson {
  passed: boolean;
  reason: string;
  run_id: string | null;
  completion_rate: number | null;
  threshold: number;
  window: { runs: number; completed_tasks: number; total_tasks: number; rate: number | null } | null;
  baseline: { runs: number; completed_tasks: number; total_tasks: number; rate: number | null } | null;
  interval?: { confidence: number; low: number; high: number };
  breakdown: unknown;
}

function resultOf(run: ActionRun): ResultJson | undefined {
  try {
    return (JSON.parse(run.outputs.results ?? '') as ResultJson[])[0];
  } catch {
    return undefined;
  }
}

/** A JSON number as the decimal it was written as. */
const jsonDecimal = (n: number | null | undefined): Ratio | undefined =>
  typeof n === 'number' ? decimal(String(n)) : undefined;

// ------------------------------------------------------------------------------------------------
// The invariants

/**
 * A shown rate: a rounding of the exact one to its own decimals (at least two), never 100 or 0
 * unless exact, on the same side of each bound in `sides` as the exact rate. With `tight`, it
 * has more than two decimals only when two would break agreement with one of `allowed`.
 */
function checkShown(
  problems: string[],
  name: string,
  text: string | undefined,
  exact: Ratio,
  sides: readonly { name: string; bound: Ratio }[],
  allowed: readonly Ratio[] | undefined
): Ratio | undefined {
  const shown = shownNumber(text ?? '');
  if (shown === undefined) {
    problems.push(`${name} is ${JSON.stringify(text)}, not a decimal (exact ${rounded(exact, 6)})`);
    return undefined;
  }
  const d = Math.max(2, shown.digits);
  const error = minus(shown.value, exact);
  const half = ratio(1n, 2n * 10n ** BigInt(d));
  if (compare({ n: error.n < 0n ? -error.n : error.n, d: error.d }, half) > 0) {
    problems.push(`${name} ${text} is not the exact ${rounded(exact, 8)} rounded to ${d} decimals`);
  }
  const hundred = ratio(100);
  if ((compare(shown.value, hundred) === 0 && compare(exact, hundred) < 0) || (shown.value.n === 0n && exact.n > 0n)) {
    problems.push(`${name} shows ${text} for an exact ${rounded(exact, 8)}`);
  }
  for (const side of sides) {
    if (compare(shown.value, side.bound) >= 0 !== compare(exact, side.bound) >= 0) {
      problems.push(`${name} ${text} is on the other side of ${side.name} than the exact ${rounded(exact, 8)}`);
    }
  }
  if (allowed !== undefined && shown.digits > 2) {
    const two = decimal(rounded(exact, 2))!;
    const twoAgrees =
      allowed.every((b) => compare(two, b) >= 0 === compare(exact, b) >= 0) &&
      !(compare(two, hundred) === 0 && compare(exact, hundred) < 0) &&
      !(two.n === 0n && exact.n > 0n);
    if (twoAgrees) problems.push(`${name} ${text} has needless decimals: ${rounded(exact, 2)} agrees with every rule`);
  }
  return shown.value;
}

/** The bundle's run against the model's expectation; every disagreement, in words. */
function checkModel(exp: Expected, history: readonly HistoryRun[], run: ActionRun): string[] {
  const problems: string[] = [];
  const out = run.outputs;
  const same = (name: string, got: unknown, want: unknown): void => {
    if (got !== want) problems.push(`${name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  if (exp.kind !== 'judged') {
    same('exit code', run.code, 1);
    same('passed', out.passed, 'false');
    same('verdict', out.verdict, 'fail');
    if (exp.kind !== 'input-error') same('run-id', out['run-id'], '');
    return problems;
  }
  const { settings, verdict } = exp;
  same('exit code', run.code, verdict === 'fail' ? 1 : 0);
  same('passed', out.passed, String(verdict !== 'fail'));
  same('verdict', out.verdict, verdict);
  same('run-id', out['run-id'], exp.run.run_id);
  same('status', out.status, exp.run.status);
  same('created (µs)', instantOf(out.created ?? ''), exp.run.at);
  same('execution-count', out['execution-count'], String(history.length));
  const result = resultOf(run);
  if (result === undefined) return [...problems, 'results is not a JSON array of one result'];
  same(
    'results.threshold',
    jsonDecimal(result.threshold) && compare(jsonDecimal(result.threshold)!, settings.threshold),
    0
  );
  if (['rate', 'min-tasks', 'no-tasks', 'stale'].includes(exp.by)) {
    same('completed-tasks', out['completed-tasks'], String(exp.run.completed_tasks));
    same('total-tasks', out['total-tasks'], String(exp.run.total_tasks));
  }
  if ((exp.by !== 'rate' && exp.by !== 'min-tasks') || exp.window === undefined) return problems;

  const window = exp.window;
  same('window-runs', out['window-runs'], String(window.runs.length));
  same('results.window.runs', result.window?.runs, window.runs.length);
  same('results.window.completed_tasks', result.window?.completed_tasks, window.completed);
  same('results.window.total_tasks', result.window?.total_tasks, window.total);
  if (exp.by !== 'rate' || exp.rules === undefined) return problems;

  const { rules } = exp;
  const baseline = exp.baseline;
  if (baseline === undefined) {
    same('baseline-rate', out['baseline-rate'], '');
    same('results.baseline', result.baseline, null);
  } else {
    same('results.baseline.runs', result.baseline?.runs, baseline.runs.length);
    same('results.baseline.completed_tasks', result.baseline?.completed_tasks, baseline.completed);
    same('results.baseline.total_tasks', result.baseline?.total_tasks, baseline.total);
  }

  // The shown numbers.
  const exact = percentOf(window.completed, window.total);
  const T = { name: `the threshold ${rounded(settings.threshold, 6)}`, bound: settings.threshold };
  const W = settings.warnBelow && { name: `warn-below ${rounded(settings.warnBelow, 6)}`, bound: settings.warnBelow };
  const sides = [
    ...(rules.position === 'straddles' ? [] : [T]),
    ...(W && verdict !== 'fail' && !WAIVED.has('warn-below side') ? [W] : [])
  ];
  const allowed = baseline === undefined ? [settings.threshold, ...(W ? [W.bound] : [])] : undefined;
  const windowShown = checkShown(problems, 'window-rate', out['window-rate'], exact, sides, allowed);
  same(
    'results.window.rate',
    jsonDecimal(result.window?.rate) && windowShown && compare(jsonDecimal(result.window?.rate)!, windowShown),
    0
  );
  const own = percentOf(exp.run.completed_tasks, exp.run.total_tasks);
  if (window.runs.length === 1) same('completion-rate (window of one)', out['completion-rate'], out['window-rate']);
  else checkShown(problems, 'completion-rate', out['completion-rate'], own, [], undefined);
  same('results.completion_rate', String(result.completion_rate), out['completion-rate']);
  if (baseline !== undefined && settings.maxDrop !== undefined) {
    const baseExact = percentOf(baseline.completed, baseline.total);
    const baseShown = checkShown(problems, 'baseline-rate', out['baseline-rate'], baseExact, [], undefined);
    same('results.baseline.rate', String(result.baseline?.rate), out['baseline-rate']);
    if (baseShown && windowShown && !WAIVED.has('drop pair')) {
      const shownDropFails = compare(minus(baseShown, windowShown), settings.maxDrop) > 0;
      if (shownDropFails !== (rules.drop === false)) {
        problems.push(
          `baseline-rate ${out['baseline-rate']} minus window-rate ${out['window-rate']} ${shownDropFails ? 'exceeds' : 'is within'} max-drop ${rounded(settings.maxDrop, 6)}, but the exact drop ${rules.drop === false ? 'fails' : 'passes'}`
        );
      }
    }
    const points = /is ([\d.]+) points below the baseline/.exec(out.reason ?? '')?.[1];
    if (points !== undefined && compare(decimal(points)!, settings.maxDrop) <= 0) {
      problems.push(
        `the reason's drop of ${points} points is within max-drop ${rounded(settings.maxDrop, 6)}, yet it failed`
      );
    }
  }
  if (settings.confidence !== undefined) {
    const interval = result.interval;
    const low = jsonDecimal(interval?.low);
    const high = jsonDecimal(interval?.high);
    if (low === undefined || high === undefined) problems.push('results.interval is missing');
    else {
      // Each end is within its own rounding of the exact interval, which holds the rate.
      const slack = (n: number | undefined): Ratio =>
        ratio(1n, 2n * 10n ** BigInt(String(n).split('.')[1]?.length ?? 0));
      if (
        compare(minus(low, slack(interval?.low)), exact) > 0 ||
        compare(exact, plus(high, slack(interval?.high))) > 0
      ) {
        problems.push(`the interval ${interval?.low} to ${interval?.high} does not hold the rate ${rounded(exact, 6)}`);
      }
      const t = settings.threshold;
      const agrees =
        rules.position === 'above'
          ? compare(low, t) >= 0
          : rules.position === 'below'
            ? compare(high, t) < 0
            : compare(low, t) < 0 && compare(t, high) <= 0;
      if (!agrees) {
        problems.push(
          `the interval ${interval?.low} to ${interval?.high} contradicts the threshold ${rounded(t, 6)} being ${rules.position ?? '?'}`
        );
      }
    }
  }
  return problems;
}

/** The outputs the explanation may not change: all but the reason's added cause and results' breakdown. */
const KEY_OUTPUTS = [
  'passed',
  'verdict',
  'run-id',
  'status',
  'completed-tasks',
  'total-tasks',
  'created',
  'execution-count',
  'completion-rate',
  'window-rate',
  'window-runs',
  'baseline-rate'
];

/**
 * An output without what only paging or the clock may change: how many pages a run-id search
 * read, and a stale run's age to the second.
 */
const pagingFree = (text: string | undefined): string | undefined =>
  text?.replace(/\(\d+ pages? searched\)/g, '(pages searched)').replace(/created [\dhms ]+ ago/g, 'created … ago');

/** The second serving against the first. */
function checkSame(c: Case, first: ActionRun, second: ActionRun): string[] {
  const problems: string[] = [];
  if (first.code !== second.code) problems.push(`exit code ${first.code} the first time, ${second.code} the second`);
  if (c.explain === 'never') {
    for (const name of new Set([...Object.keys(first.outputs), ...Object.keys(second.outputs)])) {
      if (pagingFree(first.outputs[name]) !== pagingFree(second.outputs[name])) {
        problems.push(
          `${name}: ${JSON.stringify(first.outputs[name])} the first time, ${JSON.stringify(second.outputs[name])} the second`
        );
      }
    }
    return problems;
  }
  for (const name of KEY_OUTPUTS) {
    if (first.outputs[name] !== second.outputs[name]) {
      problems.push(
        `${name}: ${JSON.stringify(first.outputs[name])} unexplained, ${JSON.stringify(second.outputs[name])} with explain ${c.explain}`
      );
    }
  }
  const a = pagingFree(first.outputs.reason) ?? '';
  const b = pagingFree(second.outputs.reason) ?? '';
  if (a !== b && !b.startsWith(a.replace(/\.$/, ''))) {
    problems.push(`reason: ${JSON.stringify(a)} unexplained, ${JSON.stringify(b)} with explain ${c.explain}`);
  }
  const strip = (r: ResultJson | undefined): unknown => r && { ...r, reason: undefined, breakdown: undefined };
  if (JSON.stringify(strip(resultOf(first))) !== JSON.stringify(strip(resultOf(second)))) {
    problems.push(
      `results beyond reason and breakdown differ: ${first.outputs.results ?? ''} unexplained, ${second.outputs.results ?? ''} with explain ${c.explain}`
    );
  }
  return problems;
}

// ------------------------------------------------------------------------------------------------
// Cases narrowed out while their fix is not on main

/**
 * Known defects of issue 17 whose fixes are being made on other branches: each entry turns the
 * cases that meet the defect into ones that do not (`narrow`), or waives the one check that
 * finds it, so that main stays green meanwhile. Remove an entry when its branch lands; the suite
 * then holds the bundle to the whole rule again.
 */
interface Waiting {
  readonly defect: string;
  readonly narrow?: (c: Case) => Case;
  readonly waives?: 'warn-below side' | 'drop pair';
}
const AWAITING: readonly Waiting[] = [];
const WAIVED = new Set(AWAITING.flatMap((a) => (a.waives ? [a.waives] : [])));

// ------------------------------------------------------------------------------------------------
// Running cases

let server: HistoryServer;
let orgs = 0;
/** What the generated cases covered (cases tried while shrinking a failure are not counted). */
const tally = {
  shrinking: false,
  inconclusive: 0,
  histories: 0,
  bundleRuns: 0,
  verdicts: { pass: 0, warn: 0, fail: 0 } as Record<string, number>,
  kinds: {} as Record<string, number>
};

beforeAll(async () => {
  server = await startHistoryServer();
});
afterAll(async () => {
  await server.close();
  console.info(
    `e2e invariants: ${tally.histories} generated histories, ${tally.bundleRuns} bundle runs${tally.shrinking ? ' before a failure (and more while shrinking it)' : ''}; ${tally.inconclusive} cut by a starved machine; verdicts ${JSON.stringify(tally.verdicts)}; ${JSON.stringify(tally.kinds)}`
  );
});

async function gate(c: Case, history: readonly HistoryRun[], serving: Serving, explain: string): Promise<ActionRun> {
  const org = `inv-org-${++orgs}`;
  server.serve(org, history, serving);
  const inputs: Record<string, string> = {
    'agent-handle': AGENT,
    'org-handle': org,
    token: server.token,
    'base-url': server.url,
    'request-timeout': '4s',
    retries: '0',
    explain,
    'step-timeout': c.stepTimeout,
    'on-api-error': c.onApiError,
    'max-pages': '16',
    'run-id': runIdOf(c, history),
    ...c.inputs
  };
  try {
    if (!tally.shrinking) tally.bundleRuns++;
    const r = await runAction(inputs, { killAfterMs: 60_000 });
    if (process.env.INVARIANTS_DEBUG)
      process.stderr.write(`${Math.round(r.ms)} ms ${explain} ${serving.tasks} ${c.stepTimeout} code ${r.code}\n`);
    return r;
  } finally {
    server.forget(org);
  }
}

/** Runs one case (both servings at once); every disagreement, in words. */
async function runCase(generated: Case): Promise<string[]> {
  const c = AWAITING.reduce((narrowed, a) => a.narrow?.(narrowed) ?? narrowed, generated);
  const now = Date.now();
  const history = historyOf(c.runs, now);
  const [first, second] = await Promise.all([
    gate(c, history, c.first, 'never'),
    gate(c, history, c.second, c.explain)
  ]);
  // On loopback the executions answer at once: a request timeout, or an agent undecided while its
  // tasks were not being read slowly, means the machine starved the process, not a verdict on it.
  const starved = (run: ActionRun, tasks: TasksKind): boolean =>
    (run.outputs.reason ?? '').includes('no complete answer within') ||
    ((run.outputs.reason ?? '').includes('not decided within step-timeout') &&
      (tasks === 'fast' || tasks === 'failing'));
  if (starved(first, 'fast') || starved(second, c.explain === 'never' ? 'fast' : c.second.tasks)) {
    tally.inconclusive++;
    return [];
  }
  const exp = expected(history, { agent: AGENT, ...c.inputs, 'run-id': runIdOf(c, history) }, now);
  if (!tally.shrinking) {
    tally.histories++;
    const kind = exp.kind === 'judged' ? exp.by : exp.kind;
    tally.kinds[kind] = (tally.kinds[kind] ?? 0) + 1;
    if (exp.kind === 'judged') tally.verdicts[exp.verdict] = (tally.verdicts[exp.verdict] ?? 0) + 1;
  }
  const problems = [
    ...checkModel(exp, history, first).map((p) => `model: ${p}`),
    ...checkSame(c, first, second).map((p) => `second serving: ${p}`)
  ];
  if (problems.length === 0) return [];
  const listed = history.map((r) => `${r.run_id} ${r.status} ${r.completed_tasks}/${r.total_tasks} ${r.created}`);
  return [
    ...problems,
    `history (as generated): ${JSON.stringify(listed)}`,
    `run-id: ${JSON.stringify(runIdOf(c, history))}; first reason: ${JSON.stringify(first.outputs.reason)}; second reason: ${JSON.stringify(second.outputs.reason)}`,
    `first stderr: ${first.stderr.slice(0, 400)}`
  ];
}

const replay = {
  ...(process.env.INVARIANTS_SEED ? { seed: Number(process.env.INVARIANTS_SEED) } : {}),
  ...(process.env.INVARIANTS_PATH ? { path: process.env.INVARIANTS_PATH } : {})
};

describe('the bundle against the rules of the README, for generated histories', () => {
  it(
    'decides as the model, whatever the order, page size and explanation, and shows numbers that agree',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(caseArb, { minLength: 1, maxLength: BATCH, size: 'max' }), async (cases) => {
          const found = await Promise.all(cases.map(runCase));
          const failing = found.flatMap((problems, i) => (problems.length > 0 ? [`case ${i}:`, ...problems] : []));
          if (failing.length === 0) return;
          tally.shrinking = true;
          throw new Error(failing.join('\n'));
        }),
        { numRuns: NUM_RUNS, ...replay, plugins: [fc.interruptAfterTimeLimit(8 * 60_000 * SCALE)] }
      );
      expect(tally.histories).toBeGreaterThan(0);
    },
    30 * 60_000 * SCALE
  );
});
