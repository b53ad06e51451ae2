import { describe, expect, it } from '@jest/globals';
import { decide, failsStep, mark } from '../../src/report/decision.js';
import { agentResult as result, gateSettings as settings } from '../helpers.js';

describe('decide', () => {
  it('fails the step for an enforced breach, and passes it when report-only', () => {
    const results = [result('a'), result('b', 'breach')];
    expect(decide(results, settings())).toMatchObject({ passed: false, failStep: true, undecided: false });
    expect(decide(results, settings({ enforce: 'false' }))).toMatchObject({ passed: false, failStep: false });
  });

  it('always fails the step for configuration and data errors', () => {
    expect(decide([result('a', 'config')], settings({ enforce: 'false' })).failStep).toBe(true);
    expect(decide([result('a', 'data')], settings({ 'on-api-error': 'warn' })).failStep).toBe(true);
  });

  it('lets an unavailable API pass with on-api-error warn, as undecided', () => {
    expect(decide([result('a', 'unavailable')], settings())).toMatchObject({ failStep: true, undecided: false });
    expect(decide([result('a', 'unavailable')], settings({ 'on-api-error': 'warn' }))).toMatchObject({
      passed: false,
      failStep: false,
      undecided: true
    });
  });

  it('names each failing agent in the reason of a fleet', () => {
    const d = decide([result('sales'), result('support', 'breach'), result('booking', 'breach')], settings());
    expect(d.reason).toMatch(/^2 of 3 agents did not pass the gate\. support: Run .* booking: Run /);
    expect(d.reason).not.toContain('sales');
  });
});

describe('decide, exactly', () => {
  it('says nothing against a gate that passed, alone or as a fleet', () => {
    const passed = { passed: true, reason: '', failStep: false, undecided: false, headline: '' };
    expect(decide([result('a')], settings())).toEqual(passed);
    expect(decide([result('a'), result('b', undefined, { verdict: 'warn', warning: 'w' })], settings())).toEqual(
      passed
    );
  });

  it("gives one agent's reason as the reason and the headline", () => {
    const one = result('a', 'breach');
    expect(decide([one], settings())).toEqual({
      passed: false,
      reason: one.reason,
      failStep: true,
      undecided: false,
      headline: one.reason
    });
  });

  it('is not undecided when a tolerated breach stands beside an unreachable API', () => {
    const mixed = [result('a', 'unavailable'), result('b', 'breach')];
    expect(decide(mixed, settings({ enforce: 'false', 'on-api-error': 'warn' }))).toMatchObject({
      failStep: false,
      undecided: false
    });
    const fleet = [result('a', 'unavailable'), result('b', 'unavailable'), result('c')];
    expect(decide(fleet, settings({ 'on-api-error': 'warn' })).undecided).toBe(true);
  });

  it("writes a fleet's reason as the count, then each failing agent and its reason", () => {
    const fleet = [result('a'), result('b', 'breach'), result('c', 'config')];
    const [, b, c] = fleet;
    expect(decide(fleet, settings()).reason).toBe(
      `2 of 3 agents did not pass the gate. b: ${b!.reason} c: ${c!.reason}`
    );
  });

  it('names ten failing agents without "and more", and points to the annotations without a summary', () => {
    const fleet = Array.from({ length: 10 }, (_, i) => result(`agent-${i}`, 'breach'));
    const names = fleet.map((r) => r.agent).join(', ');
    expect(decide(fleet, settings()).headline).toBe(
      `10 of 10 agents did not pass the gate: ${names}. The job summary says why.`
    );
    expect(decide(fleet, settings({ summary: 'false' })).headline).toBe(
      `10 of 10 agents did not pass the gate: ${names}. Each agent's annotation says why.`
    );
  });
});

describe('the headline of a failing step', () => {
  it('is the reason for one agent, and names the failing agents of a fleet, at most ten', () => {
    const one = [result('a', 'breach')];
    expect(decide(one, settings()).headline).toBe(one[0]!.reason);
    const fleet = Array.from({ length: 13 }, (_, i) => result(`agent-${i}`, i === 0 ? undefined : 'breach'));
    expect(decide(fleet, settings()).headline).toBe(
      `12 of 13 agents did not pass the gate: ${fleet
        .slice(1, 11)
        .map((r) => r.agent)
        .join(', ')} and 2 more. The job summary says why.`
    );
  });
});

describe('failsStep', () => {
  it('never fails the step for an agent that passed, whatever the settings', () => {
    expect(failsStep(result('a'), settings())).toBe(false);
    expect(failsStep(result('a'), settings({ enforce: 'true', 'on-api-error': 'fail' }))).toBe(false);
  });
});

describe('mark', () => {
  it('marks a pass ✅, a warned pass ⚠️, a failure that fails the step ❌ and one the settings tolerate ⚠️', () => {
    expect(mark(result('a'), settings())).toBe('✅');
    expect(mark(result('a', undefined, { verdict: 'warn', warning: 'slide' }), settings())).toBe('⚠️');
    expect(mark(result('a', 'breach'), settings())).toBe('❌');
    expect(mark(result('a', 'breach'), settings({ enforce: 'false' }))).toBe('⚠️');
    expect(mark(result('a', 'unavailable'), settings())).toBe('❌');
    expect(mark(result('a', 'unavailable'), settings({ 'on-api-error': 'warn' }))).toBe('⚠️');
    expect(mark(result('a', 'config'), settings({ enforce: 'false', 'on-api-error': 'warn' }))).toBe('❌');
  });
});
