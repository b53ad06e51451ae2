/** The invariant suite's reference model against the examples the README and issue 17 give. */
import { describe, expect, it } from '@jest/globals';
import {
  compare,
  decimal,
  expected,
  newestFirst,
  ratio,
  settingsOf,
  wilsonPosition,
  type HistoryRun
} from './model.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');

/** Run `id` created `minutes` before NOW with `completed` of `total` tasks. */
const run = (id: string, completed: number, total: number, minutes: number, status = 'completed'): HistoryRun => ({
  run_id: id,
  status,
  total_tasks: total,
  completed_tasks: completed,
  created: new Date(NOW - minutes * 60_000).toISOString(),
  at: (NOW - minutes * 60_000) * 1000
});

const verdictOf = (history: HistoryRun[], inputs: Record<string, string>): string => {
  const exp = expected(history, { agent: 'a', ...inputs }, NOW);
  return exp.kind === 'judged' ? exp.verdict : exp.kind;
};

describe('the reference model', () => {
  it('decides a rate exactly: 29 of 100 meets 29, 2 of 3 misses 66.67 and meets 66.66', () => {
    expect(verdictOf([run('R1', 29, 100, 1)], { threshold: '29' })).toBe('pass');
    expect(verdictOf([run('R1', 28, 100, 1)], { threshold: '29' })).toBe('fail');
    expect(verdictOf([run('R1', 2, 3, 1)], { threshold: '66.67' })).toBe('fail');
    expect(verdictOf([run('R1', 2, 3, 1)], { threshold: '66.66' })).toBe('pass');
  });

  it('reads inputs as rule 1 says, with per-agent lines checked like threshold', () => {
    expect(settingsOf({ agent: 'a', threshold: '0.95' })).toBeUndefined();
    expect(settingsOf({ agent: 'a', threshold: '0.95%' })?.threshold).toEqual(ratio(95n, 100n));
    expect(settingsOf({ agent: 'a', thresholds: 'a: 0.95' })).toBeUndefined();
    expect(settingsOf({ agent: 'a', thresholds: 'b: 90' })).toBeUndefined();
    expect(settingsOf({ agent: 'a', threshold: '150' })).toBeUndefined();
    // warn-below against the threshold that judges the agent: its own line, not threshold's 100.
    expect(settingsOf({ agent: 'a', thresholds: 'a: 90', 'warn-below': '95' })?.warnBelow).toEqual(ratio(95n));
    expect(settingsOf({ agent: 'a', threshold: '96', 'warn-below': '95' })).toBeUndefined();
  });

  it('judges the latest run whatever the list order, and fails each unjudgeable status', () => {
    const history = [run('R1', 10, 10, 5), run('R2', 0, 10, 1), run('R3', 10, 10, 3)];
    const exp = expected(history, { agent: 'a', threshold: '95' }, NOW);
    expect(exp.kind === 'judged' && exp.run.run_id).toBe('R2');
    expect(verdictOf([run('R1', 25, 25, 1, 'failed')], {})).toBe('fail');
    expect(verdictOf([run('R1', 25, 25, 1, 'in_progress')], {})).toBe('fail');
    expect(verdictOf([run('R1', 25, 25, 1, 'cancelled')], {})).toBe('fail');
    expect(verdictOf([run('R1', 25, 25, 1, 'partially_completed')], {})).toBe('pass');
    expect(verdictOf([run('R1', 25, 25, 90)], { 'max-age': '1h' })).toBe('fail');
    expect(verdictOf([run('R1', 25, 25, 50)], { 'max-age': '1h' })).toBe('pass');
    expect(verdictOf([], {})).toBe('no-runs');
    expect(verdictOf([run('R1', 25, 25, 1)], { 'run-id': 'R9' })).toBe('not-found');
  });

  it('breaks a tie in created by run_id, the same for every order', () => {
    const tied = [run('R1', 0, 10, 1), run('R2', 10, 10, 1)];
    expect(newestFirst(tied).map((r) => r.run_id)).toEqual(['R2', 'R1']);
    expect(newestFirst([...tied].reverse()).map((r) => r.run_id)).toEqual(['R2', 'R1']);
  });

  it('pools a window of finished runs with tasks (issue 17, defects 1 and 3)', () => {
    const history = [
      run('R4', 8, 10, 0),
      run('R3', 1, 10, 1, 'in_progress'),
      run('R2', 10, 10, 2),
      run('R1', 10, 10, 3),
      run('R0', 0, 10, 4)
    ];
    const exp = expected(history, { agent: 'a', threshold: '90', window: '3' }, NOW);
    expect(exp.kind === 'judged' && exp.window).toMatchObject({ completed: 28, total: 30 });
    expect(exp.kind === 'judged' && exp.verdict).toBe('pass');
    // A judged run without tasks fails, even pooled with runs that have them.
    expect(verdictOf([run('R1', 0, 0, 0), run('R0', 10, 10, 1)], { window: '2' })).toBe('fail');
    // min-tasks applies to the pooled total.
    expect(verdictOf([run('R1', 3, 3, 0), run('R0', 3, 3, 1)], { window: '2', 'min-tasks': '5' })).toBe('pass');
    expect(verdictOf([run('R1', 3, 3, 0), run('R0', 3, 3, 1)], { window: '1', 'min-tasks': '5' })).toBe('fail');
  });

  it('applies max-drop against the baseline of finished runs with tasks (defect 4)', () => {
    const drop = (completed: number) =>
      verdictOf([run('RJ', completed, 100, 0), run('RB', 99, 100, 1)], {
        threshold: '90',
        'max-drop': '5',
        'baseline-runs': '1'
      });
    expect(drop(94)).toBe('pass');
    expect(drop(93)).toBe('fail');
    const zero = expected(
      [run('RJ', 40, 100, 0), run('RZ', 0, 0, 1), run('RB', 99, 100, 2)],
      { agent: 'a', threshold: '0', 'max-drop': '5', 'baseline-runs': '1' },
      NOW
    );
    expect(zero.kind === 'judged' && zero.baseline?.runs.map((r) => r.run_id)).toEqual(['RB']);
    expect(zero.kind === 'judged' && zero.verdict).toBe('fail');
  });

  it('places the threshold against the Wilson interval as the README example says', () => {
    const t = decimal('95')!;
    expect(wilsonPosition(23, 25, t, '95')).toBe('straddles');
    expect(wilsonPosition(20, 25, t, '95')).toBe('below');
    expect(wilsonPosition(230, 250, t, '95')).toBe('below');
    expect(wilsonPosition(250, 250, t, '95')).toBe('above');
    // A threshold of 100 with confidence never passes cleanly; 0 always does.
    expect(wilsonPosition(25, 25, decimal('100')!, '99')).toBe('straddles');
    expect(wilsonPosition(0, 25, decimal('0')!, '80')).toBe('above');
    expect(verdictOf([run('R1', 23, 25, 0)], { threshold: '95', confidence: '95' })).toBe('warn');
  });

  it('warns below warn-below only when the rate passes', () => {
    expect(verdictOf([run('R1', 18999, 20000, 0)], { threshold: '90', 'warn-below': '95' })).toBe('warn');
    expect(verdictOf([run('R1', 19000, 20000, 0)], { threshold: '90', 'warn-below': '95' })).toBe('pass');
    expect(compare(decimal('94.995')!, decimal('95')!)).toBe(-1);
  });
});
