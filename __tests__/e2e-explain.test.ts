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

interface Breakdown {
  tasks: number;
  total_tasks: number | null;
  partial: boolean;
  pages: number;
  by_status: { label: string; count: number }[];
  not_completed: { count: number; call_end_reason: { label: string; count: number }[] };
  completed: { count: number };
  retries: number;
  error: string | null;
}

let reports = 0;
async function gate(
  server: Emulator,
  inputs: Record<string, string>
): Promise<ActionRun & { report: string; breakdown: Breakdown | null }> {
  const reportPath = join(tmpdir(), `unpod-explain-${process.pid}-${reports++}.json`);
  const r = await runAction(stepInputs(server.url, { 'report-path': reportPath, ...inputs }));
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
      const error =
        "The run's tasks could not be read: The server at [url] has no tasks endpoint (HTTP 404, not JSON).";
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

  it.concurrent('tasks the gate cannot rely on are noted without quoting them', async () => {
    await withServer(async (server) => {
      server.fault({ kind: 'wrong-types', endpoint: 'tasks', times: Infinity });
      const r = await gate(server, { 'agent-handle': 'support-agent', 'on-api-error': 'warn' });
      expect(r.code).toBe(1);
      expect(r.breakdown?.error).toMatch(
        /^The run's tasks could not be read: .*task #1 of the page without a string 'run_id'/
      );
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
    total_tasks: 4,
    completed_tasks: 1,
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
      { task_id: 'T4', status: 'pending', input: { name: 'Ottoline Fairweather-Brisk' } }
    ]
  });

  const cases: [string, (server: Emulator) => void, Record<string, string>, number][] = [
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
    async (_title, setup, inputs, code) => {
      await withServer(async (server) => {
        setup(server);
        const agents = (inputs['agent-handle'] ?? '').split('\n');
        const secrets = agents.flatMap((a) => personal(server, a));
        expect(secrets.length).toBeGreaterThan(3);
        const r = await gate(server, inputs);
        expect(r.code).toBe(code);
        const everything = [visibleText(r), r.report, r.stdout, r.stderr].join('\n');
        const leaked = secrets.filter((s) => everything.includes(s));
        expect(leaked).toEqual([]);
        // Digits of the phone numbers in any punctuation, and any address.
        expect(everything).not.toMatch(/7946|555[\s-]?0\d{3}|@quarrington|@mail\.example|rec\.example|recordings\./);
        expect(server.requests.some((q) => q.endpoint === 'tasks')).toBe(true);
      });
    }
  );
});
