/** The action: read inputs, gate each agent, then report on every path before failing. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { UnpodApi, systemClock, type Clock } from './unpod/client.js';
import { Cancelled } from './unpod/cancel.js';
import { annexAgent, decideAgent, undecided, type AgentLog, type AgentResult, type Progress } from './check/agent.js';
import { settleBy } from './check/deadline.js';
import { formatDuration } from './values/duration.js';
import { Transport } from './unpod/transport.js';
import { MIN_TOKEN_LENGTH, readSettings, tokenForms, type Settings } from './settings/inputs.js';
import { SKIPPED, buildSkipSummary, outputsForSkip } from './report/skip.js';
import { TITLE, annotations } from './report/annotations.js';
import { buildInputErrorSummary, buildSummary } from './report/summary.js';
import { decide, type Decision } from './report/decision.js';
import { logLine, outputsFor, outputsForInputError, resultJson } from './report/outputs.js';
import { log } from './report/log.js';
import { judgingThresholds, trendSettings } from './report/judgement.js';
import { oneLine, redact } from './values/text.js';
import { USER_AGENT } from './unpod/version.js';
import { commentTarget } from './github/context.js';
import { GitHubApi, GitHubError } from './github/client.js';
import { commentKey } from './github/marker.js';
import { keepComment } from './github/sticky.js';
import { buildComment } from './report/comment.js';

export async function run(): Promise<void> {
  const startedAt = Date.now();
  // Mask every form of the token before anything, even an input error, can print it.
  const rawToken = core.getInput('token');
  const githubToken = core.getInput('github-token').trim();
  const secrets = [
    ...(rawToken.trim() === '' ? [] : tokenForms(rawToken).secrets),
    ...(githubToken.length >= MIN_TOKEN_LENGTH ? [githubToken] : [])
  ];
  for (const secret of secrets) log.mask(secret);

  let failure: string | undefined;
  try {
    failure = await gate(startedAt, secrets);
  } catch (error) {
    // A bug or an unwritable file, not an API answer: still report it, without a secret.
    failure = `Unexpected error: ${redact(errorMessage(error), secrets)}`;
    await reportFailure(failure, true);
  }
  if (failure !== undefined) log.fail(failure);
  // The verdict is out. A socket the runtime cannot cancel (a proxy that never answers CONNECT)
  // must not keep the step alive: give the log a moment to drain, then exit.
  // Every request and timer was cancelled, so this fires only for such a socket; the debug line
  // makes it visible (the tests check it stays silent otherwise).
  setTimeout(() => {
    log.debug(`Forced exit: something still held the process ${EXIT_GRACE_MS} ms after the verdict.`);
    process.exit();
  }, EXIT_GRACE_MS).unref();
}

/** How long the process may linger after its verdict. */
const EXIT_GRACE_MS = 2000;

/** How long work may take to end once cancelled before its agent is reported without it. */
const CANCEL_GRACE_MS = 1000;

/** The stand-in for an agent whose work did not end when cancelled: a bug, made visible. */
function stuck<T>(agent: string, standIn: T): T {
  log.debug(`${agent}: its work did not end when step-timeout cancelled it; reported as it stood.`);
  return standIn;
}

/** Gates every agent and reports; returns why the step must fail, if it must. */
async function gate(startedAt: number, secrets: readonly string[]): Promise<string | undefined> {
  let settings: Settings;
  try {
    settings = readSettings((name) => core.getInput(name));
  } catch (error) {
    const message = redact(errorMessage(error), secrets);
    // Honour an explicit `summary: false` even when another input is wrong.
    await reportFailure(message, core.getInput('summary').trim().toLowerCase() !== 'false');
    return message;
  }
  logSettings(settings);
  if (settings.skip) {
    // No token, no verdict: nothing is fetched and nothing is posted.
    setOutputs(outputsForSkip());
    if (settings.summary) await writeSummary(buildSkipSummary());
    log.notice(SKIPPED, { title: TITLE });
    return undefined;
  }
  log.info(describeRun(settings));
  for (const warning of settings.warnings) log.warning(warning, { title: TITLE });

  const transport = new Transport(USER_AGENT);
  // step-timeout bounds everything from the step's start, queueing for request slots included.
  // At the limit every request, queue and timer still open is cancelled: an agent not decided by
  // then is reported as an API failure, and a decided one keeps its verdict, its explanation
  // saying it could not finish.
  const limitAt = startedAt + settings.stepTimeoutMs;
  const limit = new AbortController();
  const limitTimer = setTimeout(
    () => {
      limit.abort(new Cancelled(`step-timeout ${formatDuration(settings.stepTimeoutMs)}`));
    },
    Math.max(0, limitAt - Date.now())
  );
  // A last resort, should some work not end when cancelled: its agent is reported as it stood.
  const backstop = (): number => limitAt - Date.now() + CANCEL_GRACE_MS;
  const clock: Clock = { ...systemClock, sleep: (ms) => systemClock.sleep(ms, limit.signal) };
  /** False once the verdict is out: work the step-timeout cut short logs no more. */
  const open = { value: true };
  const api = new UnpodApi(
    settings,
    transport,
    {
      info: (line) => {
        if (open.value) log.info(line);
      },
      debug: (line) => {
        if (open.value) log.debug(line);
      }
    },
    clock,
    limit.signal
  );
  let results: AgentResult[];
  try {
    const single = settings.agents.length === 1;
    const context = { settings, api, clock, startedAt };
    const agents = settings.agents.map((agent) => ({ agent, lines: agentLog(agent, single, open) }));
    // Every agent is decided at once; `concurrency` bounds the requests in flight, not the
    // agents, so that one agent's wait for its run does not hold back another's. Only then are
    // the explanations read: they never take a request slot from a verdict.
    const decided = await Promise.all(
      agents.map(async ({ agent, lines }) => {
        const progress: Progress = {};
        const decision = await settleBy(decideAgent(agent, context, lines, progress), backstop(), () =>
          stuck(agent, { result: undecided(agent, settings, progress) })
        );
        return { decision, lines };
      })
    );
    results = await Promise.all(
      decided.map(({ decision, lines }) =>
        settleBy(annexAgent(decision, context, lines), backstop(), () => stuck(decision.result.agent, decision.result))
      )
    );
  } finally {
    clearTimeout(limitTimer);
    // Nothing may leave after the verdict, not even work a backstop gave up on.
    limit.abort(new Cancelled('the verdict'));
    open.value = false;
    log.endGroup();
    transport.dispose();
  }
  log.debug(`${api.requests} request(s) sent in ${Date.now() - startedAt} ms.`);

  for (const result of results) log.info(logLine(result, settings));
  const decision = decide(results, settings);
  setOutputs(outputsFor(results, decision));
  if (settings.summary) await writeSummary(buildSummary(results, decision, settings, Date.now()));
  if (settings.reportPath !== undefined) await writeReport(settings, results, decision);
  // A comment that fails adds one warning: keep a slot for it among GitHub's 10.
  const commentSlot = settings.prComment === 'off' ? [] : ['pr-comment'];
  annotate(results, decision, { ...settings, warnings: [...settings.warnings, ...commentSlot] });
  if (settings.prComment !== 'off') {
    const problem = await writeComment(settings, results, decision, startedAt);
    if (problem !== undefined) log.warning(redact(problem, secrets), { title: `${TITLE}: pull-request comment` });
  }
  return decision.failStep ? decision.headline : undefined;
}

/** Outputs and summary for a failure before any verdict: bad input, or a bug. */
async function reportFailure(message: string, summary: boolean): Promise<void> {
  try {
    setOutputs(outputsForInputError(message));
  } catch (error) {
    log.warning(`Could not write the outputs: ${oneLine(errorMessage(error))}`, { title: TITLE });
  }
  if (summary) await writeSummary(buildInputErrorSummary(message));
}

function agentLog(agent: string, single: boolean, open: { readonly value: boolean }): AgentLog {
  const prefix = single ? '' : `[${oneLine(agent, 80)}] `;
  // Lines carry values from the API: log.ts makes each inert.
  return {
    info: (line) => {
      if (open.value) log.info(`${prefix}${line}`);
    },
    debug: (line) => {
      if (open.value) log.debug(line);
    },
    // Several agents poll at once, so their lines would interleave inside one group: only a
    // lone agent gets a folded group.
    group: (title, body) => {
      if (!open.value) return body();
      if (single) return log.group(title, body);
      log.info(`${prefix}${title}`);
      return body();
    }
  };
}

/** The first line of the log: what is about to be gated, and against what. */
function describeRun(settings: Settings): string {
  const what = settings.agents.length === 1 ? `agent ${settings.agents[0] ?? ''}` : `${settings.agents.length} agents`;
  const run = settings.runId === undefined ? 'latest run' : `run ${settings.runId}`;
  const wait = settings.waitTimeoutMs > 0 ? `, waiting up to ${formatDuration(settings.waitTimeoutMs)}` : '';
  const mode = settings.enforce ? '' : ', report only';
  const trend = trendSettings(settings);
  return oneLine(
    `Gating the ${run} of ${what} in ${settings.orgHandle} at ${settings.baseUrl}: ${judgingThresholds(settings)}${trend}${wait}${mode}.`,
    1000
  );
}

function logSettings(settings: Settings): void {
  const shown: Record<string, unknown> = {
    ...settings,
    authorization: '***',
    githubToken: settings.githubToken === '' ? '' : '***',
    secrets: `${settings.secrets.length} masked`
  };
  shown.threshold = settings.threshold.text;
  shown.thresholds = Object.fromEntries([...settings.thresholds].map(([agent, t]) => [agent, t.text]));
  shown.maxDrop = settings.maxDrop?.text;
  shown.warnBelow = settings.warnBelow?.text;
  log.debug(`Settings: ${JSON.stringify(shown)}`);
}

function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

async function writeSummary(text: string): Promise<void> {
  try {
    await core.summary.emptyBuffer().addRaw(text).write({ overwrite: false });
  } catch (error) {
    log.warning(
      `Could not write the job summary (${oneLine(errorMessage(error))}); the outputs and the log have the verdict.`,
      { title: TITLE }
    );
  } finally {
    core.summary.emptyBuffer();
  }
}

async function writeReport(settings: Settings, results: readonly AgentResult[], decision: Decision): Promise<void> {
  const path = settings.reportPath ?? '';
  const report = {
    generated: new Date().toISOString(),
    passed: decision.passed,
    reason: decision.reason,
    settings: {
      agents: settings.agents,
      org_handle: settings.orgHandle,
      base_url: settings.baseUrl,
      threshold: Number(settings.threshold.text),
      run_id: settings.runId ?? null,
      min_tasks: settings.minTasks,
      max_age_ms: settings.maxAgeMs ?? null,
      enforce: settings.enforce,
      on_api_error: settings.onApiError,
      wait_timeout_ms: settings.waitTimeoutMs,
      decide_early: settings.decideEarly,
      step_timeout_ms: settings.stepTimeoutMs,
      thresholds: Object.fromEntries([...settings.thresholds].map(([agent, t]) => [agent, Number(t.text)])),
      window: settings.window,
      baseline_runs: settings.baselineRuns,
      max_drop: settings.maxDrop === undefined ? null : Number(settings.maxDrop.text),
      warn_below: settings.warnBelow === undefined ? null : Number(settings.warnBelow.text),
      confidence: settings.confidence === undefined ? null : Number(settings.confidence)
    },
    results: results.map(resultJson)
  };
  try {
    await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
    log.info(`Report written to ${path}.`);
  } catch (error) {
    log.warning(`Could not write report-path ${JSON.stringify(path)}: ${oneLine(errorMessage(error))}`, {
      title: TITLE
    });
  }
}

/** The least time the comment gets after the verdict, even when step-timeout has run out. */
const COMMENT_MIN_MS = 10_000;

/**
 * Keeps the verdict's comment on the pull request. It never decides anything: any failure is
 * returned as the one warning to write, and the verdict, outputs and exit code stay as they are.
 */
async function writeComment(
  settings: Settings,
  results: readonly AgentResult[],
  decision: Decision,
  startedAt: number
): Promise<string | undefined> {
  if (settings.prComment === 'off') return undefined;
  const target = commentTarget(process.env, readEvent(process.env.GITHUB_EVENT_PATH), settings.prNumber);
  if ('problem' in target) {
    if (target.warn) return target.problem;
    log.info(target.problem);
    return undefined;
  }
  const transport = new Transport(USER_AGENT);
  const api = new GitHubApi(
    {
      apiUrl: target.apiUrl,
      token: settings.githubToken,
      requestTimeoutMs: settings.requestTimeoutMs,
      retries: settings.retries,
      deadline: Math.max(startedAt + settings.stepTimeoutMs, Date.now() + COMMENT_MIN_MS)
    },
    transport,
    log,
    systemClock
  );
  const key = commentKey(target.workflow, target.job, settings.agents);
  const body = buildComment(results, decision, settings, { ...target, key }, Date.now());
  try {
    const asked = { repository: `${target.owner}/${target.repo}`, pullNumber: target.pullNumber };
    log.info(
      await keepComment(api, asked, {
        key,
        runId: target.runId,
        mode: settings.prComment,
        passed: decision.passed,
        body
      })
    );
    return undefined;
  } catch (error) {
    const why = error instanceof GitHubError ? error.message : `Unexpected error: ${errorMessage(error)}`;
    return `The pull-request comment was not written: ${why} The verdict is unchanged.`;
  } finally {
    transport.dispose();
  }
}

/** The event payload the runner wrote; undefined when there is none or it cannot be read. */
function readEvent(path: string | undefined): unknown {
  if (path === undefined || path === '') return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The verdict's annotations, each level within what GitHub shows (annotations.ts). */
function annotate(results: readonly AgentResult[], decision: Decision, settings: Settings): void {
  for (const { level, message, title } of annotations(results, decision, settings)) log[level](message, { title });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
