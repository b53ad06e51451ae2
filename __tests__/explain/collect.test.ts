/** Collecting a run's tasks page by page: each task once, with or without an id. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RunTasks } from '../../src/explain/collect.js';
import { parseTasksPage } from '../../src/unpod/tasks.js';
import { parseInstant } from '../../src/values/instant.js';

const RUN = 'R2';
const created = parseInstant('2026-11-28T10:00:00Z')!;
const page = (data: unknown[]) => parseTasksPage({ data });

describe('RunTasks', () => {
  it('takes a repeated page as nothing new, whether or not its tasks have ids', () => {
    const items = [
      { task_id: 'T1', run_id: RUN, status: 'completed' },
      { run_id: RUN, status: 'failed' },
      { run_id: RUN, status: 'failed' },
      { run_id: RUN },
      { run_id: 'R1', status: 'completed' },
      { run_id: 'R1' },
      42
    ];
    const tasks = new RunTasks(RUN, created);
    expect(tasks.take(page(items))).toEqual({ fresh: 7, ofRun: 4, hadRunBefore: false, passed: false });
    expect([tasks.found, tasks.tasks.length, tasks.unreadable, tasks.skipped, tasks.read]).toEqual([4, 3, 1, 2, 7]);
    expect(tasks.take(page(items))).toEqual({ fresh: 0, ofRun: 4, hadRunBefore: true, passed: false });
    expect([tasks.found, tasks.skipped, tasks.read]).toEqual([4, 2, 7]);
  });

  it('keeps the tasks of two runs apart when a server numbers tasks within each run', () => {
    const newer = [0, 1, 2].map((i) => ({ task_id: `T${i}`, run_id: 'R3', status: 'completed' }));
    const mine = [0, 1].map((i) => ({ task_id: `T${i}`, run_id: RUN, status: 'failed' }));
    const badOfOther = { task_id: 'T2', run_id: 'R1' };
    const badOfMine = { task_id: 'T2', run_id: RUN };
    const tasks = new RunTasks(RUN, created);
    expect(tasks.take(page([...newer, ...mine, badOfOther, badOfMine]))).toEqual({
      fresh: 7,
      ofRun: 3,
      hadRunBefore: false,
      passed: false
    });
    expect([tasks.tasks.length, tasks.unreadable, tasks.skipped]).toEqual([2, 1, 1]);
  });

  it('says when a page holds a task of another run created well before the run', () => {
    const tasks = new RunTasks(RUN, created);
    const older = { run_id: 'R1', status: 'completed', created: '2026-11-28T09:58:59Z' };
    const close = { run_id: 'R1', status: 'completed', created: '2026-11-28T09:59:30Z' };
    expect(tasks.take(page([close])).passed).toBe(false);
    expect(tasks.take(page([older])).passed).toBe(true);
  });

  it('takes a task created exactly the margin before the run as not yet passed', () => {
    const atMargin = { run_id: 'R1', status: 'completed', created: '2026-11-28T09:59:00Z' };
    expect(new RunTasks(RUN, created).take(page([atMargin])).passed).toBe(false);
  });

  it('takes a task seen readable, then listed again without a status, as the same task', () => {
    const tasks = new RunTasks(RUN, created);
    tasks.take(
      page([
        { task_id: 'T1', run_id: RUN, status: 'completed' },
        { task_id: 'T9', run_id: 'R1', status: 'failed' }
      ])
    );
    expect(
      tasks.take(
        page([
          { task_id: 'T1', run_id: RUN },
          { task_id: 'T9', run_id: 'R1' }
        ])
      )
    ).toEqual({
      fresh: 0,
      ofRun: 1,
      hadRunBefore: true,
      passed: false
    });
    expect([tasks.found, tasks.tasks.length, tasks.unreadable, tasks.skipped, tasks.read]).toEqual([1, 1, 0, 0, 2]);
  });

  // Two tasks without an id, on two pages, that differ in one field are two tasks.
  const anonymous = { run_id: RUN, status: 'failed' };
  it.each([
    ['run_id', { run_id: 'R1' }],
    ['status', { status: 'completed' }],
    ['created', { created: '2026-11-28T10:00:05Z' }],
    ['retry_attempt', { retry_attempt: 2 }],
    ['last_failure_reason', { last_failure_reason: 'busy' }],
    ['output.call_status', { output: { call_status: 'no-answer' } }],
    ['output.call_end_reason', { output: { call_end_reason: 'voicemail' } }],
    ['output.post_call_data.outcome', { output: { post_call_data: { outcome: 'callback' } } }]
  ])('takes an anonymous task that differs from an earlier one only in %s as another task', (_, change) => {
    const tasks = new RunTasks(RUN, created);
    tasks.take(page([anonymous]));
    expect(tasks.take(page([{ ...anonymous, ...change }])).fresh).toBe(1);
    expect(tasks.read).toBe(2);
    expect(tasks.take(page([{ ...anonymous, ...change }])).fresh).toBe(0);
  });

  it('takes malformed anonymous items of two runs, on two pages, as two items', () => {
    const tasks = new RunTasks(RUN, created);
    tasks.take(page([{ run_id: 'R1' }]));
    expect(tasks.take(page([{ run_id: RUN }])).fresh).toBe(1);
    expect([tasks.unreadable, tasks.skipped]).toEqual([1, 1]);
  });

  it('counts every distinct task once over any sequence of pages, a repeat of one adding nothing', () => {
    const item = fc.record(
      {
        task_id: fc.option(fc.constantFrom('T1', 'T2', 'T3'), { nil: undefined }),
        status: fc.constantFrom('failed', 'completed'),
        run_id: fc.constantFrom(RUN, 'R1')
      },
      { requiredKeys: ['run_id', 'status'] }
    );
    fc.assert(
      fc.property(fc.array(fc.array(item, { maxLength: 6 }), { minLength: 1, maxLength: 5 }), (drawn) => {
        // An id names one task, of one run.
        const pages = drawn.map((p) =>
          p.map((t) => (t.task_id === undefined ? t : { ...t, task_id: `${t.run_id}-${t.task_id}` }))
        );
        const tasks = new RunTasks(RUN, created);
        for (const p of pages) tasks.take(page(p));
        const found = tasks.found;
        const again = tasks.take(page(pages[pages.length - 1]!));
        expect(again.fresh).toBe(0);
        expect(tasks.found).toBe(found);
        const ids = new Set(
          pages
            .flat()
            .filter((t) => t.run_id === RUN && t.task_id !== undefined)
            .map((t) => t.task_id)
        );
        expect(tasks.tasks.filter((t) => t.taskId !== undefined)).toHaveLength(ids.size);
      })
    );
  });
});
