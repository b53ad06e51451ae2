/**
 * Gating one agent, waiting included, against the example server on loopback with a clock
 * whose sleeps return at once: the polling schedule and request counts, exactly.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Run } from '../../emulator/server.mjs';
import { UnpodApi, type Clock } from '../../src/unpod/client.js';
import { Cancelled } from '../../src/unpod/cancel.js';
import {
  annexAgent,
  checkAgent,
  decideAgent,
  undecided,
  type AgentLog,
  type AgentResult,
  type Progress
} from '../../src/check/agent.js';
import type { Settings } from '../../src/settings/inputs.js';
import { fakeClock, gateSettings, hex, run, sharedEmulator } from '../helpers.js';

const shared = sharedEmulator('agent');
const { transport, agentWith } = shared;

/** Settings for one agent of the shared server, threshold 95, with `inputs` on top. */
const settingsFor = (agent: string, inputs: Record<string, string>) =>
  gateSettings({ 'agent-handle': agent, 'base-url': shared.server.url, ...inputs });

async function check(agent: string, inputs: Record<string, string>) {
  const settings = settingsFor(agent, inputs);
  const clock = fakeClock();
  const lines: string[] = [];
  const debug: string[] = [];
  const groups: string[] = [];
  const log: AgentLog = {
    info: (l) => lines.push(l),
    debug: (l) => debug.push(l),
    group: (title, body) => {
      groups.push(title);
      return body();
    }
  };
  const api = new UnpodApi(settings, transport, { info: (l) => lines.push(l), debug: () => undefined }, clock);
  const result = await checkAgent(agent, { settings, api, clock, startedAt: 0 }, log);
  return { result, slept: clock.slept, lines, debug, groups, settings };
}

/** A failed result with nothing judged: no run, counts or rate, no history, no notes. */
const nothingJudged = (agent: string, settings: Settings, over: Partial<AgentResult>): AgentResult => ({
  agent,
  passed: false,
  reason: '',
  failure: 'breach',
  run: undefined,
  counts: undefined,
  rate: undefined,
  executionCount: undefined,
  history: [],
  verdict: 'fail',
  warning: '',
  threshold: settings.threshold,
  judged: { notes: [] },
  ...over
});

/** Requests to the tasks endpoint for `agent` so far. */
const tasksAsked = (agent: string): number =>
  shared.server.requests.filter((q) => q.agent === agent && q.endpoint === 'tasks').length;

describe('checkAgent waiting for a run', () => {
  it('polls every poll-interval until the run finishes, then judges it', async () => {
    const { agent, pages } = agentWith([
      run(1, {
        status: 'in_progress',
        completed_tasks: 3,
        timeline: [{ afterRequests: 3, status: 'completed', completed_tasks: 24 }]
      })
    ]);
    const { result, slept } = await check(agent, { 'wait-timeout': '10m', 'poll-interval': '15s' });
    expect(result).toMatchObject({ passed: true, rate: '96', failure: undefined });
    expect(slept).toEqual([15_000, 15_000, 15_000]);
    expect(pages()).toEqual(['1', '1', '1', '1']);
  });

  it('never sends more than ceil(wait / poll) + 1 requests for a run that never finishes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }), async (waitS, pollS) => {
        const { agent, pages } = agentWith([run(1, { status: 'processing', completed_tasks: 1 })]);
        const { result, slept } = await check(agent, { 'wait-timeout': `${waitS}s`, 'poll-interval': `${pollS}s` });
        expect(result.passed).toBe(false);
        expect(result.reason).toContain(`(wait-timeout ${waitS}s)`);
        expect(pages().length).toBe(Math.ceil(waitS / pollS) + 1);
        expect(slept.reduce((a, b) => a + b, 0)).toBe(waitS * 1000);
      }),
      { numRuns: 25 }
    );
  });

  it('polls the page the run is on', async () => {
    const runs = Array.from({ length: 110 }, (_, i) => run(i + 2));
    const { agent, pages } = agentWith([run(1, { status: 'processing' }), ...runs]);
    const { result } = await check(agent, { 'run-id': hex(1), 'wait-timeout': '45s', 'poll-interval': '15s' });
    expect(result.reason).toContain('is still "processing"');
    expect(pages()).toEqual(['1', '2', '3', '3', '3', '3']);
  });

  it('waits for a run-id that is not listed yet (a run just started), then follows it to the end', async () => {
    const { agent, pages } = agentWith([
      run(2),
      run(3, {
        hidden: true,
        status: 'pending',
        completed_tasks: 0,
        timeline: [
          { afterRequests: 2, hidden: false, status: 'in_progress', completed_tasks: 10 },
          { afterRequests: 3, status: 'completed', completed_tasks: 25 }
        ]
      })
    ]);
    const { result, slept, lines } = await check(agent, {
      'run-id': hex(3),
      'wait-timeout': '10m',
      'poll-interval': '15s'
    });
    expect(result).toMatchObject({ passed: true, rate: '100', executionCount: 2 });
    expect(result.run?.runId).toBe(hex(3));
    expect(slept).toEqual([15_000, 15_000, 15_000]);
    expect(pages()).toEqual(['1', '1', '1', '1']);
    expect(lines.filter((l) => l.startsWith('Poll '))).toEqual([
      'Poll 1: not listed yet, 15s waited.',
      'Poll 2: listed, 30s waited.',
      'Poll 1: "completed", 25 of 25 tasks done, 15s waited.'
    ]);
  });

  it('gives up on a run-id never listed when the wait ends, or at once without a wait', async () => {
    const { agent, pages } = agentWith([run(2)]);
    const waited = await check(agent, { 'run-id': hex(3), 'wait-timeout': '45s', 'poll-interval': '20s' });
    expect(waited.result.failure).toBe('config');
    expect(waited.result.reason).toBe(
      `Run "${hex(3)}" was not found among the 1 most recent executions of agent "${agent}" (1 page searched), though the gate waited 45s for it to appear (wait-timeout 45s): check 'run-id'.`
    );
    expect(waited.slept).toEqual([20_000, 20_000, 5_000]);
    expect(pages()).toHaveLength(4);
    const atOnce = await check(agent, { 'run-id': hex(3) });
    expect(atOnce.result.reason).toMatch(/\(1 page searched\): check 'run-id'\.$/);
    expect(atOnce.slept).toEqual([]);
    expect(pages()).toHaveLength(5);
  });

  it('keeps polling through API failures and ends in "still running", naming the last failure', async () => {
    const { agent } = agentWith([run(1, { status: 'running', completed_tasks: 2 })]);
    // The first answer is healthy (a zero latency uses up the first place in the queue); every later one fails.
    shared.server.fault({ kind: 'latency', ms: 0, agent, times: 1 });
    shared.server.fault({ kind: 'status', status: 503, agent, times: Infinity });
    const pending = check(agent, { 'wait-timeout': '60s', 'poll-interval': '20s', retries: '0' });
    const { result, lines } = await pending;
    expect(result.failure).toBe('breach');
    expect(result.reason).toMatch(
      /is still "running" .* Its last poll failed: The API is failing \(HTTP 503\), after 1 attempt\.$/
    );
    expect(lines.filter((l) => l.startsWith('Poll '))).toEqual([
      'Poll 1 failed: The API is failing (HTTP 503), after 1 attempt.',
      'Poll 2 failed: The API is failing (HTTP 503), after 1 attempt.',
      'Poll 3 failed: The API is failing (HTTP 503), after 1 attempt.'
    ]);
  });
});

describe('checkAgent over a window and a baseline', () => {
  /** `count` finished runs, newest (highest n) first on the server. */
  const many = (count: number, completed = 24) =>
    Array.from({ length: count }, (_, i) => run(i + 1, { completed_tasks: completed }));

  it('reads no page beyond the first when the window and the baseline fit in it', async () => {
    const { agent, pages } = agentWith(many(20));
    const { result } = await check(agent, { window: '5', 'max-drop': '1', 'baseline-runs': '10' });
    expect(result).toMatchObject({ passed: true, verdict: 'pass' });
    expect(result.judged.window?.runs).toHaveLength(5);
    expect(result.judged.baseline?.runs).toHaveLength(10);
    expect(pages()).toEqual(['1']);
  });

  it('reads only the pages a window of 50 and a baseline of 50 need', async () => {
    const { agent, pages } = agentWith(many(150));
    const { result } = await check(agent, { window: '50', 'max-drop': '1', 'baseline-runs': '50' });
    expect(result.judged.window?.counts).toEqual({ completed: 50 * 24, total: 50 * 25 });
    expect(result.judged.baseline?.runs).toHaveLength(50);
    // 100 runs fill two pages of 50; the third shows that no run there shares the 100th's instant.
    expect(pages()).toEqual(['1', '2', '3']);
    const fits = agentWith(many(150));
    await check(fits.agent, { window: '25', 'max-drop': '1', 'baseline-runs': '20' });
    expect(fits.pages()).toEqual(['1']); // 45 runs: one page, with older runs after them
  });

  it('reads on when a page ends at the instant of the oldest run the window needs', async () => {
    // 49 runs before the judged one fill page 1; run 1's twin (a greater run_id at its instant)
    // is listed on page 2, and is the later of the two.
    const twin = run(1, { run_id: hex(0xfff), completed_tasks: 20 });
    const { agent, pages } = agentWith([...many(50), twin, run(0), run(-1)]);
    const { result } = await check(agent, { window: '50', threshold: '0' });
    expect(result.judged.window?.runs.at(-1)?.runId).toBe(hex(0xfff));
    expect(result.judged.window?.counts).toEqual({ completed: 49 * 24 + 20, total: 50 * 25 });
    expect(pages()).toEqual(['1', '2']);
  });

  it('chooses the latest run by run_id when page 1 holds only runs of one instant', async () => {
    const created = '2026-11-20T10:00:00Z';
    const tied = Array.from({ length: 51 }, (_, i) => run(i, { created, completed_tasks: i === 50 ? 20 : 25 }));
    // Page 2 holds the last tied run and older ones, and a page 3 follows: no need to read it.
    const older = Array.from({ length: 60 }, (_, i) => run(-5 - i));
    const { agent, pages } = agentWith([...tied, ...older]);
    const { result } = await check(agent, {});
    expect(result.run?.runId).toBe(hex(50));
    expect(result).toMatchObject({ passed: false, rate: '80' });
    expect(pages()).toEqual(['1', '2']);
    // Page 1 with an older run settles it at once.
    const plain = agentWith(many(60));
    expect((await check(plain.agent, {})).result.run?.runId).toBe(hex(60));
    expect(plain.pages()).toEqual(['1']);
  });

  it('stops at the last page when fewer runs exist, and says so', async () => {
    const { agent, pages } = agentWith(many(60));
    const { result } = await check(agent, { window: '50', 'max-drop': '1', 'baseline-runs': '50' });
    expect(result.judged.baseline?.runs).toHaveLength(10);
    expect(pages()).toEqual(['1', '2']);
    const short = agentWith(many(3));
    const alone = await check(short.agent, { window: '5' });
    expect(alone.result.judged.notes).toEqual(['The window of 5 holds 3 runs.']);
  });

  it('judges each agent against its own threshold', async () => {
    const { agent } = agentWith(many(2, 23));
    const settings = { 'agent-handle': `${agent}\nsales-agent`, thresholds: `${agent}: 92` };
    expect((await check(agent, settings)).result).toMatchObject({ passed: true });
    expect((await check(agent, { thresholds: '' })).result).toMatchObject({ passed: false });
  });
});

describe('undecided', () => {
  it('is an API failure naming the agent and step-timeout, with nothing judged', () => {
    const settings = gateSettings({ 'step-timeout': '5m' });
    expect(undecided('sales-agent', settings)).toEqual(
      nothingJudged('sales-agent', settings, {
        reason:
          'Agent "sales-agent" was not decided within step-timeout 5m 0s: the API did not answer in time for every request (raise step-timeout or concurrency, or lower request-timeout or retries).',
        failure: 'unavailable'
      })
    );
  });
});

describe('checkAgent and the tasks of a run called completed too early', () => {
  /** The server's quirk: `completed` at 1 of 25 with 24 tasks still to go, truly done after 3 answers. */
  const early = (): Run =>
    run(1, {
      completed_tasks: 1,
      pendingTasks: 24,
      timeline: [{ afterRequests: 3, completed_tasks: 25, pendingTasks: 0 }]
    });

  it('keeps waiting while its tasks are unfinished, then judges the finished run', async () => {
    const { agent, pages } = agentWith([early()]);
    const { result, slept, lines } = await check(agent, { 'wait-timeout': '10m', 'poll-interval': '15s' });
    expect(result).toMatchObject({ passed: true, rate: '100', reason: '' });
    expect(pages()).toEqual(['1', '1', '1', '1']);
    expect(slept).toEqual([15_000, 15_000, 15_000]);
    expect(tasksAsked(agent)).toBe(3); // once per judgement that failed, one page each
    expect(lines.filter((l) => l.includes('waiting on'))).toHaveLength(3);
    expect(lines[0]).toBe(`Run "${hex(1)}" is called "completed", but 24 of its tasks are not finished: waiting on.`);
  });

  it('says the run may not have finished when it does not wait', async () => {
    const { agent } = agentWith([early()]);
    const { result } = await check(agent, {});
    expect(result.passed).toBe(false);
    expect(result.reason).toBe(
      `Run "${hex(1)}" completed 1 of 25 tasks (4%), below the threshold of 95%; of the 24 tasks not completed, 12 are in_progress. The run may not have finished yet: 24 of its tasks are still pending or in progress, though the API calls it completed.`
    );
    expect(result.explanation?.breakdown).toMatchObject({ tasks: 25, unfinished: 24, partial: false });
  });

  it('says so too when the wait runs out', async () => {
    const { agent } = agentWith([run(1, { completed_tasks: 1, pendingTasks: 24 })]);
    const { result, slept } = await check(agent, { 'wait-timeout': '40s', 'poll-interval': '15s' });
    expect(slept).toEqual([15_000, 15_000, 10_000]);
    expect(result.reason).toMatch(
      /The run may not have finished yet: 24 of its tasks .* The gate waited 40s \(wait-timeout 40s\)\.$/
    );
  });

  it('with explain: never, judges the run as listed and reads no task', async () => {
    const { agent, pages } = agentWith([early()]);
    const { result } = await check(agent, { 'wait-timeout': '10m', explain: 'never' });
    expect(result.reason).toBe(`Run "${hex(1)}" completed 1 of 25 tasks (4%), below the threshold of 95%.`);
    expect(result.explanation).toBeUndefined();
    expect(pages()).toEqual(['1']);
    expect(tasksAsked(agent)).toBe(0);
  });
});

describe('the verdict first, then the annex', () => {
  const quiet: AgentLog = { info: () => undefined, debug: () => undefined, group: (_t, body) => body() };
  const limit = new Cancelled('step-timeout 30s');

  /** A fake clock whose sleeps honour their signal, and whose `abortOnSleep`-th sleep aborts it first. */
  function cutting(controller: AbortController, abortOnSleep: number): Clock & { slept: number[] } {
    const clock = fakeClock();
    let sleeps = 0;
    return {
      ...clock,
      sleep: (ms, signal) => {
        if (++sleeps === abortOnSleep) controller.abort(limit);
        const s = signal ?? controller.signal;
        return s.aborted ? Promise.reject(limit) : clock.sleep(ms);
      }
    };
  }

  function contextFor(agent: string, inputs: Record<string, string>, controller: AbortController, abortOnSleep = 0) {
    const settings = settingsFor(agent, inputs);
    const clock = cutting(controller, abortOnSleep);
    const api = new UnpodApi(
      settings,
      transport,
      { info: () => undefined, debug: () => undefined },
      clock,
      controller.signal
    );
    return { settings, api, clock, startedAt: 0 };
  }

  it("decides from the executions alone: the result is explain: never's, and the annex only adds the explanation", async () => {
    const { agent } = agentWith([run(1, { completed_tasks: 23 })]);
    const controller = new AbortController();
    const decided = await decideAgent(agent, contextFor(agent, {}, controller), quiet);
    const never = await checkAgent(agent, contextFor(agent, { explain: 'never' }, new AbortController()), quiet);
    expect(decided.result).toEqual(never);
    expect(decided.annex?.run.runId).toBe(hex(1));

    const full = await annexAgent(decided, contextFor(agent, {}, controller), quiet);
    expect({ ...full, reason: never.reason, explanation: undefined }).toEqual(never);
    expect(full.reason).toBe(
      `${never.reason.replace(/\.$/, '')}; of the 2 tasks not completed, ${full.explanation?.breakdown.callEndReason[0]?.count ?? 0} ended ${full.explanation?.breakdown.callEndReason[0]?.label ?? ''}.`
    );
    expect(full.explanation?.stop).toBe('all found');
  });

  it('keeps the verdict when the annex is cut short, the explanation saying it could not finish', async () => {
    const { agent } = agentWith([run(1, { completed_tasks: 23 })]);
    const controller = new AbortController();
    const context = contextFor(agent, {}, controller);
    const decided = await decideAgent(agent, context, quiet);
    controller.abort(limit);
    const asked = shared.server.requests.length;
    const result = await annexAgent(decided, context, quiet);
    expect(shared.server.requests.length).toBe(asked);
    expect({ ...result, explanation: undefined }).toEqual({ ...decided.result, explanation: undefined });
    expect(result.explanation).toMatchObject({
      stop: 'cut short',
      pages: 0,
      error:
        "Reading the run's tasks could not finish within step-timeout 30s: no page of them was read. The verdict does not depend on them."
    });
  });

  it('makes an agent cut short before its verdict undecided, with the run and history it had seen', async () => {
    const { agent } = agentWith([run(1), run(2), run(3, { status: 'processing', completed_tasks: 7 })]);
    const controller = new AbortController();
    // The first sleep (the first poll's) is where the step's time runs out.
    const context = contextFor(agent, { history: '2', 'wait-timeout': '1m', 'poll-interval': '20s' }, controller, 1);
    const progress: Progress = {};
    const decided = await decideAgent(agent, context, quiet, progress);
    expect(decided.annex).toBeUndefined();
    expect(decided.result).toEqual(undecided(agent, context.settings, progress));
    expect(decided.result.run).toMatchObject({ runId: hex(3), status: 'processing', completedTasks: 7 });
    expect(decided.result.history.map((r) => r.runId)).toEqual([hex(3), hex(2)]);
  });

  it('keeps the verdict reached when cut short while waiting on a run called completed too early', async () => {
    const { agent } = agentWith([run(1, { completed_tasks: 1, pendingTasks: 24 })]);
    const controller = new AbortController();
    const context = contextFor(agent, { 'wait-timeout': '10m', 'poll-interval': '15s' }, controller, 1);
    const decided = await decideAgent(agent, context, quiet);
    expect(decided.annex).toBeUndefined();
    expect(decided.result).toMatchObject({ passed: false, failure: 'breach', rate: '4' });
    expect(decided.result.explanation?.breakdown.unfinished).toBe(24);
    expect(decided.result.reason).toContain('The run may not have finished yet: 24 of its tasks');
  });
});

describe('checkAgent: what it says, and the work it does not do', () => {
  const early = (over: Partial<Run> = {}): Run =>
    run(1, {
      completed_tasks: 1,
      pendingTasks: 24,
      timeline: [{ afterRequests: 3, completed_tasks: 25, pendingTasks: 0 }],
      ...over
    });

  it('turns an API failure into a failed result with nothing judged, and logs it for debugging', async () => {
    const { agent } = agentWith([run(1)]);
    shared.server.fault({ kind: 'status', status: 401, agent, times: 1 });
    const { result, debug, settings } = await check(agent, {});
    expect(result.reason).toMatch(/^The API refused the token/);
    expect(result).toEqual(nothingJudged(agent, settings, { reason: result.reason, failure: 'config' }));
    expect(debug).toEqual([`${agent}: config failure: ${result.reason}`]);
  });

  it('fails an agent without executions, with nothing judged', async () => {
    const { agent } = agentWith([run(1, { hidden: true })]);
    const { result, settings } = await check(agent, {});
    expect(result).toEqual(
      nothingJudged(agent, settings, {
        reason: `Agent "${agent}" has no executions, so there is no run to judge.`,
        executionCount: 0
      })
    );
  });

  it('names the pages searched for a run-id in the plural, and a result with nothing judged', async () => {
    const { agent } = agentWith(Array.from({ length: 60 }, (_, i) => run(i + 10)));
    const { result } = await check(agent, { 'run-id': hex(3) });
    expect(result.reason).toBe(
      `Run "${hex(3)}" was not found among the 60 most recent executions of agent "${agent}" (2 pages searched): check 'run-id'.`
    );
    expect(result).toMatchObject({ warning: '', executionCount: 60 });
    expect(result.judged).toEqual({ notes: [] });
  });

  it('logs what it read, chose and decided, and what the tasks said, for debugging', async () => {
    const { agent } = agentWith([run(1, { completed_tasks: 23 })]);
    const { result, debug } = await check(agent, {});
    expect(debug).toEqual([
      `${agent}: page 1 has 1 executions, count 1.`,
      `${agent}: chose run ${hex(1)} (completed) on page 1.`,
      `${agent}: failed: Run "${hex(1)}" completed 23 of 25 tasks (92%), below the threshold of 95%.`,
      `${agent}: read 25 task(s) of run ${hex(1)} in 1 page(s), stopped: all found.`
    ]);
    expect(result.explanation?.error).toBeUndefined();

    const passing = agentWith([run(1)]);
    expect((await check(passing.agent, {})).debug.at(-1)).toBe(`${passing.agent}: passed`);

    const unreadable = agentWith([run(1, { completed_tasks: 23 })]);
    shared.server.fault({ kind: 'status', status: 500, agent: unreadable.agent, endpoint: 'tasks', times: Infinity });
    const failed = await check(unreadable.agent, { retries: '0' });
    expect(failed.debug.at(-1)).toBe(
      `${unreadable.agent}: read 0 task(s) of run ${hex(1)} in 0 page(s), stopped: error (${failed.result.explanation?.error ?? ''}).`
    );
    expect(failed.result.explanation?.error).toMatch(/^The run's tasks could not be read: /);
  });

  it('opens no wait for a run that needs none', async () => {
    // A run-id found at once, a finished latest run, and an unfinished one without wait-timeout.
    const found = agentWith([run(1), run(2)]);
    expect((await check(found.agent, { 'run-id': hex(1), 'wait-timeout': '1m' })).groups).toEqual([]);
    const finished = agentWith([run(1)]);
    const done = await check(finished.agent, { 'wait-timeout': '1m' });
    expect(done.groups).toEqual([]);
    expect(finished.pages()).toEqual(['1']);
    const running = agentWith([run(1, { status: 'running', completed_tasks: 3 })]);
    const unwaited = await check(running.agent, {});
    expect(unwaited.groups).toEqual([]);
    expect(unwaited.result.reason).not.toContain('The gate waited');
    expect(running.pages()).toEqual(['1']);
  });

  it('reports page 1 as the wait last read it: a run-id listed late, finished already', async () => {
    const { agent } = agentWith([run(2), run(3, { hidden: true, timeline: [{ afterRequests: 2, hidden: false }] })]);
    const { result } = await check(agent, { 'run-id': hex(3), 'wait-timeout': '1m', 'poll-interval': '10s' });
    expect(result).toMatchObject({ passed: true, executionCount: 2 });
    expect(result.history.map((r) => r.runId)).toEqual([hex(3), hex(2)]);
  });

  it('reports page 1 as the wait last read it: a newer run listed while following the chosen one', async () => {
    const { agent } = agentWith([
      run(1, {
        status: 'running',
        completed_tasks: 3,
        timeline: [{ afterRequests: 3, status: 'completed', completed_tasks: 25 }]
      }),
      run(2, { hidden: true, status: 'pending', timeline: [{ afterRequests: 2, hidden: false }] })
    ]);
    const { result } = await check(agent, { 'wait-timeout': '1m', 'poll-interval': '10s' });
    expect(result).toMatchObject({ passed: true, executionCount: 2 });
    expect(result.run?.runId).toBe(hex(1));
    expect(result.history.map((r) => r.runId)).toEqual([hex(2), hex(1)]);
  });

  it('leaves the tasks of a failed run, waiting or not, to the annex', async () => {
    const { agent } = agentWith([run(1, { status: 'failed', completed_tasks: 20 })]);
    const settings = settingsFor(agent, { 'wait-timeout': '1m' });
    const clock = fakeClock();
    const api = new UnpodApi(settings, transport, { info: () => undefined, debug: () => undefined }, clock);
    const quiet: AgentLog = { info: () => undefined, debug: () => undefined, group: (_t, body) => body() };
    const decided = await decideAgent(agent, { settings, api, clock, startedAt: 0 }, quiet);
    expect(decided.annex?.run.runId).toBe(hex(1));
    expect(decided.result.explanation).toBeUndefined();
    expect(tasksAsked(agent)).toBe(0);
  });

  it('reads the tasks of a completed run once and waits no more when every task is finished', async () => {
    const { agent, pages } = agentWith([run(1, { completed_tasks: 23 })]);
    const { result, slept } = await check(agent, { 'wait-timeout': '10m', 'poll-interval': '15s', explain: 'always' });
    expect(result).toMatchObject({ passed: false, rate: '92' });
    expect(slept).toEqual([]);
    expect(pages()).toEqual(['1']);
    expect(tasksAsked(agent)).toBe(1);
  });

  it('keeps the verdict when reading the tasks is cut short, though those read are unfinished', async () => {
    const { agent, pages } = agentWith([run(1, { total_tasks: 80, completed_tasks: 1, pendingTasks: 79 })]);
    const settings = settingsFor(agent, { 'wait-timeout': '10m', 'poll-interval': '15s' });
    const clock = fakeClock();
    /** The step's time runs out while the second page of tasks is asked for. */
    class Cutting extends UnpodApi {
      override fetchTasksPage(name: string, page: number) {
        return page >= 2 ? Promise.reject(new Cancelled('step-timeout 30s')) : super.fetchTasksPage(name, page);
      }
    }
    const api = new Cutting(settings, transport, { info: () => undefined, debug: () => undefined }, clock);
    const quiet: AgentLog = { info: () => undefined, debug: () => undefined, group: (_t, body) => body() };
    const decided = await decideAgent(agent, { settings, api, clock, startedAt: 0 }, quiet);
    expect(decided.result).toMatchObject({ passed: false, rate: '1.25' });
    expect(decided.result.explanation).toMatchObject({ stop: 'cut short', pages: 1 });
    expect(clock.slept).toEqual([]);
    expect(pages()).toEqual(['1']);
  });

  it('fails with the API error met while waiting on a run called completed too early', async () => {
    const { agent } = agentWith([early()]);
    // The executions page answers first; the poll after the tasks were read is refused.
    shared.server.fault({ kind: 'latency', ms: 0, agent, endpoint: 'executions', times: 1 });
    shared.server.fault({ kind: 'status', status: 401, agent, endpoint: 'executions', times: 1 });
    const { result } = await check(agent, { 'wait-timeout': '10m', 'poll-interval': '15s' });
    expect(result).toMatchObject({ passed: false, failure: 'config', rate: undefined });
  });

  it('passes a run decided early with no reason, pooling the window read once', async () => {
    const { agent, pages } = agentWith([
      run(1, { completed_tasks: 10, total_tasks: 10 }),
      run(2, { completed_tasks: 10, total_tasks: 10 }),
      run(3, { status: 'running', completed_tasks: 18, timeline: [{ afterRequests: 2, completed_tasks: 20 }] })
    ]);
    const { result, slept } = await check(agent, {
      threshold: '85',
      window: '3',
      'decide-early': 'true',
      'wait-timeout': '10m',
      'poll-interval': '15s'
    });
    expect(result).toMatchObject({ passed: true, verdict: 'pass', reason: '' });
    expect(result.early?.note).toBe(
      'decided early: 20 of 25 done; even if the last 5 tasks fail, the 3 runs pooled give 88.89% ≥ 85%'
    );
    expect(slept).toEqual([15_000, 15_000]);
    expect(pages()).toEqual(['1', '1', '1']);
  });

  it('adds the clause of the tasks at the end of a reason whose numbers hold a dot', async () => {
    const { agent } = agentWith([run(1, { completed_tasks: 23 })]);
    const { result } = await check(agent, { threshold: '92.5' });
    expect(result.reason).toMatch(
      new RegExp(
        `^Run "${hex(1)}" completed 23 of 25 tasks \\(92%\\), below the threshold of 92\\.5%; of the 2 tasks not completed, [^.]+\\.$`
      )
    );
  });

  it('does not say how long it waited for a run that finished during the wait', async () => {
    const { agent } = agentWith([
      run(1, {
        status: 'running',
        completed_tasks: 3,
        timeline: [{ afterRequests: 2, status: 'completed', completed_tasks: 20 }]
      })
    ]);
    const { result, slept } = await check(agent, { 'wait-timeout': '10m', 'poll-interval': '15s', explain: 'never' });
    expect(slept).toEqual([15_000, 15_000]);
    expect(result.reason).toBe(`Run "${hex(1)}" completed 20 of 25 tasks (80%), below the threshold of 95%.`);
  });

  it('reads no page beyond the first for a baseline that fits in it, whatever the window', async () => {
    const { agent, pages } = agentWith(Array.from({ length: 200 }, (_, i) => run(i + 1)));
    const { result } = await check(agent, { 'max-drop': '1', 'baseline-runs': '10' });
    expect(result.judged.baseline?.runs).toHaveLength(10);
    expect(pages()).toEqual(['1']);
  });
});
