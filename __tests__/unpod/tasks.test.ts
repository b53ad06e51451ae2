import { describe, expect, it } from '@jest/globals';
import { DataError } from '../../src/unpod/executions.js';
import { parseTasksPage } from '../../src/unpod/tasks.js';

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
  it('keeps only the fields the gate counts, with free text scrubbed', () => {
    const page = parseTasksPage({ count: 3, status_code: 200, message: 'ok', data: [item()] });
    expect(page.count).toBe(3);
    expect(page.tasks).toEqual([
      {
        taskId: 'T8ff2ccdffe9a11f0878d43cd8a99e069',
        runId: 'R8ff2ccdefe9a11f0878d43cd8a99e069',
        status: 'failed',
        created: 1770444000000000000n,
        retries: 2,
        lastFailureReason: 'Call to [number] failed for [email]',
        callStatus: 'no-answer',
        callEndReason: 'no_answer',
        outcome: 'no_contact'
      }
    ]);
    const kept = JSON.stringify(page, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    for (const secret of [
      'Zelda',
      'Quint',
      '555',
      'zelda',
      'Elm Row',
      'recordings',
      'crm-',
      'thr_',
      'neutral',
      'nothing'
    ]) {
      expect(kept).not.toContain(secret);
    }
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
    [{ data: {} }, /no 'data' array/],
    [{ data: ['Zelda Quint +1 415 555 0142'] }, /task #1 of the page as something other than an object/],
    [{ data: [item({ run_id: 42 })] }, /task #1 of the page without a string 'run_id'/],
    // A blank run id cannot be matched to any run.
    [{ data: [item({ run_id: '' })] }, /task #1 of the page without a string 'run_id'/],
    [{ data: [item({ run_id: ' \t' })] }, /task #1 of the page without a string 'run_id'/],
    [{ data: [item(), item({ status: '' })] }, /task #2 of the page without a string 'status'/]
  ])('refuses %j with a DataError that quotes no value', (body, message) => {
    let caught: unknown;
    try {
      parseTasksPage(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toMatch(/Zelda|555/);
  });
});
