/**
 * Waiting for a run, on its own: what each poll reads, when the wait ends, and what it logs,
 * against the example server on loopback with a clock whose sleeps return at once.
 */
import { describe, expect, it } from '@jest/globals';
import { UnpodApi } from '../../src/unpod/client.js';
import { DataError, type Execution } from '../../src/unpod/executions.js';
import type { EarlyPass } from '../../src/rules/early.js';
import { awaitListing, follow, type WaitContext, type WaitLog } from '../../src/check/wait.js';
import { execution, fakeClock, gateSettings, hex, run, sharedEmulator } from '../helpers.js';

const shared = sharedEmulator('wait-agent');
const { transport, agentWith } = shared;

/**
 * A wait's context and log: `startedAt` is how long before now the step began. The clock reads a
 * real epoch, not 0, so that a duration measured from the wrong end cannot pass for the right one.
 */
const EPOCH = Date.UTC(2026, 11, 4, 12);

function waiting(inputs: Record<string, string>, startedAgoMs = 0) {
  const settings = gateSettings({ 'agent-handle': 'unused', 'base-url': shared.server.url, retries: '0', ...inputs });
  const clock = fakeClock(EPOCH);
  const lines: string[] = [];
  const groups: string[] = [];
  const log: WaitLog = {
    info: (line) => lines.push(line),
    group: (title, body) => {
      groups.push(title);
      return body();
    }
  };
  const api = new UnpodApi(settings, transport, { info: () => undefined, debug: () => undefined }, clock);
  const context: WaitContext = { settings, api, clock, startedAt: EPOCH - startedAgoMs };
  return { context, log, lines, groups, slept: clock.slept };
}

/** The gate's first search for a run-id, from page 1, before any wait. */
async function searchFromPageOne(context: WaitContext, agent: string, runId: string) {
  return context.api.findRun(agent, runId, { page: await context.api.fetchPage(agent, 1), number: 1 });
}

/** The run as the gate first saw it. */
const seen = (n: number, over: Record<string, unknown> = {}): Execution => execution(hex(n), over);

describe('follow', () => {
  it('polls the run until it finishes and hands back where and when it ended', async () => {
    const { agent, pages } = agentWith([
      run(1, {
        status: 'running',
        completed_tasks: 3,
        timeline: [{ afterRequests: 1, status: 'completed', completed_tasks: 25 }]
      })
    ]);
    const w = waiting({ 'wait-timeout': '10m', 'poll-interval': '20s' });
    const followed = await follow(agent, seen(1, { status: 'running' }), 1, w.context, w.log);
    expect(followed.run).toMatchObject({ runId: hex(1), status: 'completed', completedTasks: 25 });
    expect(followed).toMatchObject({ page: 1, waitedMs: 40_000, lastError: undefined });
    expect(followed.first?.executions.map((e) => e.runId)).toEqual([hex(1)]);
    expect(w.slept).toEqual([20_000, 20_000]);
    expect(pages()).toEqual(['1', '1']);
    expect(w.groups).toEqual([
      `Waiting for run "${hex(1)}" of "${agent}" (status "running", up to 10m 0s from the step's start)`
    ]);
    expect(w.lines).toEqual([
      'Poll 1: "running", 3 of 25 tasks done, 20s waited.',
      'Poll 2: "completed", 25 of 25 tasks done, 40s waited.'
    ]);
  });

  it('stops at the poll decide-early passes, handing each poll the run as the poll before saw it', async () => {
    const { agent, pages } = agentWith([
      run(1, {
        status: 'running',
        completed_tasks: 20,
        timeline: [
          { afterRequests: 1, completed_tasks: 23 },
          { afterRequests: 2, completed_tasks: 24 }
        ]
      })
    ]);
    const w = waiting({ 'wait-timeout': '10m', 'poll-interval': '20s' });
    const asked: [unknown, unknown][] = [];
    const followed = await follow(
      agent,
      seen(1, { status: 'running', completed_tasks: 20 }),
      1,
      w.context,
      w.log,
      false,
      (now, before) => {
        asked.push([now.completedTasks, before.completedTasks]);
        const note = `decided early at ${String(now.completedTasks)}`;
        return Promise.resolve(now.completedTasks === 24 ? ({ note } as EarlyPass) : undefined);
      }
    );
    expect(asked).toEqual([
      [20, 20],
      [23, 20],
      [24, 23]
    ]);
    expect(followed.early?.note).toBe('decided early at 24');
    expect(followed.waitedMs).toBe(60_000);
    expect(followed.run).toMatchObject({ status: 'running', completedTasks: 24 });
    expect(pages()).toEqual(['1', '1', '1']);
    expect(w.lines.at(-1)).toBe('Passed, decided early at 24.');
  });

  it('marks a status unknown to the gate in its group title and polls it to the end of the wait', async () => {
    const { agent } = agentWith([run(1, { status: 'cancelled', completed_tasks: 4 })]);
    const w = waiting({ 'wait-timeout': '45s', 'poll-interval': '20s' });
    const followed = await follow(agent, seen(1, { status: 'cancelled' }), 1, w.context, w.log);
    expect(w.groups).toEqual([
      `Waiting for run "${hex(1)}" of "${agent}" (status "cancelled" (a status unknown to the gate), up to 45s from the step's start)`
    ]);
    expect(w.slept).toEqual([20_000, 20_000, 5_000]);
    expect(followed.waitedMs).toBe(45_000);
    expect(w.lines.at(-1)).toBe('Poll 3: "cancelled" (a status unknown to the gate), 4 of 25 tasks done, 45s waited.');
  });

  it('counts the wait from the step start, not from its own start', async () => {
    const { agent, pages } = agentWith([run(1, { status: 'running' })]);
    const w = waiting({ 'wait-timeout': '45s', 'poll-interval': '20s' }, 30_000);
    const followed = await follow(agent, seen(1, { status: 'running' }), 1, w.context, w.log);
    expect(w.slept).toEqual([15_000]);
    expect(followed.waitedMs).toBe(15_000);
    expect(pages()).toEqual(['1']);
    const late = waiting({ 'wait-timeout': '45s', 'poll-interval': '20s' }, 45_000);
    const none = await follow(agent, seen(1, { status: 'running' }), 1, late.context, late.log);
    expect(late.slept).toEqual([]);
    expect(none).toMatchObject({ run: { status: 'running' }, waitedMs: 0, first: undefined });
    expect(pages()).toEqual(['1']);
  });

  it('polls once more a run that reads finished when asked to, and no more', async () => {
    const { agent, pages } = agentWith([run(1, { completed_tasks: 20 })]);
    const w = waiting({ 'wait-timeout': '10m', 'poll-interval': '30s' });
    const followed = await follow(agent, seen(1, { completed_tasks: 10 }), 1, w.context, w.log, true);
    expect(followed.run.completedTasks).toBe(20);
    expect(w.slept).toEqual([30_000]);
    expect(pages()).toEqual(['1']);
    const unasked = await follow(agent, seen(1), 1, w.context, w.log);
    expect(unasked).toMatchObject({ waitedMs: 0, first: undefined });
    expect(pages()).toEqual(['1']);
  });

  it('reads the page the run was on, and page 1 only when it is no longer there', async () => {
    const newer = Array.from({ length: 60 }, (_, i) => run(i + 2));
    const { agent, pages } = agentWith([run(1, { status: 'running' }), ...newer]);
    const w = waiting({ 'wait-timeout': '20s', 'poll-interval': '20s' });
    const onTwo = await follow(agent, seen(1, { status: 'running' }), 2, w.context, w.log);
    expect(onTwo).toMatchObject({ page: 2, first: undefined });
    expect(pages()).toEqual(['2']);
    const wrong = await follow(
      agent,
      seen(1, { status: 'running' }),
      3,
      waiting({ 'wait-timeout': '40s', 'poll-interval': '20s' }).context,
      w.log
    );
    expect(wrong.page).toBe(2);
    // Page 1 as the first poll read it: the second poll, on page 2, keeps it.
    expect(wrong.first?.executions).toHaveLength(50);
    expect(pages()).toEqual(['2', '3', '1', '2', '2']);
  });

  it('throws a DataError when the run leaves the list while it waits', async () => {
    const { agent, pages } = agentWith([
      run(2),
      run(1, { status: 'running', timeline: [{ afterRequests: 1, hidden: true }] })
    ]);
    const w = waiting({ 'wait-timeout': '10m', 'poll-interval': '20s' });
    const gone = follow(agent, seen(1, { status: 'running' }), 1, w.context, w.log);
    await expect(gone).rejects.toThrow(DataError);
    await expect(gone).rejects.toThrow(
      `Run "${hex(1)}" of agent "${agent}" disappeared from the executions list while the gate waited for it (1 executions searched).`
    );
    // A poll that found it, then one that did not: page 1 is not read twice in that poll.
    expect(pages()).toEqual(['1', '1']);
  });

  it('polls through a failing API, naming the last failure, and clears it when a poll succeeds', async () => {
    const { agent } = agentWith([run(1, { status: 'running' })]);
    shared.server.fault({ kind: 'status', status: 503, agent, times: 2 });
    const w = waiting({ 'wait-timeout': '80s', 'poll-interval': '20s' });
    const followed = await follow(agent, seen(1, { status: 'running' }), 1, w.context, w.log);
    expect(w.lines).toEqual([
      'Poll 1 failed: The API is failing (HTTP 503), after 1 attempt.',
      'Poll 2 failed: The API is failing (HTTP 503), after 1 attempt.',
      'Poll 3: "running", 25 of 25 tasks done, 1m 0s waited.',
      'Poll 4: "running", 25 of 25 tasks done, 1m 20s waited.'
    ]);
    expect(followed.lastError).toBeUndefined();
    shared.server.fault({ kind: 'status', status: 503, agent, times: 1 });
    const failedLast = await follow(
      agent,
      seen(1, { status: 'running' }),
      1,
      waiting({ 'wait-timeout': '20s', 'poll-interval': '20s' }).context,
      w.log
    );
    expect(failedLast.lastError).toBe('The API is failing (HTTP 503), after 1 attempt.');
  });

  it('gives a server that asks for quiet its Retry-After, and ends the wait when it asks past it', async () => {
    const { agent } = agentWith([run(1, { status: 'running' })]);
    shared.server.fault({ kind: 'status', status: 503, retryAfter: '50', agent, times: 1 });
    const w = waiting({ 'wait-timeout': '2m', 'poll-interval': '20s' });
    await follow(agent, seen(1, { status: 'running' }), 1, w.context, w.log);
    expect(w.slept).toEqual([20_000, 50_000, 20_000, 20_000, 10_000]);
    shared.server.fault({ kind: 'status', status: 503, retryAfter: '100', agent, times: 1 });
    const cut = waiting({ 'wait-timeout': '2m', 'poll-interval': '20s' });
    const followed = await follow(agent, seen(1, { status: 'running' }), 1, cut.context, cut.log);
    expect(cut.slept).toEqual([20_000]);
    expect(followed).toMatchObject({ waitedMs: 20_000, run: { status: 'running' } });
    expect(followed.lastError).toMatch(/^The API is failing \(HTTP 503\)/);
  });

  it('lets an API error that is not an outage through', async () => {
    const { agent } = agentWith([run(1, { status: 'running' })]);
    shared.server.fault({ kind: 'status', status: 401, agent, times: 1 });
    const w = waiting({ 'wait-timeout': '1m', 'poll-interval': '20s' });
    await expect(follow(agent, seen(1, { status: 'running' }), 1, w.context, w.log)).rejects.toMatchObject({
      kind: 'config'
    });
    expect(w.slept).toEqual([20_000]);
  });
});

describe('awaitListing', () => {
  it('searches from page 1 each poll until the run is listed, logging each poll in one group', async () => {
    const { agent, pages } = agentWith([
      run(2),
      run(3, { hidden: true, status: 'pending', timeline: [{ afterRequests: 2, hidden: false }] })
    ]);
    const w = waiting({ 'wait-timeout': '10m', 'poll-interval': '15s' });
    const before = await searchFromPageOne(w.context, agent, hex(3));
    const listing = await awaitListing(agent, hex(3), before, w.context, w.log);
    expect(listing.search.execution?.runId).toBe(hex(3));
    expect(listing.first?.executions.map((e) => e.runId)).toEqual([hex(3), hex(2)]);
    expect(listing.waitedMs).toBe(30_000);
    expect(pages()).toEqual(['1', '1', '1']);
    expect(w.groups).toEqual([
      `Waiting for run "${hex(3)}" of "${agent}" to be listed (up to 10m 0s from the step's start)`
    ]);
    expect(w.lines).toEqual(['Poll 1: not listed yet, 15s waited.', 'Poll 2: listed, 30s waited.']);
  });

  it('keeps looking through API failures and gives up when the wait ends', async () => {
    const { agent, pages } = agentWith([run(2)]);
    const w = waiting({ 'wait-timeout': '50s', 'poll-interval': '20s' });
    const before = await searchFromPageOne(w.context, agent, hex(3));
    shared.server.fault({ kind: 'status', status: 502, agent, times: 1 });
    const listing = await awaitListing(agent, hex(3), before, w.context, w.log);
    expect(listing.search.execution).toBeUndefined();
    expect(listing.waitedMs).toBe(50_000);
    expect(w.slept).toEqual([20_000, 20_000, 10_000]);
    expect(pages()).toEqual(['1', '1', '1', '1']);
    expect(w.lines).toEqual([
      'Poll 1 failed: The API is failing (HTTP 502), after 1 attempt.',
      'Poll 2: not listed yet, 40s waited.',
      'Poll 3: not listed yet, 50s waited.'
    ]);
  });

  it('lets an API error that is not an outage through', async () => {
    const { agent } = agentWith([run(2)]);
    const w = waiting({ 'wait-timeout': '1m', 'poll-interval': '20s' });
    const before = await searchFromPageOne(w.context, agent, hex(3));
    shared.server.fault({ kind: 'status', status: 401, agent, times: 1 });
    await expect(awaitListing(agent, hex(3), before, w.context, w.log)).rejects.toMatchObject({ kind: 'config' });
    expect(w.slept).toEqual([20_000]);
    expect(w.lines).toEqual([]);
  });

  it('does not poll a run already listed', async () => {
    const { agent, pages } = agentWith([run(2)]);
    const w = waiting({ 'wait-timeout': '50s', 'poll-interval': '20s' });
    const found = await searchFromPageOne(w.context, agent, hex(2));
    const listing = await awaitListing(agent, hex(2), found, w.context, w.log);
    expect(listing).toEqual({ search: found, first: undefined, waitedMs: 0 });
    expect(pages()).toEqual(['1']);
  });
});
