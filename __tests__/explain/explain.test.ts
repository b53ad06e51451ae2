/** Reading a run's tasks page by page: the stop rule, counted in requests, against a list in memory. */
import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../src/unpod/client.js';
import { Cancelled } from '../../src/unpod/cancel.js';
import { explainRun } from '../../src/explain/explain.js';
import { parseInstant } from '../../src/values/instant.js';
import { parseTasksPage, type TasksPage } from '../../src/unpod/tasks.js';

const RUN = 'R00000000000000000000000000000002';
const CREATED = '2026-11-28T10:00:00Z';
const at = (seconds: number): string => new Date(Date.parse(CREATED) + seconds * 1000).toISOString();

/** `n` tasks of `runId` created from `from` seconds after the judged run, newest first. */
function tasks(runId: string, n: number, from: number, status = (i: number) => (i % 5 === 0 ? 'failed' : 'completed')) {
  return Array.from({ length: n }, (_, i) => ({
    task_id: `T-${runId}-${i}`,
    run_id: runId,
    status: status(i),
    created: at(from + (n - i)),
    output: { call_end_reason: i % 5 === 0 ? 'no_answer' : 'caller_hangup' }
  })).sort((a, b) => (a.created < b.created ? 1 : -1));
}

/** A tasks endpoint over `list`, 50 a page (or `perPage`), counting requests; `fail` maps a page to an error. */
function endpoint(
  list: unknown[],
  options: {
    fail?: (page: number) => Error | undefined;
    ignorePage?: boolean;
    noCount?: boolean;
    perPage?: number;
  } = {}
) {
  const size = options.perPage ?? 50;
  const asked: number[] = [];
  return {
    asked,
    fetchTasksPage: (_agent: string, page: number): Promise<TasksPage> => {
      asked.push(page);
      const error = options.fail?.(page);
      if (error) return Promise.reject(error);
      const start = ((options.ignorePage ? 1 : page) - 1) * size;
      if (start > 0 && start >= list.length) return Promise.reject(new ApiError('Invalid page.', 'config', 404));
      return Promise.resolve(
        parseTasksPage({ count: options.noCount ? undefined : list.length, data: list.slice(start, start + size) })
      );
    }
  };
}

const run = (total: unknown) => ({ runId: RUN, created: parseInstant(CREATED)!, totalTasks: total });

describe('explainRun', () => {
  it('stops once every task of the run is found: ceil(total / 50) + 1 requests at most', async () => {
    const list = [...tasks('Rnewer', 30, 3600), ...tasks(RUN, 120, 0), ...tasks('Rolder', 200, -86_400)];
    const api = endpoint(list);
    const e = await explainRun(api, 'a', run(120), 20);
    expect(api.asked).toEqual([1, 2, 3]);
    expect(e).toMatchObject({ stop: 'all found', pages: 3, error: undefined });
    expect(e.breakdown).toMatchObject({ tasks: 120, totalTasks: 120, partial: false, notCompleted: 24, completed: 96 });
    expect(e.breakdown.callEndReason).toEqual([{ label: 'no_answer', count: 24 }]);
  });

  it("collects the run's tasks from among another run's, interleaved", async () => {
    const mine = tasks(RUN, 60, 0);
    const theirs = tasks('Rtwin', 60, 0.5); // half a second after each of the run's own
    const list = [...mine, ...theirs].sort((a, b) => (a.created < b.created ? 1 : -1));
    const api = endpoint([...list, ...tasks('Rolder', 100, -86_400)]);
    const e = await explainRun(api, 'a', run(60), 20);
    expect(e.breakdown.tasks).toBe(60);
    expect(api.asked).toEqual([1, 2, 3]);
  });

  it('stops when the list has passed the run, and says it read only part of it', async () => {
    // The run claims 40 tasks; the list holds 30 of them, then an older run's.
    const api = endpoint([...tasks(RUN, 30, 0), ...tasks('Rolder', 500, -86_400)]);
    const e = await explainRun(api, 'a', run(40), 20);
    expect(api.asked).toEqual([1]);
    expect(e).toMatchObject({ stop: 'passed the run', breakdown: { tasks: 30, totalTasks: 40, partial: true } });
  });

  it('stops at a page without the run after pages with it, even with no dates', async () => {
    const undated = (list: Record<string, unknown>[]) =>
      list.map((t) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'created')));
    const api = endpoint(undated([...tasks(RUN, 50, 0), ...tasks('Rolder', 500, -86_400)]));
    const e = await explainRun(api, 'a', run(60), 20);
    expect(api.asked).toEqual([1, 2]);
    expect(e.stop).toBe('passed the run');
  });

  it('stops at max-pages, partial', async () => {
    const api = endpoint([...tasks('Rnewer', 500, 3600), ...tasks(RUN, 25, 0)]);
    const e = await explainRun(api, 'a', run(25), 3);
    expect(api.asked).toEqual([1, 2, 3]);
    expect(e).toMatchObject({ stop: 'max-pages', breakdown: { tasks: 0, partial: true } });
  });

  it('stops at a short page, at a 404 past the end, and on a server that ignores page', async () => {
    const short = endpoint(tasks(RUN, 80, 0));
    expect((await explainRun(short, 'a', run(undefined), 20)).stop).toBe('short page');
    expect(short.asked).toEqual([1, 2]);
    const exact = endpoint([...tasks('Rnewer', 50, 3600), ...tasks(RUN, 50, 0)], { noCount: true });
    const past = await explainRun(exact, 'a', run('n/a'), 20);
    expect(exact.asked).toEqual([1, 2, 3]);
    expect(past).toMatchObject({ stop: 'no more pages', pages: 2, breakdown: { tasks: 50, totalTasks: undefined } });
    const same = endpoint(tasks('Rnewer', 200, 3600), { ignorePage: true });
    expect((await explainRun(same, 'a', run(25), 20)).stop).toBe('page repeated');
    expect(same.asked).toEqual([1, 2]);
  });

  it("turns a failure into a sentence, keeping what was read (the client's message quotes no task)", async () => {
    const api = endpoint([...tasks('Rnewer', 50, 3600), ...tasks(RUN, 80, 0)], {
      fail: (page) =>
        page === 2 ? new ApiError('The API is failing (HTTP 500), after 2 attempts.', 'unavailable', 500) : undefined
    });
    const e = await explainRun(api, 'a', run(80), 20);
    expect(e).toMatchObject({
      stop: 'error',
      pages: 1,
      error: `The run's tasks could not be read (stopped at page 2): The API is failing (HTTP 500), after 2 attempts.`
    });
    const first = endpoint([], { fail: () => new ApiError('Agent "a" not found (HTTP 404).', 'config', 404) });
    expect((await explainRun(first, 'a', run(5), 20)).error).toBe(
      `The run's tasks could not be read: Agent "a" not found (HTTP 404).`
    );
  });

  it('says it could not finish when cut short, keeping the tasks read before', async () => {
    const list = [...tasks('Rnewer', 30, 3600), ...tasks(RUN, 120, 0)];
    const cut = endpoint(list, { fail: (page) => (page === 3 ? new Cancelled('step-timeout 30s') : undefined) });
    const e = await explainRun(cut, 'a', run(120), 20);
    expect(cut.asked).toEqual([1, 2, 3]);
    expect(e).toMatchObject({
      stop: 'cut short',
      pages: 2,
      error:
        "Reading the run's tasks could not finish within step-timeout 30s: 2 pages read. The verdict does not depend on them."
    });
    expect(e.breakdown).toMatchObject({ tasks: 70, totalTasks: 120, partial: true });
    const early = endpoint(list, { fail: () => new Cancelled('step-timeout 1s') });
    expect(await explainRun(early, 'a', run(120), 20)).toMatchObject({
      pages: 0,
      error:
        "Reading the run's tasks could not finish within step-timeout 1s: no page of them was read. The verdict does not depend on them."
    });
    const one = endpoint(list, { fail: (page) => (page === 2 ? new Cancelled('step-timeout 1s') : undefined) });
    expect((await explainRun(one, 'a', run(120), 20)).error).toContain('1 page read.');
  });

  it('counts tasks without an id once: a server ignoring page repeats them, and the read stops', async () => {
    const anonymous = tasks(RUN, 50, 0).map((t) => ({ ...t, task_id: undefined }));
    const api = endpoint(anonymous, { ignorePage: true, noCount: true });
    const e = await explainRun(api, 'a', run(1000), 20);
    expect(api.asked).toEqual([1, 2]);
    expect(e).toMatchObject({ stop: 'page repeated', breakdown: { tasks: 50, partial: true } });
    // Twins without an id on one page are two tasks.
    const twins = endpoint([anonymous[0]!, anonymous[0]!]);
    expect((await explainRun(twins, 'a', run(2), 20)).breakdown.tasks).toBe(2);
  });

  it("skips malformed tasks of other runs with a count, and counts the run's own as unreadable", async () => {
    const list = [
      ...tasks('Rnewer', 30, 3600),
      { run_id: 'Rnewer', task_id: 'bad-1' },
      'not a task',
      ...tasks(RUN, 25, 0),
      { run_id: RUN, status: null, task_id: 'bad-2' },
      { run_id: RUN, status: { deep: ['x'] } }
    ];
    const api = endpoint(list);
    const e = await explainRun(api, 'a', run(27), 20);
    expect(api.asked).toEqual([1, 2]);
    expect(e).toMatchObject({ stop: 'all found', skipped: 2, error: undefined });
    expect(e.breakdown).toMatchObject({ tasks: 27, unreadable: 2, partial: false, notCompleted: 5, completed: 20 });
  });

  it('measures a full page by what the server sent first, malformed tasks included', async () => {
    // The server pages by 20, not 50: a page of 20 is full, and only the last, of 10, is short.
    const twenty = endpoint(tasks(RUN, 50, 0), { perPage: 20, noCount: true });
    expect(await explainRun(twenty, 'a', run('n/a'), 20)).toMatchObject({ stop: 'short page', pages: 3 });
    expect(twenty.asked).toEqual([1, 2, 3]);
    // Two malformed tasks of another run on page 2 still fill it: page 3 is read.
    const own = tasks(RUN, 140, 0);
    const list = [...own.slice(0, 60), { run_id: 'Rnewer', task_id: 'bad-1' }, 'not a task', ...own.slice(60)];
    const api = endpoint(list, { noCount: true });
    const e = await explainRun(api, 'a', run('n/a'), 20);
    expect(api.asked).toEqual([1, 2, 3]);
    expect(e).toMatchObject({ stop: 'short page', skipped: 2, breakdown: { tasks: 140 } });
  });

  it('stops at an empty first page, and once the count is read', async () => {
    const empty = endpoint([]);
    expect(await explainRun(empty, 'a', run(5), 20)).toMatchObject({ stop: 'empty page', pages: 1 });
    const counted = endpoint(tasks(RUN, 100, 0));
    expect(await explainRun(counted, 'a', run('n/a'), 20)).toMatchObject({ stop: 'count reached', pages: 2 });
    expect(counted.asked).toEqual([1, 2]);
  });

  it('trusts a total of 0 tasks as a count, and a negative one not at all', async () => {
    const list = [...tasks('Rnewer', 50, 3600), ...tasks(RUN, 3, 0)];
    const none = endpoint(list);
    expect(await explainRun(none, 'a', run(0), 20)).toMatchObject({ stop: 'all found', pages: 1 });
    const negative = endpoint(list);
    const e = await explainRun(negative, 'a', run(-1), 20);
    expect(negative.asked).toEqual([1, 2]);
    expect(e).toMatchObject({ stop: 'short page', breakdown: { tasks: 3, totalTasks: undefined } });
  });

  it('lets a bug through rather than hiding it as unreadable tasks', async () => {
    const api = endpoint([], { fail: () => new TypeError('bug') });
    await expect(explainRun(api, 'a', run(5), 20)).rejects.toThrow('bug');
  });
});
