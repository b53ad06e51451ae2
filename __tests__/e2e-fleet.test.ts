/** Fleets and the stricter rules, end to end: the built bundle against the example server. */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { marked } from 'marked';
import type { Emulator } from '../emulator/server.mjs';
import { DEMO_CASES, demoInputs } from '../scripts/demo.mjs';
import { runAction, visibleText, type ActionRun } from '../scripts/run-action.mjs';
import { TOKEN, withServer } from './helpers.js';

const gate = (server: Emulator, inputs: Record<string, string>): Promise<ActionRun> =>
  runAction({ 'org-handle': 'demo-org', token: TOKEN, 'base-url': server.url, threshold: '95', ...inputs });

const FLEET = 'sales-agent\npartial-agent, support-agent\n\nsales-agent\nbooking-agent\n';
const iso = (msAgo: number): string => new Date(Date.now() - msAgo).toISOString();

describe('a fleet of agents', () => {
  it.concurrent('fails when one agent fails, naming each failing agent, and fills results in input order', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'agent-handle': FLEET });
      expect(r.code).toBe(1);
      // The repeated sales-agent is gated once; only the two failing agents' tasks are read.
      const sent = server.requests.map((q) => `${q.endpoint} ${q.agent}`);
      expect(sent.filter((q) => q.startsWith('executions'))).toHaveLength(4);
      expect(sent.filter((q) => q.startsWith('tasks')).sort()).toEqual(['tasks booking-agent', 'tasks support-agent']);
      expect(r.outputs.passed).toBe('false');
      expect(r.outputs.reason).toMatch(
        /^2 of 4 agents did not pass the gate\. support-agent: Run .*below the threshold of 95%; of the 2 tasks not completed, 1 ended no_answer\. booking-agent: Run "Rcb6a45faffccdea2ed002b05760b0f42" failed; of the 22 tasks not completed, 7 ended busy\.$/
      );
      for (const name of [
        'run-id',
        'status',
        'completed-tasks',
        'total-tasks',
        'created',
        'execution-count',
        'completion-rate'
      ]) {
        expect(r.outputs[name]).toBe('');
      }
      const results = JSON.parse(r.outputs.results!) as Record<string, unknown>[];
      expect(results.map((x) => [x.agent, x.passed])).toEqual([
        ['sales-agent', true],
        ['partial-agent', true],
        ['support-agent', false],
        ['booking-agent', false]
      ]);
      expect(results[1]).toEqual({
        agent: 'partial-agent',
        passed: true,
        reason: '',
        run_id: 'Ra9e29af2a01889e1be5f3da5ea05ce84',
        status: 'partially_completed',
        completed_tasks: 24,
        total_tasks: 25,
        completion_rate: 96,
        created: '2026-11-26T16:45:30.25Z',
        execution_count: 2,
        verdict: 'pass',
        warning: '',
        threshold: 95,
        window: { runs: 1, completed_tasks: 24, total_tasks: 25, rate: 96 },
        baseline: null,
        decided_early: null,
        breakdown: null // passed, and explain is on-failure
      });
      expect(r.outputs).toMatchObject({ verdict: 'fail', 'window-rate': '', 'window-runs': '', 'baseline-rate': '' });
      expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        expect.stringMatching(/^Run "Rf0d48606404e302e98ad1348b5e7681a" completed 23 of 25 tasks/),
        'Run "Rcb6a45faffccdea2ed002b05760b0f42" failed; of the 22 tasks not completed, 7 ended busy.',
        '2 of 4 agents did not pass the gate: support-agent, booking-agent. The job summary says why.'
      ]);
      expect(r.stdout).toContain(
        '❌ support-agent: Run "Rf0d48606404e302e98ad1348b5e7681a" completed 23 of 25 tasks (92%), below the threshold of 95%; of the 2 tasks not completed, 1 ended no_answer.'
      );
      expect(visibleText(r)).not.toContain(TOKEN);
    });
  });

  it.concurrent('passes when every agent passes, with one notice', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'agent-handle': 'sales-agent,partial-agent' });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ passed: 'true', reason: '' });
      expect(r.annotations).toEqual([{ level: 'notice', message: 'All 2 agents passed (threshold 95%).' }]);
      expect(r.summary?.split('\n')[0]).toBe('<h2>✅ Unpod gate passed: 2 passed, 0 failed</h2>');
    });
  });

  it.concurrent('fetches with bounded concurrency', async () => {
    await withServer(async (server) => {
      const agents = Array.from({ length: 10 }, (_, i) => `agent-${i}`);
      for (const agent of agents)
        server.addRun(agent, {
          run_id: `R${'a'.repeat(31)}${agent.slice(-1)}`,
          status: 'completed',
          total_tasks: 4,
          completed_tasks: 4,
          created: iso(60_000)
        });
      server.fault({ kind: 'latency', ms: 300, times: Infinity });
      const r = await gate(server, { 'agent-handle': agents.join('\n'), concurrency: '3' });
      expect(r.code).toBe(0);
      expect(server.requests).toHaveLength(10);
      expect(server.maxInFlight).toBe(3);
    });
  });

  it.concurrent('folds annotations beyond GitHub’s ten per step', async () => {
    await withServer(async (server) => {
      const agents = Array.from({ length: 14 }, (_, i) => `low-${i}`);
      for (const agent of agents)
        server.addRun(agent, {
          run_id: `R${'b'.repeat(30)}${agent.slice(-2).padStart(2, '-')}`,
          status: 'completed',
          total_tasks: 4,
          completed_tasks: 1,
          created: iso(60_000)
        });
      const r = await gate(server, { 'agent-handle': agents.join(',') });
      expect(r.code).toBe(1);
      const errors = r.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(10);
      expect(errors[8]?.message).toBe(
        `6 more agents did not pass: ${agents.slice(8).join(', ')}. See the job summary.`
      );
    });
  });

  it.concurrent('writes report-path with the results, the settings and the time', async () => {
    await withServer(async (server) => {
      const path = join(tmpdir(), `unpod-report-${process.pid}-${Date.now()}.json`);
      try {
        const r = await gate(server, { 'agent-handle': 'sales-agent\nsupport-agent', 'report-path': path });
        expect(r.code).toBe(1);
        const report = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
        expect(report.results).toEqual(JSON.parse(r.outputs.results!));
        expect(report).toMatchObject({
          passed: false,
          settings: { agents: ['sales-agent', 'support-agent'], threshold: 95, enforce: true }
        });
        expect(Date.parse(report.generated as string)).toBeGreaterThan(Date.now() - 600_000);
        expect(JSON.stringify(report)).not.toContain(TOKEN);
      } finally {
        await rm(path, { force: true });
      }
    });
  });
});

describe('report-path', () => {
  it.concurrent('warns when the report cannot be written, and still gates', async () => {
    await withServer(async (server) => {
      const r = await gate(server, {
        'agent-handle': 'sales-agent',
        'report-path': '/nonexistent-dir/for/report.json'
      });
      expect(r.code).toBe(0);
      expect(r.outputs.passed).toBe('true');
      expect(r.annotations.find((a) => a.level === 'warning')?.message).toMatch(
        /^Could not write report-path "\/nonexistent-dir\/for\/report\.json": ENOENT/
      );
    });
  });
});

describe('report only, min-tasks and max-age', () => {
  it.concurrent('enforce: false passes the step with warnings, and passed says false', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'agent-handle': 'sales-agent\nsupport-agent\nbooking-agent', enforce: 'false' });
      expect(r.code).toBe(0);
      expect(r.outputs.passed).toBe('false');
      expect(r.annotations.map((a) => a.level)).toEqual(['warning', 'warning']);
      expect(r.summary).toContain('would fail (report only');
    });
  });

  it.concurrent('enforce: false still fails on a configuration error', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'agent-handle': 'sales-agent\nghost-agent', enforce: 'false' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toContain('ghost-agent: Agent "ghost-agent" not found');
    });
  });

  it.concurrent('min-tasks fails a run with too few tasks', async () => {
    await withServer(async (server) => {
      server.addRun('tiny-agent', {
        run_id: `R${'c'.repeat(32)}`,
        status: 'completed',
        total_tasks: 3,
        completed_tasks: 3,
        created: iso(60_000)
      });
      const strict = await gate(server, { 'agent-handle': 'tiny-agent', 'min-tasks': '5' });
      expect(strict.code).toBe(1);
      expect(strict.outputs.reason).toBe(
        `Run "R${'c'.repeat(32)}" has 3 tasks, fewer than min-tasks 5: too few to prove anything.`
      );
      expect(strict.outputs['completion-rate']).toBe('100');
      const lax = await gate(server, { 'agent-handle': 'tiny-agent', 'min-tasks': '3' });
      expect(lax.code).toBe(0);
    });
  });

  it.concurrent('max-age fails a stale latest run', async () => {
    await withServer(async (server) => {
      server.addRun('old-agent', {
        run_id: `R${'d'.repeat(32)}`,
        status: 'completed',
        total_tasks: 25,
        completed_tasks: 25,
        created: iso(10 * 86_400_000)
      });
      const stale = await gate(server, { 'agent-handle': 'old-agent', 'max-age': '7d' });
      expect(stale.code).toBe(1);
      expect(stale.outputs.reason).toMatch(
        new RegExp(`^Run "R${'d'.repeat(32)}" is stale: it was created 10d 0h ago, more than max-age 7d 0h\\.$`)
      );
      const fresh = await gate(server, { 'agent-handle': 'old-agent', 'max-age': '11d' });
      expect(fresh.code).toBe(0);
    });
  });
});

describe('the job summary as GitHub renders it', () => {
  it.concurrent("renders the demo's fleet as a heading, tables, a list and folded details", async () => {
    await withServer(async (server) => {
      const fleet = DEMO_CASES.find(([title]) => title.startsWith('A fleet'));
      expect(fleet).toBeDefined();
      const r = await runAction({ ...demoInputs(server), ...fleet![1] });
      const html = await marked.parse(r.summary ?? '', { gfm: true });
      expect(html).toMatch(/^<h2>❌ Unpod gate failed: 2 passed, 2 failed<\/h2>/);
      // The fleet, each failing agent's tasks (folded), then each agent's history (folded).
      expect(html.match(/<table>/g)).toHaveLength(7);
      expect(html.match(/<details>/g)).toHaveLength(5);
      expect(html).toMatch(/<details><summary>What the runs' tasks say<\/summary>/);
      expect(html).toMatch(/<details><summary>sales-agent: the 7 most recent runs<\/summary>/);
      expect(html).toContain('<ul><li><strong>support-agent</strong>');
      expect(html).toMatch(/<code class="language-mermaid">%%\{init: .*\}%%\nxychart-beta\n/);
    });
  });

  it.concurrent('keeps text from the API inert', async () => {
    await withServer(async (server) => {
      server.addRun('evil-agent', {
        run_id: '<img src=x onerror=alert(1)>|`x`',
        status: '**bold**</td>',
        total_tasks: 4,
        completed_tasks: 1,
        created: iso(60_000),
        tasks: [
          { task_id: 'T1', status: '<img src=y onerror=alert(2)>', output: { call_end_reason: '**loud**|`x`' } },
          { task_id: 'T2', status: 'completed', output: { post_call_data: { outcome: '</td><script>x</script>' } } }
        ]
      });
      const r = await gate(server, { 'agent-handle': 'sales-agent\nevil-agent' });
      const html = await marked.parse(r.summary ?? '', { gfm: true });
      expect(html.match(/<table>/g)).toHaveLength(4); // the fleet, evil-agent's tasks, two histories
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<strong>loud</strong>');
      expect(html).not.toContain('<strong>bold</strong>');
      expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    });
  });
});
