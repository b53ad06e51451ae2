/**
 * `explain` end to end: the built bundle reads the judged run's tasks from the example server
 * (and from it misbehaving), counts them into the reason, summary, results and report file,
 * and never lets a contact out.
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Emulator, Run } from '../emulator/server.mjs';
import { runAction, visibleText, type ActionRun } from '../scripts/run-action.mjs';
import { TOKEN, hex, run, stepInputs, withServer } from './helpers.js';
import { DISGUISED } from './fuzz.js';

interface Breakdown {
  tasks: number;
  unreadable: number;
  skipped: number;
  total_tasks: number | null;
  partial: boolean;
  pages: number;
  by_status: { label: string; count: number }[];
  not_completed: {
    count: number;
    call_end_reason: { label: string; count: number }[];
    last_failure_reason: { label: string; count: number }[];
  };
  completed: { count: number };
  retries: number;
  error: string | null;
}

let reports = 0;
async function gate(
  server: Emulator,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionRun & { report: string; breakdown: Breakdown | null }> {
  const reportPath = join(tmpdir(), `unpod-explain-${process.pid}-${reports++}.json`);
  const r = await runAction(stepInputs(server.url, { 'report-path': reportPath, ...inputs }), { env });
  const report = await readFile(reportPath, 'utf8').catch(() => '');
  await rm(reportPath, { force: true });
  const results = JSON.parse(r.outputs.results ?? '[]') as { breakdown: Breakdown | null }[];
  expect(visibleText(r)).not.toContain(TOKEN);
  return { ...r, report, breakdown: results[0]?.breakdown ?? null };
}

const asked = (server: Emulator, endpoint: 'executions' | 'tasks'): string[] =>
  server.requests.filter((q) => q.endpoint === endpoint).map((q) => q.query.page ?? '?');

/** `n` explicit tasks of `runId`, created `from` seconds after 2026-11-01, every fourth failed as no_answer. */
function tasksOf(n: number, from: number, failEvery = 4): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    task_id: `T${from}-${i}`,
    status: i % failEvery === 0 ? 'failed' : 'completed',
    created: new Date(Date.UTC(2026, 10, 1) + (from + i * 2) * 1000).toISOString(),
    retry_attempt: i % failEvery === 0 ? 2 : 0,
    input: { name: `Contact ${from}-${i}`, contact_number: `+1 415 555 ${String(1000 + i).slice(-4)}` },
    output:
      i % failEvery === 0
        ? { call_status: 'no-answer', call_end_reason: 'no_answer' }
        : { call_status: 'completed', call_end_reason: 'caller_hangup', post_call_data: { outcome: 'interested' } }
  }));
}

describe('explain on the example server', () => {
  it.concurrent('explains a failing run in the reason, the summary, the results and the report file', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'agent-handle': 'support-agent' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toMatch(
        /below the threshold of 95%; of the 2 tasks not completed, 1 ended no_answer\.$/
      );
      expect(asked(server, 'tasks')).toEqual(['1']);
      expect(r.breakdown).toMatchObject({
        tasks: 25,
        total_tasks: 25,
        partial: false,
        pages: 1,
        by_status: [
          { label: 'completed', count: 23 },
          { label: 'failed', count: 2 }
        ],
        not_completed: { count: 2 },
        completed: { count: 23 },
        error: null
      });
      // Folded: the reason above already names the largest cause.
      expect(r.summary).toMatch(/<details><summary>What the run's tasks say<\/summary>\n<p>From all 25 tasks/);
      expect(r.summary).toContain('<p>From all 25 tasks of the run;');
      expect(r.summary).toContain('no&#95;answer <strong>1</strong>');
      const report = JSON.parse(r.report) as { results: { breakdown: Breakdown }[] };
      expect(report.results[0]?.breakdown).toEqual(r.breakdown);
    });
  });

  it.concurrent(
    "reads pages of the run's tasks among other runs' interleaved, and stops once all are found",
    async () => {
      await withServer(async (server) => {
        // Newest first: 60 tasks of a newer run, then the judged run's 70 interleaved with a
        // concurrent run's 70 (one second apart), then 300 of an older run.
        const judged = hex(50);
        server.addRun('busy-agent', run(100, { run_id: hex(100), tasks: tasksOf(60, 6000) }));
        server.addRun(
          'busy-agent',
          run(50, { run_id: judged, total_tasks: 70, completed_tasks: 52, tasks: tasksOf(70, 3000) })
        );
        server.addRun('busy-agent', run(49, { run_id: hex(49), tasks: tasksOf(70, 3001) }));
        server.addRun(
          'busy-agent',
          run(1, { run_id: hex(1), total_tasks: 300, completed_tasks: 300, tasks: tasksOf(300, 0, 1e9) })
        );
        const r = await gate(server, { 'agent-handle': 'busy-agent', 'run-id': judged });
        expect(r.code).toBe(1);
        // 60 + 140 interleaved: the judged run's last task is item 199, on page 4 of 50.
        expect(asked(server, 'tasks')).toEqual(['1', '2', '3', '4']);
        expect(server.requests.filter((q) => q.endpoint === 'tasks').every((q) => q.query.page_size === '50')).toBe(
          true
        );
        expect(r.breakdown).toMatchObject({ tasks: 70, total_tasks: 70, partial: false, pages: 4, retries: 36 });
        expect(r.breakdown?.not_completed).toMatchObject({
          count: 18,
          call_end_reason: [{ label: 'no_answer', count: 18 }]
        });
        expect(r.outputs.reason).toContain('of the 18 tasks not completed, 18 ended no_answer.');
      });
    }
  );

  it.concurrent('stops once the list has passed the run, saying the breakdown is partial', async () => {
    await withServer(async (server) => {
      // The run says 200 tasks; the list holds 150 of them, then an older run's 1000.
      server.addRun('gap-agent', run(10, { total_tasks: 200, completed_tasks: 150, tasks: tasksOf(150, 0, 1e9) }));
      server.addRun(
        'gap-agent',
        run(1, { tasks: tasksOf(1000, -86_400, 1e9), total_tasks: 1000, completed_tasks: 1000 })
      );
      const r = await gate(server, { 'agent-handle': 'gap-agent' });
      expect(r.code).toBe(1);
      expect(asked(server, 'tasks')).toEqual(['1', '2', '3', '4']);
      expect(r.breakdown).toMatchObject({ tasks: 150, total_tasks: 200, partial: true });
      expect(r.summary).toContain('From 150 of 200 tasks of the run (partial)');
    });
  });

  it.concurrent('counts the tasks of a run listed behind a newer one whose tasks carry the same ids', async () => {
    await withServer(async (server) => {
      // The example server numbers each run's tasks from T0: the newer run's ids are the judged run's too.
      server.addRun('shared-ids-agent', run(60, { total_tasks: 30, completed_tasks: 30 }));
      server.addRun('shared-ids-agent', run(10, { total_tasks: 25, completed_tasks: 22 }));
      const r = await gate(server, { 'agent-handle': 'shared-ids-agent', 'run-id': hex(10) });
      expect(r.code).toBe(1);
      expect(r.breakdown).toMatchObject({ tasks: 25, total_tasks: 25, partial: false });
      expect(r.breakdown).toMatchObject({ completed: { count: 22 }, not_completed: { count: 3 } });
    });
  });

  it.concurrent('reads at most max-pages of tasks', async () => {
    await withServer(async (server) => {
      server.addRun('deep-agent', run(10, { total_tasks: 200, completed_tasks: 10 }));
      const r = await gate(server, { 'agent-handle': 'deep-agent', 'max-pages': '2' });
      expect(asked(server, 'tasks')).toEqual(['1', '2']);
      expect(r.breakdown).toMatchObject({ tasks: 100, total_tasks: 200, partial: true, pages: 2 });
    });
  });

  it.concurrent('with explain: never, or for a passing run by default, sends no task request', async () => {
    await withServer(async (server) => {
      const never = await gate(server, { 'agent-handle': 'support-agent', explain: 'never' });
      expect(never.code).toBe(1);
      expect(never.outputs.reason).toMatch(/below the threshold of 95%\.$/);
      expect(never.breakdown).toBeNull();
      const passing = await gate(server, { 'agent-handle': 'sales-agent' });
      expect(passing.code).toBe(0);
      expect(passing.breakdown).toBeNull();
      expect(passing.summary).not.toContain('tasks say');
      expect(asked(server, 'tasks')).toEqual([]);
      expect(asked(server, 'executions')).toHaveLength(2);
    });
  });

  it.concurrent('with explain: always, explains a passing run without changing its verdict', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'agent-handle': 'sales-agent', explain: 'always' });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ passed: 'true', reason: '' });
      expect(r.breakdown).toMatchObject({ tasks: 25, by_status: [{ label: 'completed', count: 25 }] });
      expect(r.summary).toContain('From all 25 tasks of the run');
    });
  });
});

describe('tasks that cannot be read', () => {
  it.concurrent('a deployment without the tasks endpoint: one line, verdict and exit code unchanged', async () => {
    await withServer(async (server) => {
      server.fault({
        kind: 'status',
        status: 404,
        endpoint: 'tasks',
        times: Infinity,
        body: '<html>Not Found</html>',
        contentType: 'text/html'
      });
      const r = await gate(server, { 'agent-handle': 'support-agent' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toBe(
        'Run "Rf0d48606404e302e98ad1348b5e7681a" completed 23 of 25 tasks (92%), below the threshold of 95%.'
      );
      expect(asked(server, 'tasks')).toEqual(['1']);
      const error = `The run's tasks could not be read: The server at ${server.url} has no tasks endpoint (HTTP 404, not JSON).`;
      expect(r.breakdown).toMatchObject({ tasks: 0, partial: true, error });
      expect(r.summary?.match(/could not be read/g)).toHaveLength(1);
      const passing = await gate(server, { 'agent-handle': 'sales-agent', explain: 'always' });
      expect(passing.code).toBe(0);
      expect(passing.breakdown?.error).toBe(error);
    });
  });

  it.concurrent('a failing tasks endpoint is retried like executions, then noted; the verdict stands', async () => {
    await withServer(async (server) => {
      server.fault({ kind: 'status', status: 503, endpoint: 'tasks', times: Infinity });
      const r = await gate(server, { 'agent-handle': 'support-agent' });
      expect(r.code).toBe(1);
      expect(asked(server, 'tasks')).toEqual(['1', '1']);
      expect(r.breakdown?.error).toBe(
        "The run's tasks could not be read: The API is failing (HTTP 503), after 2 attempts."
      );
      expect(r.stdout).toContain('Attempt 1 of 2 for "support-agent" tasks page 1 failed');
      expect(r.outputs.passed).toBe('false');
    });
  });

  it.concurrent('tasks without a run are skipped with a count in a note, without quoting them', async () => {
    await withServer(async (server) => {
      server.fault({ kind: 'wrong-types', endpoint: 'tasks', times: Infinity });
      const r = await gate(server, { 'agent-handle': 'support-agent', 'on-api-error': 'warn' });
      expect(r.code).toBe(1);
      // Every task lost its run_id: none is the run's, all are skipped, and the list is read on.
      expect(r.breakdown).toMatchObject({ tasks: 0, error: null });
      const skipped = r.breakdown?.skipped ?? 0;
      expect(skipped).toBeGreaterThanOrEqual(50);
      expect(r.summary).toContain(`<p>${skipped} malformed tasks of other runs (or of no readable run) skipped.</p>`);
    });
  });
});

describe('a run called completed too early', () => {
  const early = (): Run =>
    run(1, {
      created: new Date(Date.now() - 60_000).toISOString(),
      completed_tasks: 1,
      pendingTasks: 24,
      timeline: [{ afterRequests: 2, completed_tasks: 25, pendingTasks: 0 }]
    });

  it.concurrent('is waited for until its tasks are done, then passes', async () => {
    await withServer(async (server) => {
      server.addRun('eager-agent', early());
      const r = await gate(server, { 'agent-handle': 'eager-agent', 'wait-timeout': '60s', 'poll-interval': '1s' });
      expect(r.code).toBe(0);
      expect(r.outputs['completion-rate']).toBe('100');
      expect(r.stdout).toContain('but 24 of its tasks are not finished: waiting on.');
      expect(asked(server, 'executions')).toEqual(['1', '1', '1']);
      expect(asked(server, 'tasks')).toEqual(['1', '1']);
    });
  });

  it.concurrent('without a wait, fails saying the run may not have finished', async () => {
    await withServer(async (server) => {
      server.addRun('eager-agent', early());
      const r = await gate(server, { 'agent-handle': 'eager-agent' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toContain(
        'The run may not have finished yet: 24 of its tasks are still pending or in progress'
      );
      expect(r.summary).toContain('The run may not have finished yet');
      expect(
        (JSON.parse(r.report) as { results: { breakdown: { may_not_have_finished: boolean } }[] }).results[0]?.breakdown
          .may_not_have_finished
      ).toBe(true);
    });
  });
});

/** The example of a failure reason quoting a contact. */
const TEXT = 'Customer John Smith at +1 415 555 0100 hung up';

describe('issue 18: free text, long fields, repeated pages and malformed tasks', () => {
  it.concurrent('free text is counted as (free text), never echoed in the reason, summary or results', async () => {
    await withServer(async (server) => {
      const failed = [0, 1].map((i) => ({
        task_id: `F${i}`,
        status: 'failed',
        created: new Date(Date.UTC(2026, 10, 1, 0, 10, 30 + i)).toISOString(),
        last_failure_reason: TEXT,
        output: {}
      }));
      const tasks = [...tasksOf(24, 600, 1e9).slice(1), ...failed];
      server.addRun('text-agent', run(10, { completed_tasks: 23, tasks }));
      const r = await gate(server, { 'agent-handle': 'text-agent' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toBe(
        `Run "${hex(10)}" completed 23 of 25 tasks (92%), below the threshold of 95%; of the 2 tasks not completed, 2 are failed.`
      );
      expect(r.breakdown?.not_completed.last_failure_reason).toEqual([{ label: '(free text)', count: 2 }]);
      expect(r.summary).toContain('(free text) <strong>2</strong>');
      expect([visibleText(r), r.report].join('\n')).not.toMatch(/John|Smith|Customer|hung up/);
    });
  });

  it.concurrent('free text naming a cause is counted by the cause, which the reason may name', async () => {
    await withServer(async (server) => {
      const failed = [0, 1, 2].map((i) => ({
        task_id: `B${i}`,
        status: 'failed',
        created: new Date(Date.UTC(2026, 10, 1, 0, 10, 30 + i)).toISOString(),
        last_failure_reason: `Line busy (SIP 486) for Ottoline Fairweather-Brisk ${i}`,
        output: {}
      }));
      server.addRun(
        'busy-agent',
        run(10, { total_tasks: 26, completed_tasks: 23, tasks: [...tasksOf(24, 600, 1e9).slice(1), ...failed] })
      );
      const r = await gate(server, { 'agent-handle': 'busy-agent' });
      expect(r.outputs.reason).toMatch(
        /; of the 3 tasks not completed, 3 failed with a reason read as busy, SIP 486\.$/
      );
      expect(r.breakdown?.not_completed.last_failure_reason).toEqual([
        { label: '(free text: busy, SIP 486)', count: 3 }
      ]);
      expect(r.annotations.map((a) => a.message)).toEqual([r.outputs.reason]);
      expect([visibleText(r), r.report].join('\n')).not.toMatch(/Ottoline|Fairweather|Line busy/);
    });
  });

  it.concurrent('reads 500 tasks with 20,000-character fields well within step-timeout', async () => {
    await withServer(async (server) => {
      const long = (c: string): string => c.repeat(20_000);
      const tasks = Array.from({ length: 500 }, (_, i) => ({
        task_id: `L${i}`,
        status: i % 5 === 0 ? 'failed' : 'completed',
        created: new Date(Date.UTC(2026, 10, 1, 0, 10) + i * 1000).toISOString(),
        last_failure_reason: long('a@'),
        output: { call_status: long('x'), call_end_reason: long('1 '), post_call_data: { outcome: long('w.') } }
      }));
      server.addRun('long-agent', run(10, { total_tasks: 500, completed_tasks: 400, tasks }));
      const r = await gate(server, { 'agent-handle': 'long-agent', 'step-timeout': '60s', 'request-timeout': '30s' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toBe(
        `Run "${hex(10)}" completed 400 of 500 tasks (80%), below the threshold of 95%; of the 100 tasks not completed, 100 are failed.`
      );
      expect(r.breakdown).toMatchObject({ tasks: 500, partial: false, pages: 10, error: null });
      expect(r.breakdown?.not_completed.call_end_reason).toEqual([{ label: '(free text)', count: 100 }]);
    });
  });

  it.concurrent('counts tasks without a task_id once when the server ignores page', async () => {
    await withServer(async (server) => {
      const anonymous = tasksOf(50, 600, 10).map((t) => ({ ...t, task_id: undefined }));
      server.addRun('anon-agent', run(10, { total_tasks: 1000, completed_tasks: 900, tasks: anonymous }));
      server.addRun('anon-agent', run(1, { total_tasks: 950, completed_tasks: 950 }));
      server.fault({ kind: 'ignore-page', endpoint: 'tasks', times: Infinity });
      const r = await gate(server, { 'agent-handle': 'anon-agent', 'run-id': hex(10) });
      expect(r.code).toBe(1);
      expect(asked(server, 'tasks')).toEqual(['1', '2']);
      expect(r.breakdown).toMatchObject({ tasks: 50, total_tasks: 1000, partial: true, pages: 2 });
      expect(r.summary).toContain('From 50 of 1000 tasks of the run (partial)');
    });
  });

  it.concurrent("skips a malformed task of another run, and counts the run's own as unreadable", async () => {
    await withServer(async (server) => {
      const at = (s: number): string => new Date(Date.UTC(2026, 10, 1) + s * 1000).toISOString();
      server.addRun('mixed-agent', run(20, { total_tasks: 49, tasks: tasksOf(49, 1200, 1e9) }));
      server.addRun(
        'mixed-agent',
        run(15, { total_tasks: 1, tasks: [{ task_id: 'M1', created: at(899), output: {} }] })
      );
      const own = [...tasksOf(24, 600, 4), { task_id: 'M2', status: { text: 'Ann Lee' }, created: at(640) }];
      server.addRun('mixed-agent', run(10, { completed_tasks: 18, tasks: own }));
      const r = await gate(server, { 'agent-handle': 'mixed-agent', 'run-id': hex(10) });
      expect(r.code).toBe(1);
      expect(r.breakdown).toMatchObject({ tasks: 25, unreadable: 1, skipped: 1, partial: false, error: null });
      expect(r.breakdown?.by_status).toContainEqual({ label: '(unreadable)', count: 1 });
      expect(r.summary).toContain('<p>1 malformed task of other runs (or of no readable run) skipped.</p>');
      expect(r.outputs.reason).toContain('; of the 6 tasks not completed, 6 ended no_answer.');
    });
  });
});

describe('privacy', () => {
  /** Every personal value in the tasks the server holds for the agent, at least 4 characters long. */
  function personal(server: Emulator, agent: string): string[] {
    const found = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string') {
        if (value.length >= 4) found.add(value);
        // Names and words inside longer text too: a leak of part of a value is a leak.
        for (const word of value.split(/[\s,.;:'"()]+/)) if (/^[A-Z][a-z]{3,}/.test(word)) found.add(word);
      } else if (Array.isArray(value)) value.forEach(collect);
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
    };
    for (const task of server.tasks(agent)) {
      const output = (task.output ?? {}) as Record<string, unknown>;
      const post = (output.post_call_data ?? {}) as Record<string, unknown>;
      collect([task.input, task.user_info, task.ref_id, task.thread_id]);
      collect([output.transcript, output.recording_url, output.call_summary, output.assistant_number, post.summary]);
    }
    // Words of the fake data that are also ordinary words of the gate's own text.
    for (const word of ['Unpod', 'Nova']) found.delete(word);
    return [...found];
  }

  const MARKED: Run = run(1, {
    created: new Date(Date.now() - 60_000).toISOString(),
    total_tasks: 4 + 2 * DISGUISED.length,
    completed_tasks: 1 + DISGUISED.length,
    tasks: [
      {
        task_id: 'T1',
        status: 'completed',
        input: { name: 'Wilhelmina Quarrington', contact_number: '+44 20 7946 0958', email: 'wq@quarrington.example' },
        user_info: { name: 'Wilhelmina Quarrington' },
        ref_id: 'REF-QUARRINGTON-77',
        thread_id: 'thread-zebra-lantern',
        output: {
          call_status: 'completed',
          call_end_reason: 'caller_hangup',
          transcript: 'Wilhelmina: my card ends 4242, my address is 12 Rookery Close',
          recording_url: 'https://rec.example/zebra-lantern.wav',
          call_summary: 'Quarrington wants a callback on Thursday',
          assistant_number: '+1 202 555 0177',
          post_call_data: { outcome: 'interested', summary: 'Wilhelmina agreed to the Zebra plan' }
        }
      },
      {
        task_id: 'T2',
        status: 'failed',
        last_failure_reason: 'Call to +44 20 7946 0958 (wq@quarrington.example) dropped; see https://rec.example/zebra',
        input: { name: 'Wilhelmina Quarrington' },
        output: { call_status: 'failed', call_end_reason: 'call_failed' }
      },
      { task_id: 'T3', status: 'failed', last_failure_reason: 'Number 02079460958 unreachable', output: {} },
      { task_id: 'T4', status: 'pending', input: { name: 'Ottoline Fairweather-Brisk' } },
      // Contacts in disguise, in every field the gate shows: the status, the reasons, the outcome.
      ...DISGUISED.map((text, i) => ({
        task_id: `D${i}`,
        status: i % 3 === 0 ? text : 'failed',
        last_failure_reason: text,
        output: { call_status: text, call_end_reason: text }
      })),
      ...DISGUISED.map((text, i) => ({
        task_id: `C${i}`,
        status: 'completed',
        output: { call_status: 'completed', call_end_reason: 'caller_hangup', post_call_data: { outcome: text } }
      }))
    ]
  });

  /**
   * What a person would read as a planted contact, however it is written: the text is folded
   * (full-width and Arabic-Indic digits to ASCII, zero-width characters dropped) before looking.
   */
  function contactsIn(text: string): string[] {
    const folded = text
      .normalize('NFKC')
      .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
      .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660));
    const planted = [
      /415\D{0,3}555\D{0,3}0100/,
      // Not 7946 alone: RUNNER_DEBUG's lines carry byte counts and times.
      /7946\D{0,3}0958/,
      /quarrington/i,
      /wilhelmina/i,
      /rookery/i,
      /snoring/i,
      /zed@/i,
      /example\.org/i,
      /ottoline/i,
      /fairweather/i,
      /john smith/i
    ];
    return planted.filter((p) => p.test(folded)).map(String);
  }

  const cases: [string, (server: Emulator) => void, Record<string, string>, number, Record<string, string>?][] = [
    ['a failing run (generated contacts)', () => undefined, { 'agent-handle': 'booking-agent', threshold: '0' }, 1],
    [
      'a failing run (marked contacts)',
      (s) => {
        s.addRun('marked-agent', MARKED);
      },
      { 'agent-handle': 'marked-agent' },
      1
    ],
    ['a passing run explained always', () => undefined, { 'agent-handle': 'sales-agent', explain: 'always' }, 0],
    [
      'a failing run, report only, explained always',
      (s) => {
        s.addRun('marked-agent', MARKED);
      },
      { 'agent-handle': 'marked-agent', explain: 'always', enforce: 'false' },
      0
    ],
    [
      'an error on the tasks endpoint quoting a contact',
      (s) => {
        s.addRun('marked-agent', MARKED);
        s.fault({
          kind: 'status',
          status: 500,
          endpoint: 'tasks',
          times: Infinity,
          body: JSON.stringify({
            message: 'Task for Wilhelmina Quarrington +44 20 7946 0958 wq@quarrington.example failed'
          })
        });
      },
      { 'agent-handle': 'marked-agent', retries: '0' },
      1
    ],
    [
      'a failing run (marked contacts) with RUNNER_DEBUG',
      (s) => {
        s.addRun('marked-agent', MARKED);
      },
      { 'agent-handle': 'marked-agent' },
      1,
      { RUNNER_DEBUG: '1' }
    ],
    [
      'a passing run explained always with RUNNER_DEBUG',
      (s) => {
        s.addRun('marked-agent', { ...MARKED, completed_tasks: MARKED.total_tasks });
      },
      { 'agent-handle': 'marked-agent', explain: 'always' },
      0,
      { RUNNER_DEBUG: '1' }
    ],
    [
      'a tasks page nested too deep, with RUNNER_DEBUG',
      (s) => {
        s.addRun('marked-agent', MARKED);
        s.fault({
          kind: 'status',
          status: 200,
          endpoint: 'tasks',
          times: Infinity,
          body: `{"data":[{"run_id":"R1","status":"failed","last_failure_reason":"Wilhelmina Quarrington","input":${'['.repeat(3000)}${']'.repeat(3000)}}]}`
        });
      },
      { 'agent-handle': 'marked-agent' },
      1,
      { RUNNER_DEBUG: '1' }
    ],
    [
      'an error on the executions endpoint after tasks were read by a fleet',
      (s) => {
        s.addRun('marked-agent', MARKED);
        s.fault({ kind: 'status', status: 401, endpoint: 'executions', agent: 'support-agent', times: Infinity });
      },
      { 'agent-handle': 'marked-agent\nsupport-agent\nbooking-agent' },
      1
    ]
  ];

  it.concurrent.each(cases)(
    'no contact detail of %s reaches the log, summary, outputs or report',
    async (_title, setup, inputs, code, env = {}) => {
      await withServer(async (server) => {
        setup(server);
        const agents = (inputs['agent-handle'] ?? '').split('\n');
        const secrets = agents.flatMap((a) => personal(server, a));
        expect(secrets.length).toBeGreaterThan(3);
        const r = await gate(server, inputs, env);
        expect(r.code).toBe(code);
        if (env.RUNNER_DEBUG) expect(r.stdout).toContain('::debug::');
        const everything = [visibleText(r), r.report, r.stdout, r.stderr].join('\n');
        const leaked = secrets.filter((s) => everything.includes(s));
        expect(leaked).toEqual([]);
        expect(contactsIn(everything)).toEqual([]);
        // Digits of the phone numbers in any punctuation, and any address.
        expect(everything).not.toMatch(
          /7946\D{0,3}0958|555[\s-]?0\d{3}|@quarrington|@mail\.example|rec\.example|recordings\./
        );
        expect(server.requests.some((q) => q.endpoint === 'tasks')).toBe(true);
      });
    }
  );
});
