/** The step's annotations (src/annotations.ts): what each verdict says, and GitHub's 10 per level. */
import { describe, expect, it } from '@jest/globals';
import { MAX_ANNOTATIONS, annotations } from '../../src/report/annotations.js';
import type { AgentResult } from '../../src/check/agent.js';
import type { Settings } from '../../src/settings/inputs.js';
import { decide } from '../../src/report/decision.js';
import { agentResult, execution, gateSettings } from '../helpers.js';

const annotate = (results: AgentResult[], settings: Settings = gateSettings()) =>
  annotations(results, decide(results, settings), settings);
const warned = (agent: string) => agentResult(agent, undefined, { verdict: 'warn', warning: `${agent} is close.` });
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const levels = (list: ReturnType<typeof annotate>) => list.map((a) => a.level);

describe('a lone agent', () => {
  it('passing gets a notice with its run, rate and threshold', () => {
    const only = agentResult('sales-agent');
    expect(annotate([only])).toEqual([
      { level: 'notice', message: `Run ${only.run?.runId} passed at 100% (threshold 95%).`, title: 'Unpod gate' }
    ]);
  });

  it('passing early says what made the pass certain', () => {
    const early = {
      status: 'in_progress',
      completed: 24,
      total: 25,
      note: 'decided early: 24 of 25 done; even if the last task fails, 96% ≥ 95%'
    };
    const only = agentResult('sales-agent', undefined, {
      rate: '96',
      early: { ...early, verdict: { passed: true, verdict: 'pass', reason: '', warning: '', notes: [] } }
    });
    expect(annotate([only])[0]?.message).toBe(
      `Run ${only.run?.runId} passed at 96% (threshold 95%), decided early: 24 of 25 done; even if the last task fails, 96% ≥ 95%.`
    );
  });

  it('passing over a window names the runs pooled, and its own threshold', () => {
    const runs = [execution('R1'), execution('R2'), execution('R3')];
    const only = agentResult('sales-agent', undefined, {
      threshold: gateSettings({ threshold: '90' }).threshold,
      judged: { window: { runs, counts: { completed: 74, total: 75 }, rate: '98.67' }, notes: [] }
    });
    expect(annotate([only])[0]?.message).toBe(
      `Run ${only.run?.runId} passed: 3 runs pooled at 98.67% (threshold 90%).`
    );
  });

  it('passing with a warning says only the warning', () => {
    expect(annotate([warned('sales-agent')])).toEqual([
      { level: 'warning', message: 'sales-agent is close.', title: 'Unpod gate: warning' }
    ]);
  });

  it('failing the step adds nothing (the step failure carries its reason); not enforced, it warns', () => {
    const breach = agentResult('sales-agent', 'breach');
    expect(annotate([breach])).toEqual([]);
    expect(annotate([breach], gateSettings({ enforce: 'false' }))).toEqual([
      { level: 'warning', message: breach.reason, title: 'Unpod gate (not enforced)' }
    ]);
    const down = agentResult('sales-agent', 'unavailable', { reason: 'The API is failing (HTTP 503).' });
    expect(annotate([down], gateSettings({ 'on-api-error': 'warn' }))).toEqual([
      { level: 'warning', message: 'The API is failing (HTTP 503).', title: 'Unpod gate (not enforced)' }
    ]);
    expect(annotate([down])).toEqual([]);
  });
});

describe('a fleet', () => {
  it('passing gets one notice counting the agents', () => {
    expect(annotate([agentResult('a'), agentResult('b'), agentResult('c')])).toEqual([
      { level: 'notice', message: 'All 3 agents passed (threshold 95%).', title: 'Unpod gate' }
    ]);
  });

  it('names the thresholds that judged the agents, not the global one', () => {
    const own = (agent: string, threshold: string) =>
      agentResult(agent, undefined, { threshold: gateSettings({ threshold }).threshold });
    // threshold 95 judged none of these agents: each had its own line in thresholds.
    expect(annotate([own('a', '90'), own('b', '92.5'), own('c', '80')])[0]?.message).toBe(
      'All 3 agents passed (thresholds 80% to 92.5%).'
    );
    expect(annotate([own('a', '92.5'), own('b', '92.50')])[0]?.message).toBe('All 2 agents passed (threshold 92.5%).');
    expect(annotate([own('a', '90'), own('b', '90'), own('c', '99')])[0]?.message).toBe(
      'All 3 agents passed (thresholds 90% to 99%).'
    );
  });

  it('gives each failing agent an annotation titled with its name, an error when it fails the step', () => {
    const results = [agentResult('a'), agentResult('b', 'breach'), agentResult('c', 'unavailable'), warned('d')];
    expect(annotate(results, gateSettings({ 'on-api-error': 'warn' }))).toEqual([
      { level: 'error', message: results[1]?.reason, title: 'Unpod gate: b' },
      { level: 'warning', message: results[2]?.reason, title: 'Unpod gate: c' },
      { level: 'warning', message: 'd is close.', title: 'Unpod gate: d' }
    ]);
  });

  it('folds failures past nine errors into one naming the rest: with the step failure, ten', () => {
    const agents = names('low', 14);
    const list = annotate(agents.map((a) => agentResult(a, 'breach')));
    expect(levels(list)).toEqual(Array<string>(9).fill('error'));
    expect(list.slice(0, 8).map((a) => a.title)).toEqual(agents.slice(0, 8).map((a) => `Unpod gate: ${a}`));
    expect(list[8]).toEqual({
      level: 'error',
      message: `6 more agents did not pass: ${agents.slice(8).join(', ')}. See the job summary.`,
      title: 'Unpod gate'
    });
    expect(annotate(names('low', 9).map((a) => agentResult(a, 'breach')))).toHaveLength(MAX_ANNOTATIONS - 1);
  });

  it('folds warnings past ten, failures kept before warned passes', () => {
    const failing = names('low', 6).map((a) => agentResult(a, 'breach'));
    const close = names('close', 6).map(warned);
    const list = annotate([...close, ...failing], gateSettings({ enforce: 'false' }));
    expect(levels(list)).toEqual(Array<string>(10).fill('warning'));
    expect(list.slice(0, 9).map((a) => a.title)).toEqual(
      [...names('low', 6), ...names('close', 3)].map((a) => `Unpod gate: ${a}`)
    );
    expect(list[9]?.message).toBe(
      '3 more agents passed with a warning: close-3, close-4, close-5. See the job summary.'
    );
    const ten = annotate([...close.slice(0, 4), ...failing], gateSettings({ enforce: 'false' }));
    expect(ten).toHaveLength(10);
    expect(ten.every((a) => a.title !== 'Unpod gate')).toBe(true);
  });

  it('names both kinds in one fold, one agent in the singular', () => {
    const failing = names('low', 10).map((a) => agentResult(a, 'breach'));
    const list = annotate([...failing, warned('close-0'), warned('close-1')], gateSettings({ enforce: 'false' }));
    expect(list).toHaveLength(10);
    expect(list[9]?.message).toBe(
      '1 more agent did not pass: low-9. 2 more agents passed with a warning: close-0, close-1. See the job summary.'
    );
  });

  it('counts the warnings about inputs already written, and keeps the levels apart', () => {
    const close = names('close', 10).map(warned);
    const settings = { ...gateSettings(), warnings: ['one', 'two'] };
    const list = annotate(close, settings);
    expect(list).toHaveLength(8);
    expect(list[7]?.message).toBe(
      `3 more agents passed with a warning: close-7, close-8, close-9. See the job summary.`
    );
    const failing = names('low', 9).map((a) => agentResult(a, 'breach'));
    const both = annotate([...failing, ...close, warned('close-10')]);
    expect(levels(both).filter((l) => l === 'error')).toHaveLength(9);
    expect(levels(both).filter((l) => l === 'warning')).toHaveLength(10);
    expect(both.filter((a) => a.title === 'Unpod gate').map((a) => a.level)).toEqual(['warning']);
  });
});
