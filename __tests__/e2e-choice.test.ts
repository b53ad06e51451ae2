/**
 * The built bundle against the example server: which runs the window and the baseline hold,
 * whatever the order within a page, at ties in `created`, and around runs without tasks.
 */
import { describe, expect, it } from '@jest/globals';
import type { Run } from '../emulator/server.mjs';
import { runAction, type ActionRun } from '../scripts/run-action.mjs';
import { hex, run, sharedEmulator, stepInputs } from './helpers.js';

const shared = sharedEmulator('choice');

const gate = (agent: string, inputs: Record<string, string>): Promise<ActionRun> =>
  runAction(stepInputs(shared.server.url, { 'agent-handle': agent, explain: 'never', ...inputs }));

/** An agent whose executions pages list their runs oldest first (the pages still come newest first). */
const reversed = (runs: Run[]): string => {
  const { agent } = shared.agentWith(runs);
  shared.server.fault({ kind: 'reverse', agent, endpoint: 'executions', times: Infinity });
  return agent;
};

const results = (r: ActionRun): Record<string, { completed_tasks: number } | null> =>
  (JSON.parse(r.outputs.results ?? '[]') as Record<string, { completed_tasks: number } | null>[])[0] ?? {};

describe('the order within a page', () => {
  it.concurrent('a page listed oldest first pools the newest finished runs before the judged one', async () => {
    const agent = reversed([
      run(4, { total_tasks: 10, completed_tasks: 8 }),
      run(3, { status: 'in_progress', total_tasks: 10, completed_tasks: 5 }),
      run(2, { total_tasks: 10, completed_tasks: 10 }),
      run(1, { total_tasks: 10, completed_tasks: 10 }),
      run(0, { total_tasks: 10, completed_tasks: 0 })
    ]);
    const r = await gate(agent, { threshold: '90', window: '3' });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'pass', 'window-rate': '93.33', 'window-runs': '3' });
    expect(results(r).window).toEqual({ runs: 3, completed_tasks: 28, total_tasks: 30, rate: 93.33 });
  });

  it.concurrent('of two runs 0.8 ms apart, the newer one is the window’s and the baseline’s', async () => {
    const at = (n: number, created: string, completed: number, total = 10): Run =>
      run(n, { created, total_tasks: total, completed_tasks: completed });
    const judged = at(100, '2026-11-01T00:10:00Z', 24, 25);
    const newer = at(99, '2026-11-01T00:05:00.0009Z', 10);
    const older = at(98, '2026-11-01T00:05:00.0001Z', 0);
    const [windowed, dropped] = await Promise.all([
      gate(reversed([judged, newer, older]), { threshold: '90', window: '2' }),
      gate(reversed([judged, newer, older]), { threshold: '90', 'max-drop': '3', 'baseline-runs': '1' })
    ]);
    expect(windowed.code).toBe(0);
    expect(windowed.outputs).toMatchObject({ verdict: 'pass', 'window-rate': '97.14', 'window-runs': '2' });
    expect(results(windowed).window?.completed_tasks).toBe(34);
    // Against the newer run's 100 %, 96 % is 4 points down: more than max-drop 3.
    expect(dropped.code).toBe(1);
    expect(dropped.outputs).toMatchObject({ verdict: 'fail', 'baseline-rate': '100' });
    expect(dropped.outputs.reason).toBe(
      '96% is 4 points below the baseline of 100% (1 run before), more than max-drop 3.'
    );
  });
});

describe('ties in created', () => {
  it.concurrent(
    'with run-id, a run listed before the judged one at the same instant leaves the window full',
    async () => {
      // hex(0xfff) shares hex(10)'s instant and is listed before it; by run_id it is the later one.
      const { agent } = shared.agentWith([
        run(20),
        run(10, { run_id: hex(0xfff) }),
        run(10),
        run(5, { completed_tasks: 20 }),
        run(4, { completed_tasks: 15 })
      ]);
      const r = await gate(agent, { threshold: '50', window: '3', 'run-id': hex(10) });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ 'run-id': hex(10), 'window-runs': '3', 'window-rate': '80' });
      expect(r.summary).not.toContain('holds');
    }
  );
});

describe('runs without tasks', () => {
  it.concurrent('a judged run with 0 tasks fails inside a window too', async () => {
    const { agent } = shared.agentWith([run(10, { total_tasks: 0, completed_tasks: 0 }), run(9)]);
    const r = await gate(agent, { window: '2' });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ passed: 'false', verdict: 'fail', 'completion-rate': '' });
    expect(r.outputs.reason).toBe(`Run "${hex(10)}" finished with 0 tasks, so it has no completion rate.`);
  });

  it.concurrent('a run with 0 tasks takes no baseline slot', async () => {
    const { agent } = shared.agentWith([
      run(10, { total_tasks: 100, completed_tasks: 40 }),
      run(9, { total_tasks: 0, completed_tasks: 0 }),
      run(8, { total_tasks: 100, completed_tasks: 99 })
    ]);
    const r = await gate(agent, { threshold: '30', 'max-drop': '5', 'baseline-runs': '1' });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ verdict: 'fail', 'baseline-rate': '99' });
    expect(r.outputs.reason).toBe('40% is 59 points below the baseline of 99% (1 run before), more than max-drop 5.');
    expect(results(r).baseline).toEqual({ runs: 1, completed_tasks: 99, total_tasks: 100, rate: 99 });
    expect(r.summary).not.toContain('No finished run with tasks before the window');
  });

  it.concurrent('a run with 0 tasks takes no window slot', async () => {
    const { agent } = shared.agentWith([
      run(10, { completed_tasks: 20 }),
      run(9, { total_tasks: 0, completed_tasks: 0 }),
      run(8, { status: 'failed', total_tasks: 0, completed_tasks: 0 }),
      run(7)
    ]);
    const r = await gate(agent, { threshold: '90', window: '2' });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'pass', 'window-rate': '90', 'window-runs': '2' });
  });
});
