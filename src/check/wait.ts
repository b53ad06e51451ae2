/**
 * Waiting for a run: following a chosen run until it finishes, and looking for a run-id not
 * listed yet. Both stop at wait-timeout from the step's start and poll through API outages.
 */
import { ApiError, type Clock, type RunSearch, type UnpodApi } from '../unpod/client.js';
import { formatDuration } from '../values/duration.js';
import {
  DataError,
  describeCounts,
  isFinished,
  isKnownStatus,
  type Execution,
  type ExecutionsPage
} from '../unpod/executions.js';
import type { EarlyPass } from '../rules/early.js';
import type { Settings } from '../settings/inputs.js';
import { quote } from '../values/text.js';

/** What a wait needs of the step: its settings, the API, the clock and when the step started. */
export interface WaitContext {
  readonly settings: Pick<Settings, 'waitTimeoutMs' | 'pollIntervalMs'>;
  readonly api: UnpodApi;
  readonly clock: Clock;
  /** When the step started, epoch ms: the wait deadline counts from here. */
  readonly startedAt: number;
}

/** Poll lines, folded into one group per wait in the Actions log. */
export interface WaitLog {
  info(line: string): void;
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}

/** Where a followed run ended up, and what the wait saw on the way. */
export interface Followed {
  readonly run: Execution;
  /** The page the run was last found on. */
  readonly page: number;
  /** Page 1 as last read, when a poll read it. */
  readonly first?: ExecutionsPage;
  readonly waitedMs: number;
  /** The last poll's failure, when the last poll failed. */
  readonly lastError?: string;
  /** The pass decided before the run finished, when `early` found one. */
  readonly early?: EarlyPass;
}

/** decide-early: the pass of the run as this poll and the one before saw it, if already certain. */
export type DecideEarly = (run: Execution, previous: Execution) => Promise<EarlyPass | undefined>;

/** A run-id's search after waiting for it to be listed. */
export interface Listing {
  readonly search: RunSearch;
  readonly first?: ExecutionsPage;
  readonly waitedMs: number;
}

/**
 * Polls the chosen run by id until it finishes or wait-timeout (from the step's start) passes.
 * A poll the API fails is logged and the next one tried: the run was last seen unfinished, so
 * an API outage during the wait can only end in "still running", never in a pass.
 */
export async function follow(
  agent: string,
  chosen: Execution,
  onPage: number,
  context: WaitContext,
  log: WaitLog,
  /** Poll at least once even though the run reads finished. */
  again = false,
  early?: DecideEarly
): Promise<Followed> {
  const { settings, clock } = context;
  const waitUntil = context.startedAt + settings.waitTimeoutMs;
  const began = clock.now();
  const title = `Waiting for run ${quote(chosen.runId, 60)} of ${quote(agent, 80)} (status ${describeStatus(chosen)}, up to ${formatDuration(settings.waitTimeoutMs)} from the step's start)`;
  return log.group(title, async () => {
    let run = chosen;
    let page = onPage;
    let first: ExecutionsPage | undefined;
    let lastError: string | undefined;
    let pause = settings.pollIntervalMs;
    for (let poll = 1; (again && poll === 1) || !isFinished(run); poll++) {
      const remaining = waitUntil - clock.now();
      if (remaining <= 0) break;
      await clock.sleep(Math.min(pause, remaining));
      pause = settings.pollIntervalMs;
      const previous = run;
      try {
        const found = await pollRun(agent, chosen.runId, page, context);
        run = found.execution;
        page = found.page;
        first = found.first ?? first;
        lastError = undefined;
      } catch (error) {
        if (!(error instanceof ApiError && error.kind === 'unavailable')) throw error;
        lastError = error.message;
        log.info(`Poll ${poll} failed: ${error.message}`);
        // A server that asks for quiet is given it; one that asks past the wait ends the wait.
        const asked = error.retryAfterMs ?? 0;
        if (clock.now() + asked >= waitUntil) break;
        pause = Math.max(pause, asked);
        continue;
      }
      log.info(`Poll ${poll}: ${describeProgress(run)}, ${formatDuration(clock.now() - began)} waited.`);
      const decided = early === undefined ? undefined : await early(run, previous);
      if (decided !== undefined) {
        log.info(`Passed, ${decided.note}.`);
        return { run, page, first, waitedMs: clock.now() - began, early: decided };
      }
    }
    return { run, page, first, waitedMs: clock.now() - began, lastError };
  });
}

/**
 * Looks for a run not listed yet, from page 1 each poll, until it is or wait-timeout (from the
 * step's start) passes. A poll the API fails is logged and the next one tried.
 */
export async function awaitListing(
  agent: string,
  runId: string,
  search: RunSearch,
  context: WaitContext,
  log: WaitLog
): Promise<Listing> {
  const { settings, api, clock } = context;
  const waitUntil = context.startedAt + settings.waitTimeoutMs;
  const began = clock.now();
  const title = `Waiting for run ${quote(runId, 60)} of ${quote(agent, 80)} to be listed (up to ${formatDuration(settings.waitTimeoutMs)} from the step's start)`;
  return log.group(title, async () => {
    let latest = search;
    let first: ExecutionsPage | undefined;
    for (let poll = 1; latest.execution === undefined; poll++) {
      const remaining = waitUntil - clock.now();
      if (remaining <= 0) break;
      await clock.sleep(Math.min(settings.pollIntervalMs, remaining));
      try {
        first = await api.fetchPage(agent, 1);
        latest = await api.findRun(agent, runId, { page: first, number: 1 });
      } catch (error) {
        if (!(error instanceof ApiError && error.kind === 'unavailable')) throw error;
        log.info(`Poll ${poll} failed: ${error.message}`);
        continue;
      }
      const state = latest.execution === undefined ? 'not listed yet' : 'listed';
      log.info(`Poll ${poll}: ${state}, ${formatDuration(clock.now() - began)} waited.`);
    }
    return { search: latest, first, waitedMs: clock.now() - began };
  });
}

/**
 * The run's current state from the page it was last on (or a later one, as newer runs push it
 * back); only if it is not there, a search from page 1.
 */
async function pollRun(
  agent: string,
  runId: string,
  onPage: number,
  context: WaitContext
): Promise<{ execution: Execution; page: number; first?: ExecutionsPage }> {
  const { api } = context;
  const start = await api.fetchPage(agent, onPage);
  let first = onPage === 1 ? start : undefined;
  let search = await api.findRun(agent, runId, { page: start, number: onPage });
  if (search.execution === undefined && onPage > 1) {
    first = await api.fetchPage(agent, 1);
    search = await api.findRun(agent, runId, { page: first, number: 1 });
  }
  if (search.execution === undefined || search.page === undefined) {
    throw new DataError(
      `Run ${quote(runId)} of agent ${quote(agent)} disappeared from the executions list while the gate waited for it (${search.searched} executions searched).`
    );
  }
  return { execution: search.execution, page: search.page, first };
}

/** `"running", 3 of 25 tasks done`. */
function describeProgress(run: Execution): string {
  return `${describeStatus(run)}, ${describeCounts(run)}`;
}

/** `"running"`, or `"cancelled" (a status unknown to the gate)`: the unknown ones never end a wait. */
function describeStatus(run: Execution): string {
  const unknown = isKnownStatus(run) ? '' : ' (a status unknown to the gate)';
  return `${quote(run.status, 40)}${unknown}`;
}
