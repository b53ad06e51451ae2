import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DataError } from '../../src/unpod/executions.js';
import { MAX_FIELD, parseTasksPage, type Task } from '../../src/unpod/tasks.js';
import { hostileJson, hostileText } from '../fuzz.js';

/** A task as the real API sends it, personal fields included. */
const item = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  task_id: 'T8ff2ccdffe9a11f0878d43cd8a99e069',
  run_id: 'R8ff2ccdefe9a11f0878d43cd8a99e069',
  status: 'failed',
  execution_type: 'call',
  failure_count: 2,
  last_failure_reason: 'Call to +1 (415) 555-0142 failed for zelda.quint@mail.example',
  retry_attempt: 2,
  created: '2026-02-07T06:00:00Z',
  last_status_change: '2026-02-07T06:02:35Z',
  ref_id: 'crm-ZELDA-QUINT',
  thread_id: 'thr_zelda',
  input: {
    name: 'Zelda Quint',
    contact_number: '+1 415 555 0142',
    email: 'zelda.quint@mail.example',
    context: 'Lives at 9 Elm Row'
  },
  user_info: { name: 'Zelda Quint', email: 'zelda.quint@mail.example' },
  output: {
    call_status: 'no-answer',
    call_end_reason: 'no_answer',
    duration: 0,
    transcript: [{ role: 'user', content: 'This is Zelda Quint speaking' }],
    recording_url: 'https://recordings.example/zelda.mp3',
    call_summary: 'Zelda Quint was not reached',
    assistant_number: '+1 202 555 0100',
    post_call_data: { outcome: 'no_contact', sentiment: 'neutral', summary: 'Zelda Quint: nothing' }
  },
  ...over
});

describe('parseTasksPage', () => {
  it('keeps only the fields the gate counts, their text raw (never shown as is)', () => {
    const page = parseTasksPage({ count: 3, status_code: 200, message: 'ok', data: [item()] });
    expect(page.count).toBe(3);
    expect(page.malformed).toEqual([]);
    expect(page.tasks).toEqual([
      {
        taskId: 'T8ff2ccdffe9a11f0878d43cd8a99e069',
        runId: 'R8ff2ccdefe9a11f0878d43cd8a99e069',
        status: 'failed',
        created: 1770444000000000000n,
        retries: 2,
        lastFailureReason: 'Call to +1 (415) 555-0142 failed for zelda.quint@mail.example',
        callStatus: 'no-answer',
        callEndReason: 'no_answer',
        outcome: 'no_contact'
      }
    ]);
    const kept = JSON.stringify(page, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    // What only the fields the gate does not read hold.
    for (const secret of ['Zelda', 'Quint', 'Elm Row', 'recordings', 'crm-', 'thr_', 'neutral', 'nothing', '202']) {
      expect(kept).not.toContain(secret);
    }
  });

  it('keeps at most MAX_FIELD characters of each text field, and applies `text` to what it keeps', () => {
    const long = `${'x'.repeat(MAX_FIELD - 3)}SECRET-and-more`;
    const { tasks } = parseTasksPage(
      { data: [item({ last_failure_reason: long, status: 'failed SECRET' })] },
      (value) => value.replace(/SECRET/g, '***')
    );
    expect(tasks[0]?.lastFailureReason).toBe(`${'x'.repeat(MAX_FIELD - 3)}SEC`);
    expect(tasks[0]?.status).toBe('failed ***');
  });

  it('reads a task not called yet: no output, no reasons, no retries', () => {
    const { tasks } = parseTasksPage({
      data: [{ run_id: 'R1', status: 'pending', output: {}, retry_attempt: null, last_failure_reason: null }]
    });
    expect(tasks[0]).toEqual({
      taskId: undefined,
      runId: 'R1',
      status: 'pending',
      created: undefined,
      retries: 0,
      lastFailureReason: undefined,
      callStatus: undefined,
      callEndReason: undefined,
      outcome: undefined
    });
  });

  it('treats odd optional fields as absent rather than failing the explanation', () => {
    const { tasks } = parseTasksPage({
      data: [
        item({ retry_attempt: '2', created: 'yesterday', output: 'none', last_failure_reason: 42 }),
        item({ task_id: '' }), // an empty id cannot tell tasks apart, so it is no id
        item({ task_id: 42 })
      ]
    });
    expect(tasks.map((task) => task.taskId)).toEqual(['T8ff2ccdffe9a11f0878d43cd8a99e069', undefined, undefined]);
    expect(tasks[0]).toMatchObject({
      retries: 0,
      created: undefined,
      callStatus: undefined,
      lastFailureReason: undefined
    });
  });

  it('reads the count as a whole number of tasks, zero included, and ignores anything else', () => {
    expect(parseTasksPage({ count: 0, data: [] }).count).toBe(0);
    for (const count of [-1, 2.5, '3', null, Number.MAX_SAFE_INTEGER + 1]) {
      expect(parseTasksPage({ count, data: [] }).count).toBeUndefined();
    }
  });

  it.each([
    [null, /not a JSON object/],
    [{ data: {} }, /no 'data' array/]
  ])('refuses an envelope it cannot read, %j, with a DataError', (body, message) => {
    expect(() => parseTasksPage(body)).toThrow(DataError);
    expect(() => parseTasksPage(body)).toThrow(message);
  });

  it('sets malformed items aside with what can be read of them, reading the rest of the page', () => {
    const page = parseTasksPage({
      data: [
        'Zelda Quint +1 415 555 0142',
        item({ run_id: 42, task_id: 'Tx' }),
        item({ run_id: ' \t' }),
        item(),
        item({ status: '', task_id: 'Ty' }),
        item({ status: 7, task_id: undefined })
      ]
    });
    expect(page.tasks).toHaveLength(1);
    const run = 'R8ff2ccdefe9a11f0878d43cd8a99e069';
    expect(page.malformed).toEqual([
      { runId: undefined, taskId: undefined, problem: 'task #1 of the page is not an object' },
      { runId: undefined, taskId: 'Tx', problem: "task #2 of the page has no string 'run_id'" },
      {
        runId: undefined,
        taskId: 'T8ff2ccdffe9a11f0878d43cd8a99e069',
        problem: "task #3 of the page has no string 'run_id'"
      },
      { runId: run, taskId: 'Ty', problem: "task #5 of the page has no string 'status'" },
      { runId: run, taskId: undefined, problem: "task #6 of the page has no string 'status'" }
    ]);
    expect(JSON.stringify(page.malformed)).not.toMatch(/Zelda|555/);
  });
});

/** Every text a parsed task keeps. */
const texts = (t: Task): (string | undefined)[] => [
  t.status,
  t.lastFailureReason,
  t.callStatus,
  t.callEndReason,
  t.outcome
];

describe('parseTasksPage on arbitrary JSON', () => {
  it('throws nothing but DataError, and keeps every text field within MAX_FIELD characters', () => {
    fc.assert(
      fc.property(hostileJson('task'), (body) => {
        let page;
        try {
          page = parseTasksPage(body);
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
          return;
        }
        for (const t of page.tasks)
          for (const text of texts(t)) expect(text?.length ?? 0).toBeLessThanOrEqual(MAX_FIELD);
        expect(page.tasks.length + page.malformed.length).toBe((body as { data: unknown[] }).data.length);
      }),
      { numRuns: 300 }
    );
  });

  it('reads a text field of any length and content as a string, bounded', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const { tasks } = parseTasksPage({ data: [item({ last_failure_reason: text })] });
        const kept = tasks[0]?.lastFailureReason;
        expect(kept).toBe(text.trim() === '' ? undefined : text.slice(0, MAX_FIELD));
      }),
      { numRuns: 300 }
    );
  });
});
