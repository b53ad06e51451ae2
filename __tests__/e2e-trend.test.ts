/** The built bundle against the example server: windows, baselines, warnings, confidence, per-agent thresholds. */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { shiftCreated, startEmulator, type Emulator, type Run } from '../emulator/server.mjs';
import { runAction, type ActionRun } from '../scripts/run-action.mjs';
import { parseInstant } from '../src/values/instant.js';
import { AS_WRITTEN, TOKEN, run } from './helpers.js';

let server: Emulator;
beforeAll(async () => {
  server = await startEmulator();
});
afterAll(async () => {
  await server.close();
});

const gate = (inputs: Record<string, string>): Promise<ActionRun> =>
  runAction({ 'org-handle': 'demo-org', token: TOKEN, 'base-url': server.url, threshold: '95', ...inputs });

/** The scenario's runs of an agent, newest first as listed. */
const runsOf = (agent: string) => server.scenario.agents[agent] as { run_id: string; completed_tasks: number }[];

describe('window', () => {
  it.concurrent('a noisy dip fails alone and passes pooled over a window of 5', async () => {
    const [alone, pooled] = await Promise.all([
      gate({ 'agent-handle': 'noisy-agent' }),
      gate({ 'agent-handle': 'noisy-agent', window: '5' })
    ]);
    expect(alone.code).toBe(1);
    expect(alone.outputs).toMatchObject({ verdict: 'fail', 'window-rate': '92', 'window-runs': '1' });
    expect(pooled.code).toBe(0);
    expect(pooled.outputs).toMatchObject({
      passed: 'true',
      verdict: 'pass',
      'completion-rate': '92',
      'window-rate': '97.6',
      'window-runs': '5',
      'baseline-rate': ''
    });
    expect(pooled.annotations).toEqual([
      {
        level: 'notice',
        message: `Run ${runsOf('noisy-agent')[0]?.run_id} passed: 5 runs pooled at 97.6% (threshold 95%).`
      }
    ]);
    const result = JSON.parse(pooled.outputs.results ?? '[]')[0];
    expect(result).toMatchObject({
      verdict: 'pass',
      threshold: 95,
      window: { runs: 5, completed_tasks: 122, total_tasks: 125, rate: 97.6 },
      baseline: null
    });
    expect(pooled.summary).toContain('97.6% <sub>over 5 runs</sub>');
    expect(pooled.summary).toContain('<summary>What was judged</summary>');
  });
});

describe('max-drop and baseline-runs', () => {
  it.concurrent('a regression that passes the threshold fails max-drop, and passes a looser one', async () => {
    const [strict, loose, off] = await Promise.all([
      gate({
        'agent-handle': 'drifting-agent',
        window: '3',
        'max-drop': '3',
        'report-path': join(tmpdir(), 'drift-report.json')
      }),
      gate({ 'agent-handle': 'drifting-agent', window: '3', 'max-drop': '4', 'baseline-runs': '2' }),
      gate({ 'agent-handle': 'drifting-agent', window: '3' })
    ]);
    expect(off.code).toBe(0);
    expect(strict.code).toBe(1);
    expect(strict.outputs).toMatchObject({
      verdict: 'fail',
      'window-rate': '96',
      'window-runs': '3',
      'baseline-rate': '100'
    });
    // The judged run's own tasks add their largest cause (explain is on-failure by default).
    expect(strict.outputs.reason).toBe(
      '96% is 4 points below the baseline of 100% (5 runs before), more than max-drop 3; of the 1 task not completed, 1 ended customer_declined.'
    );
    const report = JSON.parse(await readFile(join(tmpdir(), 'drift-report.json'), 'utf8'));
    await rm(join(tmpdir(), 'drift-report.json'));
    expect(report.settings).toMatchObject({
      window: 3,
      baseline_runs: 5,
      max_drop: 3,
      warn_below: null,
      confidence: null
    });
    expect(report.results[0]).toMatchObject({
      verdict: 'fail',
      window: { runs: 3, completed_tasks: 72, total_tasks: 75, rate: 96 },
      baseline: { runs: 5, completed_tasks: 125, total_tasks: 125, rate: 100 }
    });
    expect(loose.code).toBe(0);
    expect(loose.outputs).toMatchObject({ verdict: 'pass', 'baseline-rate': '100' });
    expect(JSON.parse(loose.outputs.results ?? '[]')[0].baseline.runs).toBe(2);
  });
});

describe('warn-below and confidence', () => {
  it.concurrent('warn-below passes the step with a warning annotation and a ⚠️ row', async () => {
    const run = await gate({ 'agent-handle': 'drifting-agent', 'warn-below': '97' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ passed: 'true', verdict: 'warn', reason: '' });
    expect(run.annotations).toEqual([
      {
        level: 'warning',
        message: `Run "${runsOf('drifting-agent')[0]?.run_id}" completed 24 of 25 tasks (96%), below warn-below 97% (the threshold is 95%).`
      }
    ]);
    expect(run.summary).toContain('<td>⚠️ drifting-agent</td>');
    expect(run.summary).toContain('<h3>Warnings</h3>');
    expect(run.summary?.split('\n')[0]).toBe('<h2>⚠️ Unpod gate passed with warnings: 1 passed, 0 failed</h2>');
  });

  it.concurrent('confidence warns on a shortfall it cannot prove and fails one it can', async () => {
    const [noisy, bad] = await Promise.all([
      gate({ 'agent-handle': 'noisy-agent', confidence: '95' }),
      gate({ 'agent-handle': 'support-agent', confidence: '80', threshold: '99' })
    ]);
    expect(noisy.code).toBe(0);
    expect(noisy.outputs.verdict).toBe('warn');
    expect(noisy.annotations[0]?.message).toContain('at 95% confidence the rate is 75.0% to 97.8%');
    expect(JSON.parse(noisy.outputs.results ?? '[]')[0].interval).toEqual({
      confidence: 95,
      low: 75,
      high: 97.8,
      calls_needed: 73
    });
    expect(bad.code).toBe(1);
    expect(bad.outputs.reason).toMatch(/significantly below the threshold of 99%: at 80% confidence the rate is/);
  });
});

describe('shown numbers agree with every rule that decided', () => {
  const agentWith = (agent: string, runs: Run[]): string => {
    for (const r of runs) server.addRun(agent, r);
    return agent;
  };

  it.concurrent('a rate warn-below warns on is shown below warn-below, in every output', async () => {
    const agent = agentWith('warned-shown-agent', [run(1, { completed_tasks: 18_999, total_tasks: 20_000 })]);
    const r = await gate({ 'agent-handle': agent, threshold: '90', 'warn-below': '95' });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'warn', 'completion-rate': '94.995', 'window-rate': '94.995' });
    const result = JSON.parse(r.outputs.results ?? '[]')[0];
    expect(result).toMatchObject({ completion_rate: 94.995, window: { rate: 94.995 } });
    expect(r.summary).toContain('94.995%');
    expect(r.summary).not.toMatch(/>95%/);
  });

  it.concurrent('the rate and the baseline are shown so that their difference agrees with max-drop', async () => {
    const agent = agentWith('dropped-shown-agent', [
      run(2, { completed_tasks: 18_333, total_tasks: 20_000 }),
      run(1, { completed_tasks: 9667, total_tasks: 10_000 })
    ]);
    const r = await gate({
      'agent-handle': agent,
      threshold: '90',
      'max-drop': '5',
      'baseline-runs': '1',
      explain: 'never'
    });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({
      verdict: 'fail',
      'completion-rate': '91.665',
      'window-rate': '91.665',
      'baseline-rate': '96.67'
    });
    expect(r.outputs.reason).toBe(
      '91.665% is 5.005 points below the baseline of 96.67% (1 run before), more than max-drop 5.'
    );
    expect(JSON.parse(r.outputs.results ?? '[]')[0].baseline.rate).toBe(96.67);
  });
});

describe('thresholds', () => {
  it.concurrent('applies each agent its own threshold, and shows it in the rate cell', async () => {
    const run = await gate({ 'agent-handle': 'sales-agent\nsupport-agent', thresholds: 'support-agent: 92' });
    expect(run.code).toBe(0);
    const results = JSON.parse(run.outputs.results ?? '[]') as { threshold: number }[];
    expect(results.map((r) => r.threshold)).toEqual([95, 92]);
    expect(run.summary).toContain('<th>Rate (≥ own threshold)</th>');
    expect(run.summary).toContain('92%<br><sub>≥ 92%</sub>');
  });

  it.concurrent('refuses a per-agent threshold that looks like a fraction, as threshold does', async () => {
    const run = await gate({ 'agent-handle': 'fraction-agent', thresholds: 'fraction-agent: 0.95' });
    expect(run.code).toBe(1);
    expect(run.outputs.reason).toBe(
      `Input 'thresholds' line 1 gives "fraction-agent" the threshold "0.95": thresholds are percentages, so 95 means 95 %. Did you mean 95? To gate on under one percent, write it with a percent sign: 0.95%.`
    );
    expect(server.requests.some((r) => r.agent === 'fraction-agent')).toBe(false);
  });

  // Every agent has its own line, so the global threshold of 100 judges none of them.
  const ownLines = { 'agent-handle': 'sales-agent\npartial-agent', threshold: '100' };

  it.concurrent('checks warn-below against the thresholds that judge some agent', async () => {
    const run = await gate({ ...ownLines, thresholds: 'sales-agent: 1\npartial-agent: 90', 'warn-below': '97' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ passed: 'true', verdict: 'warn' });
    expect(run.annotations.map((a) => a.level)).toEqual(['warning']);
    expect(run.annotations[0]?.message).toContain('(96%), below warn-below 97% (the threshold is 90%)');
  });

  it.concurrent("names in the fleet's pass notice the thresholds that judged", async () => {
    const run = await gate({ ...ownLines, thresholds: 'sales-agent: 90\npartial-agent: 80' });
    expect(run.code).toBe(0);
    expect(run.annotations).toEqual([{ level: 'notice', message: 'All 2 agents passed (thresholds 80% to 90%).' }]);
    // The log's first line and the summary's footer too: the global threshold of 100 judged none.
    expect(run.stdout).toMatch(
      /^Gating the latest run of 2 agents in \S+ at \S+: thresholds sales-agent 90%, partial-agent 80%\.$/m
    );
    expect(run.summary).toContain('<p><sub>Thresholds sales-agent 90%, partial-agent 80%, min-tasks 1 · ');
    expect(run.summary).not.toContain('Threshold 100%');
  });

  it.concurrent('refuses a bad line before any request, naming it', async () => {
    const run = await gate({ 'agent-handle': 'lonely-agent', thresholds: 'lonely-agent: 90\nbooking-agent: 80' });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ passed: 'false', verdict: 'fail' });
    expect(run.outputs.reason).toBe(
      "Input 'thresholds' line 2 names \"booking-agent\", which is not in 'agent-handle'."
    );
    expect(server.requests.some((r) => r.agent === 'lonely-agent')).toBe(false);
  });
});

describe('the example server dates its runs relative to when it starts', () => {
  it('moves each date by whole minutes, keeping its written form', () => {
    expect(shiftCreated('2026-11-27T09:00:00Z', 60 * 24)).toBe('2026-11-28T09:00:00Z');
    expect(shiftCreated('2026-11-25T09:00:00.500000', -90)).toBe('2026-11-25T07:30:00.500000');
    expect(shiftCreated('2026-11-23T14:30:00+05:30', 60 * 24 * 40)).toBe('2027-01-02T14:30:00+05:30');
    expect(shiftCreated('2026-11-23 14:30', 1)).toBe('2026-11-23 14:31');
    expect(shiftCreated('not a date', 5)).toBe('not a date');
  });

  it.concurrent('so a run written a day before datedAt is a day old whenever the demo runs', async () => {
    const now = Date.parse('2031-05-01T00:00:00Z');
    const later = await startEmulator({ now });
    try {
      const datedAt = Date.parse(later.scenario.datedAt ?? '');
      expect(datedAt).toBe(AS_WRITTEN);
      const written = (await startEmulator({ now: AS_WRITTEN }).then(async (s) => {
        const runs = s.scenario.agents['noisy-agent'] ?? [];
        await s.close();
        return runs;
      })) as { created: string }[];
      const moved = (later.scenario.agents['noisy-agent'] ?? []) as { created: string }[];
      const age = (created: string) => Number(parseInstant(created) ?? NaN) / 1e6;
      for (const [i, run] of written.entries()) {
        expect(Number.isFinite(age(run.created))).toBe(true);
        expect(now - age(moved[i]!.created)).toBe(AS_WRITTEN - age(run.created));
      }
    } finally {
      await later.close();
    }
  });
});

describe('bad trend inputs', () => {
  it.concurrent.each([
    ['window', '0', 'Input \'window\' is "0": expected a whole number from 1 to 50.'],
    ['baseline-runs', '99', 'Input \'baseline-runs\' is "99": expected a whole number from 1 to 50.'],
    ['max-drop', 'lots', 'Input \'max-drop\' is "lots": expected a percentage from 0 to 100 such as 95, 95% or 92.5.'],
    [
      'warn-below',
      '90',
      "Input 'warn-below' is 90, below the threshold of 95: it must be at least the threshold (a warning band above it)."
    ],
    ['confidence', '85', 'Input \'confidence\' is "85": expected 80 or 90 or 95 or 98 or 99.']
  ])('%s %j fails before any request with a clear message', async (name, value, message) => {
    const run = await gate({ 'agent-handle': `bad-${name}`, [name]: value });
    expect(run.code).toBe(1);
    expect(run.outputs.reason).toBe(message);
    expect(run.outputs.verdict).toBe('fail');
    expect(server.requests.some((r) => r.agent === `bad-${name}`)).toBe(false);
  });
});
