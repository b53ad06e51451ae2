/**
 * The verdict first, then the annex: an agent's verdict comes from its executions alone, and the
 * explanation is read in the time left. When step-timeout cuts the reading short, the verdict,
 * the exit code and the outputs stay what `explain: never` gives, the breakdown says it could
 * not finish, no request leaves after the verdict, and the process ends by itself (runAction
 * refuses a run that needed the forced exit).
 */
import { describe, expect, it } from '@jest/globals';
import type { Emulator, RequestLog } from '../emulator/server.mjs';
import { runAction, visibleText, type ActionRun } from '../scripts/run-action.mjs';
import { TOKEN, run, stepInputs, withServer } from './helpers.js';

interface Watched extends ActionRun {
  /** Requests the server received after the agent's verdict line reached stdout. */
  readonly afterVerdict: readonly RequestLog[];
  readonly results: Record<string, unknown>[];
}

/**
 * Runs the bundle, noting how many requests the server had when the verdict line for `agent`
 * appeared on stdout (`✅ agent: passed.`, `❌ agent: …`, `⚠️ agent: …`).
 */
async function watched(server: Emulator, agent: string, inputs: Record<string, string>): Promise<Watched> {
  const verdictLine = new RegExp(`^\\S+ ${agent}: `, 'm');
  let seen = '';
  let atVerdict: number | undefined;
  const r = await runAction(stepInputs(server.url, { 'agent-handle': agent, ...inputs }), {
    killAfterMs: 90_000,
    onStdout: (chunk) => {
      seen += chunk;
      if (atVerdict === undefined && verdictLine.test(seen)) atVerdict = server.requests.length;
    }
  });
  expect(visibleText(r)).not.toContain(TOKEN);
  expect(atVerdict).toBeDefined();
  const results = JSON.parse(r.outputs.results ?? '[]') as Record<string, unknown>[];
  return { ...r, afterVerdict: server.requests.slice(atVerdict), results };
}

/** The outputs a later step reads, without the explanation's own fields: the breakdown and the reason's clause. */
function verdictOutputs(r: Watched): Record<string, unknown> {
  const without = (record: Record<string, unknown>, ...names: string[]): Record<string, unknown> =>
    Object.fromEntries(Object.entries(record).filter(([name]) => !names.includes(name)));
  return {
    ...without(r.outputs, 'reason', 'results'),
    results: r.results.map((x) => without(x, 'breakdown', 'reason'))
  };
}

const tasksAsked = (server: Emulator): number => server.requests.filter((q) => q.endpoint === 'tasks').length;

describe('step-timeout while the tasks are read', () => {
  it.concurrent('a run at 5 % with slow tasks pages fails, even under on-api-error: warn', async () => {
    await withServer(async (server) => {
      // 400 tasks: 8 pages of 50, each answered 3 s late; the step has 8 s.
      server.addRun('slow-agent', run(1, { total_tasks: 400, completed_tasks: 20 }));
      server.fault({ kind: 'latency', ms: 3000, endpoint: 'tasks', times: Infinity });
      const inputs = { 'on-api-error': 'warn', 'step-timeout': '8s' };
      const r = await watched(server, 'slow-agent', inputs);
      expect(r.code).toBe(1);
      expect(r.outputs).toMatchObject({ passed: 'false', 'completion-rate': '5', 'completed-tasks': '20' });
      expect(r.outputs.reason).toMatch(/^Run "R0+1" completed 20 of 400 tasks \(5%\), below the threshold of 95%/);
      expect(r.outputs.reason).not.toContain('step-timeout');
      const breakdown = r.results[0]?.breakdown as { partial: boolean; error: string; tasks: number };
      expect(breakdown.partial).toBe(true);
      expect(breakdown.error).toMatch(/^Reading the run's tasks could not finish within step-timeout 8s/);
      expect(breakdown.tasks).toBeLessThan(400);
      expect(r.summary).toContain('could not finish within step-timeout 8s');
      expect(r.afterVerdict).toEqual([]);
      const asked = tasksAsked(server);
      expect(asked).toBeGreaterThan(0);
      expect(asked).toBeLessThan(8);

      // explain: never gives the same verdict and outputs, without a task request.
      const never = await watched(server, 'slow-agent', { ...inputs, explain: 'never' });
      expect(never.code).toBe(1);
      expect(tasksAsked(server)).toBe(asked);
      expect(verdictOutputs(r)).toEqual(verdictOutputs(never));
      expect(r.outputs.reason?.startsWith(never.outputs.reason?.replace(/\.$/, '') ?? '?')).toBe(true);
    });
  });

  it.concurrent('a run at 100 % explained always passes though the tasks endpoint stalls', async () => {
    await withServer(async (server) => {
      server.fault({ kind: 'hang', endpoint: 'tasks', times: Infinity });
      const inputs = { explain: 'always', 'step-timeout': '4s', 'request-timeout': '30s', retries: '2' };
      const r = await watched(server, 'sales-agent', inputs);
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ passed: 'true', reason: '', 'completion-rate': '100' });
      const breakdown = r.results[0]?.breakdown as { partial: boolean; error: string; tasks: number; pages: number };
      expect(breakdown).toMatchObject({ partial: true, tasks: 0, pages: 0 });
      expect(breakdown.error).toBe(
        "Reading the run's tasks could not finish within step-timeout 4s: no page of them was read. The verdict does not depend on them."
      );
      expect(r.summary).toContain('could not finish within step-timeout 4s');
      // The one stalled request was cancelled, not retried, and nothing left after the verdict.
      expect(tasksAsked(server)).toBe(1);
      expect(r.afterVerdict).toEqual([]);

      const never = await watched(server, 'sales-agent', { ...inputs, explain: 'never' });
      expect(never.code).toBe(0);
      expect(verdictOutputs(r)).toEqual(verdictOutputs(never));
    });
  });

  it.concurrent('an agent not decided in time is cut short, and its stalled request is cancelled', async () => {
    await withServer(async (server) => {
      server.fault({ kind: 'hang', endpoint: 'executions', times: Infinity });
      const r = await watched(server, 'sales-agent', {
        'step-timeout': '3s',
        'request-timeout': '30s',
        retries: '2'
      });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toContain('was not decided within step-timeout 3s');
      expect(server.requests).toHaveLength(1);
      expect(r.afterVerdict).toEqual([]);
    });
  });

  it.concurrent('in a fleet, a decided agent keeps its verdict while another is cut short', async () => {
    await withServer(async (server) => {
      server.addRun('slow-agent', run(1, { total_tasks: 400, completed_tasks: 20 }));
      server.fault({ kind: 'latency', ms: 3000, endpoint: 'tasks', times: Infinity });
      server.fault({ kind: 'hang', endpoint: 'executions', agent: 'stuck-agent', times: Infinity });
      server.addRun('stuck-agent', run(1));
      const r = await runAction(
        stepInputs(server.url, {
          'agent-handle': 'slow-agent\nstuck-agent',
          'on-api-error': 'warn',
          'step-timeout': '8s'
        }),
        { killAfterMs: 90_000 }
      );
      // stuck-agent alone would only warn; slow-agent's breach fails the step.
      expect(r.code).toBe(1);
      const results = JSON.parse(r.outputs.results ?? '[]') as { agent: string; passed: boolean; reason: string }[];
      expect(results.map((x) => [x.agent, x.passed])).toEqual([
        ['slow-agent', false],
        ['stuck-agent', false]
      ]);
      expect(results[0]?.reason).toMatch(/completed 20 of 400 tasks \(5%\), below the threshold of 95%/);
      expect(results[1]?.reason).toContain('was not decided within step-timeout 8s');
    });
  });
});
