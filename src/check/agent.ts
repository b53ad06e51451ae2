/**
 * Gating agents end to end: fetch, choose the run, wait for it when asked (wait.ts), judge it.
 * Every outcome, including API failures, becomes an AgentResult; nothing here fails the step.
 */
import { ApiError, type Clock, type UnpodApi } from '../unpod/client.js';
import { Cancelled } from '../unpod/cancel.js';
import { causeClause, mayNotHaveFinished, unfinishedNote } from '../explain/breakdown.js';
import { formatDuration } from '../values/duration.js';
import { DataError, isFinished, statusKey, type Execution, type ExecutionsPage } from '../unpod/executions.js';
import { explainRun, wantsExplanation, type Explanation } from '../explain/explain.js';
import { chooseLatest, judge, recentRuns, type Rules, type Verdict, type VerdictWord } from '../rules/judge.js';
import { enoughBefore } from '../rules/window.js';
import type { Settings } from '../settings/inputs.js';
import type { Threshold } from '../values/percent.js';
import { quote } from '../values/text.js';
import { decideEarly, type EarlyPass } from '../rules/early.js';
import { awaitListing, follow, type DecideEarly } from './wait.js';

/**
 * Why an agent failed. `breach`: the gate's rules said no. `config`: the request or the inputs
 * are wrong. `data`: the API sent data the gate cannot rely on. `unavailable`: the API stayed
 * unreachable or failing after every retry.
 */
export type FailureKind = 'breach' | 'config' | 'data' | 'unavailable';

export interface AgentResult {
  readonly agent: string;
  readonly passed: boolean;
  /** One sentence on why it failed; empty when it passed. */
  readonly reason: string;
  readonly failure: FailureKind | undefined;
  /** The judged run, when one was chosen. */
  readonly run: Execution | undefined;
  readonly counts: { readonly completed: number; readonly total: number } | undefined;
  /** Completion rate in percent, when there is one. */
  readonly rate: string | undefined;
  /** The envelope's `count`. */
  readonly executionCount: number | undefined;
  /** Recent runs, newest first, for the report. */
  readonly history: readonly Execution[];
  /** What the rules said, before enforce and on-api-error; `fail` for any failure. */
  readonly verdict: VerdictWord;
  /** Why it passed with a warning; empty otherwise. */
  readonly warning: string;
  /** The threshold applied to this agent. */
  readonly threshold: Threshold;
  /** What the judgement pooled, rested on and said beyond its verdict, when it judged. */
  readonly judged: Pick<Verdict, 'window' | 'baseline' | 'interval' | 'callsNeeded' | 'notes'>;
  /** The judged run's tasks counted, when `explain` asked for them. */
  readonly explanation?: Explanation | undefined;
  /** decide-early's pass, when it passed the run before the run finished. */
  readonly early?: EarlyPass | undefined;
}

/** Per-agent log lines; `group` folds a series of lines (the polls) in the Actions log. */
export interface AgentLog {
  info(line: string): void;
  debug(line: string): void;
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}

export interface CheckContext {
  readonly settings: Settings;
  readonly api: UnpodApi;
  readonly clock: Clock;
  /** When the step started, epoch ms: the wait deadline counts from here. */
  readonly startedAt: number;
}

/** The rules for one agent: its own line in `thresholds`, else `threshold`. */
export function rulesOf(settings: Settings, agent: string): Rules {
  return {
    threshold: settings.thresholds.get(agent) ?? settings.threshold,
    minTasks: settings.minTasks,
    maxAgeMs: settings.maxAgeMs,
    window: settings.window,
    baselineRuns: settings.baselineRuns,
    maxDrop: settings.maxDrop,
    warnBelow: settings.warnBelow,
    confidence: settings.confidence
  };
}

/** How many finished runs before the judged one the rules pool: the window's rest and the baseline. */
function runsWanted(rules: Rules): number {
  return (rules.window ?? 1) - 1 + (rules.maxDrop === undefined ? 0 : (rules.baselineRuns ?? 0));
}

/**
 * What an agent's check has seen so far: the chosen run and page 1 as last read. The caller
 * holds it, so that an agent the step's time limit cuts short still reports them.
 */
export interface Progress {
  run?: Execution;
  first?: ExecutionsPage;
}

/** The parts of a result that come from what was seen, whatever the verdict. */
function seen(progress: Progress, settings: Settings): Pick<AgentResult, 'run' | 'executionCount' | 'history'> {
  const { run, first } = progress;
  return {
    run,
    executionCount: first?.count,
    history: first === undefined ? [] : recentRuns(first.executions, settings.history)
  };
}

/**
 * An agent whose verdict is in. `result` is what `explain: never` gives; `annex`, when `explain`
 * wants the run's tasks and they are not read yet, turns the explanation into the full result.
 */
export interface Decided {
  readonly result: AgentResult;
  readonly annex?: { readonly run: Execution; readonly with: (explanation: Explanation) => AgentResult };
}

/** Gates one agent: its verdict, then its explanation (see decideAgent and annexAgent). */
export async function checkAgent(
  agent: string,
  context: CheckContext,
  log: AgentLog,
  progress: Progress = {}
): Promise<AgentResult> {
  return annexAgent(await decideAgent(agent, context, log, progress), context, log);
}

/**
 * An agent's verdict, from its executions alone (and, while it may wait on a run called
 * completed, the run's tasks). API and data failures become a failed result, never an
 * exception; work cut short (Cancelled) before a verdict makes the agent undecided.
 */
export async function decideAgent(
  agent: string,
  context: CheckContext,
  log: AgentLog,
  progress: Progress = {}
): Promise<Decided> {
  try {
    return await gateAgent(agent, context, log, progress);
  } catch (error) {
    if (error instanceof Cancelled) return { result: undecided(agent, context.settings, progress) };
    if (!(error instanceof ApiError || error instanceof DataError)) throw error;
    const failure: FailureKind = error instanceof ApiError ? error.kind : 'data';
    log.debug(`${agent}: ${failure} failure: ${error.message}`);
    const result: AgentResult = {
      agent,
      passed: false,
      reason: error.message,
      failure,
      ...seen(progress, context.settings),
      counts: undefined,
      rate: undefined,
      verdict: 'fail',
      warning: '',
      threshold: rulesOf(context.settings, agent).threshold,
      judged: { notes: [] }
    };
    return { result };
  }
}

/**
 * The decided agent's result with its explanation, read in the time left: reading cut short
 * (Cancelled) ends in an explanation that says it could not finish, never in another verdict.
 */
export async function annexAgent(decided: Decided, context: CheckContext, log: AgentLog): Promise<AgentResult> {
  const { result, annex } = decided;
  if (annex === undefined) return result;
  return annex.with(await explain(result.agent, annex.run, context, log));
}

/**
 * The result of an agent the step's time limit cut short: an API failure, since the API did not
 * answer in time (or the gate queued for it), so `on-api-error: warn` lets the step pass. The
 * run and history are what its check had seen by then.
 */
export function undecided(agent: string, settings: Settings, progress: Progress = {}): AgentResult {
  return {
    agent,
    passed: false,
    reason: `Agent ${quote(agent)} was not decided within step-timeout ${formatDuration(settings.stepTimeoutMs)}: the API did not answer in time for every request (raise step-timeout or concurrency, or lower request-timeout or retries).`,
    failure: 'unavailable',
    ...seen(progress, settings),
    counts: undefined,
    rate: undefined,
    verdict: 'fail',
    warning: '',
    threshold: rulesOf(settings, agent).threshold,
    judged: { notes: [] }
  };
}

/** A judgement of the chosen run, with its tasks when they were read to decide on waiting. */
interface Judged {
  readonly run: Execution;
  readonly verdict: Verdict;
  explanation?: Explanation;
  /** decide-early's pass, when the wait ended in one. */
  readonly early?: EarlyPass;
}

async function gateAgent(agent: string, context: CheckContext, log: AgentLog, state: Progress): Promise<Decided> {
  const { settings, api, clock } = context;
  let first = await api.fetchPage(agent, 1);
  state.first = first;
  log.debug(`${agent}: page 1 has ${first.executions.length} executions, count ${String(first.count)}.`);
  const rules = rulesOf(settings, agent);
  const base = { agent, executionCount: first.count, threshold: rules.threshold, warning: '', judged: { notes: [] } };
  const history = (): readonly Execution[] => recentRuns(first.executions, settings.history);
  const unjudged = { passed: false, verdict: 'fail', run: undefined, counts: undefined, rate: undefined } as const;

  let run: Execution | undefined;
  let onPage = 1;
  if (settings.runId !== undefined) {
    let search = await api.findRun(agent, settings.runId, { page: first, number: 1 });
    let waited = '';
    // A run started a moment ago may not be listed yet: with a wait, look for it each poll.
    if (search.execution === undefined && settings.waitTimeoutMs > 0) {
      const listing = await awaitListing(agent, settings.runId, search, context, log);
      search = listing.search;
      if (listing.first) {
        first = listing.first;
        state.first = first;
      }
      waited = `, though the gate waited ${formatDuration(listing.waitedMs)} for it to appear (wait-timeout ${formatDuration(settings.waitTimeoutMs)})`;
    }
    run = search.execution;
    onPage = search.page ?? 1;
    if (run === undefined) {
      const reason = `Run ${quote(settings.runId)} was not found among the ${search.searched} most recent executions of agent ${quote(agent)} (${search.pages} page${search.pages === 1 ? '' : 's'} searched)${waited}: check 'run-id'.`;
      return {
        result: { ...base, executionCount: first.count, ...unjudged, reason, failure: 'config', history: history() }
      };
    }
  } else {
    run = await latestRun(agent, first, context);
    if (run === undefined) {
      const reason = `Agent ${quote(agent)} has no executions, so there is no run to judge.`;
      return { result: { ...base, ...unjudged, reason, failure: 'breach', history: [] } };
    }
  }
  state.run = run;
  log.debug(`${agent}: chose run ${run.runId} (${run.status}) on page ${onPage}.`);

  const waiting = settings.waitTimeoutMs > 0;
  const waitUntil = context.startedAt + settings.waitTimeoutMs;
  let waitedMs = 0;
  let lastError: string | undefined;
  const judgeEarly = settings.decideEarly ? earlyPass(agent, rules, first, context) : undefined;
  const judgeNow = async (chosen: Execution, again: boolean): Promise<Judged> => {
    let current = chosen;
    let early: EarlyPass | undefined;
    if (waiting && (again || !isFinished(current))) {
      const followed = await follow(agent, current, onPage, context, log, again, judgeEarly);
      early = followed.early;
      current = followed.run;
      onPage = followed.page;
      state.run = current;
      if (followed.first) {
        first = followed.first;
        state.first = first;
      }
      waitedMs += followed.waitedMs;
      lastError = followed.lastError;
    }
    if (early !== undefined) return { run: current, verdict: early.verdict, early };
    const runs = isFinished(current) ? await earlierRuns(agent, current, first, rules, context) : [];
    return { run: current, verdict: judge(current, rules, clock.now(), runs) };
  };

  let judged = await judgeNow(run, false);
  // A run the API calls completed may still have tasks in progress (the server marks it so at
  // its first finished task): only its tasks tell, so while the gate may still wait, they decide
  // whether to go on. Otherwise they are read after the verdict, in the annex.
  for (;;) {
    const wanted = wantsExplanation(settings.explain, judged.verdict.passed);
    if (!(wanted && waiting && statusKey(judged.run) === 'completed' && clock.now() < waitUntil)) break;
    const explanation = await explain(agent, judged.run, context, log);
    judged.explanation = explanation;
    if (explanation.stop === 'cut short' || !mayNotHaveFinished(judged.run, explanation.breakdown)) break;
    log.info(
      `Run ${quote(judged.run.runId, 60)} is called ${quote(judged.run.status, 40)}, but ${explanation.breakdown.unfinished} of its tasks are not finished: waiting on.`
    );
    try {
      judged = await judgeNow(judged.run, true);
    } catch (error) {
      // Cut short while waiting on: the verdict already reached stands.
      if (error instanceof Cancelled) break;
      throw error;
    }
  }

  const { verdict } = judged;
  const judgedRun = judged.run;
  log.debug(`${agent}: ${verdict.passed ? 'passed' : `failed: ${verdict.reason}`}`);
  const finish = (explanation: Explanation | undefined): AgentResult => ({
    ...base,
    executionCount: first.count,
    passed: verdict.passed,
    reason: reasonOf(verdict, judgedRun, explanation, { waitedMs, lastError, settings }),
    failure: verdict.passed ? undefined : 'breach',
    run: judgedRun,
    counts: verdict.counts,
    rate: verdict.rate,
    history: history(),
    verdict: verdict.verdict,
    warning: verdict.warning,
    judged: {
      window: verdict.window,
      baseline: verdict.baseline,
      interval: verdict.interval,
      callsNeeded: verdict.callsNeeded,
      notes: verdict.notes
    },
    explanation,
    early: judged.early
  });
  if (judged.explanation === undefined && wantsExplanation(settings.explain, verdict.passed)) {
    return { result: finish(undefined), annex: { run: judgedRun, with: finish } };
  }
  return { result: finish(judged.explanation) };
}

/** Why a run failed: the verdict's reason, with what its tasks say and how long the gate waited. */
function reasonOf(
  verdict: Verdict,
  run: Execution,
  explanation: Explanation | undefined,
  wait: { waitedMs: number; lastError: string | undefined; settings: Settings }
): string {
  if (verdict.passed) return '';
  const early = explanation !== undefined && mayNotHaveFinished(run, explanation.breakdown);
  const clause = explanation === undefined ? '' : causeClause(explanation.breakdown);
  let reason = clause === '' ? verdict.reason : verdict.reason.replace(/\.$/, `; ${clause}.`);
  if (early) reason += ` ${unfinishedNote(explanation.breakdown)}`;
  if (wait.waitedMs > 0 && (!isFinished(run) || early)) {
    const lastPoll = wait.lastError === undefined ? '' : ` Its last poll failed: ${wait.lastError}`;
    reason += ` The gate waited ${formatDuration(wait.waitedMs)} (wait-timeout ${formatDuration(wait.settings.waitTimeoutMs)}).${lastPoll}`;
  }
  return reason;
}

/**
 * decide-early for one agent: each poll's run judged with every task not yet done failed,
 * pooled with the earlier runs the rules need (read once, at the first poll: they are finished).
 */
function earlyPass(agent: string, rules: Rules, first: ExecutionsPage, context: CheckContext): DecideEarly {
  let earlier: Promise<readonly Execution[]> | undefined;
  return async (run, previous) => {
    earlier ??= earlierRuns(agent, run, first, rules, context);
    return decideEarly(run, previous, rules, context.clock.now(), await earlier);
  };
}

/** The run's tasks counted; a failure to read them is noted on the explanation, not thrown. */
async function explain(agent: string, run: Execution, context: CheckContext, log: AgentLog): Promise<Explanation> {
  const explanation = await explainRun(context.api, agent, run, context.settings.maxPages);
  const { breakdown: b, pages, stop } = explanation;
  log.debug(
    `${agent}: read ${b.tasks} task(s) of run ${run.runId} in ${pages} page(s), stopped: ${stop}${explanation.error ? ` (${explanation.error})` : ''}.`
  );
  return explanation;
}

/**
 * The runs the window and the baseline need: page 1, and further pages only until no later
 * page can change which finished runs before the judged one they hold (or the pages run out).
 */
async function earlierRuns(
  agent: string,
  judged: Execution,
  first: ExecutionsPage,
  rules: Rules,
  context: CheckContext
): Promise<readonly Execution[]> {
  const wanted = runsWanted(rules);
  if (wanted === 0) return [];
  const scan = await context.api.scan(agent, { page: first, number: 1 }, (read, page) =>
    enoughBefore(judged, read, page, wanted)
  );
  return scan.executions;
}

/**
 * The latest run. Page 1 holds it, unless every run on page 1 shares its instant: then a run at
 * that instant on a later page could be the later one by run_id, so pages are read until one
 * holds an older run (or they run out). The scan asks page 1 first, so it usually reads nothing.
 */
async function latestRun(agent: string, first: ExecutionsPage, context: CheckContext): Promise<Execution | undefined> {
  const latest = chooseLatest(first.executions);
  if (latest === undefined) return undefined;
  const scan = await context.api.scan(agent, { page: first, number: 1 }, (_read, page) =>
    page.some((r) => r.created < latest.created)
  );
  return chooseLatest(scan.executions);
}
