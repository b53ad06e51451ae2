import { describe, expect, it } from '@jest/globals';
import type { AgentResult } from '../../src/check/agent.js';
import { readSettings } from '../../src/settings/inputs.js';
import {
  judgedDetails,
  overallVerdict,
  passMark,
  rateCell,
  says,
  sentenceOf,
  trendJson,
  trendOutputs,
  trendSettings,
  judgingThresholds,
  unsaid
} from '../../src/report/judgement.js';
import { parseThreshold } from '../../src/values/percent.js';
import { escapeText } from '../../src/report/summary.js';
import { execution, hex } from '../helpers.js';

const runs = [1, 2, 3].map((n) => execution(hex(n), { completed_tasks: 23 + (n % 3) }));
const result = (over: Partial<AgentResult> = {}): AgentResult => ({
  agent: 'sales-agent',
  passed: true,
  reason: '',
  failure: undefined,
  run: runs[0],
  counts: { completed: 24, total: 25 },
  rate: '96',
  executionCount: 3,
  history: runs,
  verdict: 'pass',
  warning: '',
  threshold: parseThreshold('threshold', '95'),
  judged: {
    window: { runs, counts: { completed: 72, total: 75 }, rate: '96' },
    baseline: { runs: runs.slice(0, 2), counts: { completed: 50, total: 50 }, rate: '100' },
    interval: { confidence: '95', position: 'straddles', low: '88.9', high: '98.6' },
    callsNeeded: 73,
    notes: []
  },
  ...over
});

describe('overallVerdict', () => {
  it('is the worst verdict, and fail when nothing was judged', () => {
    expect(overallVerdict([result(), result({ verdict: 'warn' })])).toBe('warn');
    expect(overallVerdict([result({ verdict: 'warn' }), result({ verdict: 'fail', passed: false })])).toBe('fail');
    expect(overallVerdict([result()])).toBe('pass');
    expect(overallVerdict([])).toBe('fail');
  });
});

describe('trendJson and trendOutputs', () => {
  it('gives numbers as numbers, the interval only when set, null for no baseline', () => {
    expect(trendJson(result())).toEqual({
      verdict: 'pass',
      warning: '',
      threshold: 95,
      window: { runs: 3, completed_tasks: 72, total_tasks: 75, rate: 96 },
      baseline: { runs: 2, completed_tasks: 50, total_tasks: 50, rate: 100 },
      interval: { confidence: 95, low: 88.9, high: 98.6, calls_needed: 73 }
    });
    // At a threshold of 100 no count proves it: null.
    const judged = { ...result().judged, callsNeeded: undefined };
    expect(trendJson(result({ judged })).interval).toMatchObject({ calls_needed: null });
    // A window without tasks has no rate: null, as for every missing value, not Number(undefined).
    const empty = { runs: runs.slice(0, 1), counts: { completed: 0, total: 0 }, rate: undefined };
    expect(trendJson(result({ judged: { window: empty, notes: [] } })).window).toEqual({
      runs: 1,
      completed_tasks: 0,
      total_tasks: 0,
      rate: null
    });
    const plain = trendJson(result({ judged: { notes: [] } }));
    expect(plain).toMatchObject({ window: null, baseline: null });
    expect(plain).not.toHaveProperty('interval');
  });

  it('fills the per-agent outputs for one agent only', () => {
    expect(trendOutputs([result()])).toEqual({
      verdict: 'pass',
      'window-rate': '96',
      'window-runs': '3',
      'baseline-rate': '100'
    });
    expect(trendOutputs([result(), result()])).toEqual({
      verdict: 'pass',
      'window-rate': '',
      'window-runs': '',
      'baseline-rate': ''
    });
  });
});

describe('the summary parts', () => {
  it('shows what was judged, the threshold when it varies, the baseline and the interval', () => {
    expect(rateCell(result(), false)).toBe(
      '96% <sub>over 3 runs</sub><br><sub>baseline 100% (2 runs)</sub><br><sub>95%: 88.9–98.6%</sub>'
    );
    expect(rateCell(result({ judged: { notes: [] } }), true)).toBe('96%<br><sub>≥ 95%</sub>');
    expect(rateCell(result({ judged: { notes: [] }, rate: undefined }), true)).toBe('—');
    expect(passMark(result({ verdict: 'warn' }))).toBe('⚠️');
  });

  it('folds the detail, with API text made inert, and leaves it out when there is nothing to add', () => {
    const details = judgedDetails([result({ agent: 'a|<b>', warning: 'slide ##[x]' })], escapeText);
    expect(details).toMatch(/^<details><summary>What was judged<\/summary>/);
    expect(details).toContain('a&#124;&#60;b&#62;');
    expect(details).toContain(`Pooled 3 runs (${hex(1)}, ${hex(2)}, ${hex(3)}), 72 of 75 tasks (96%).`);
    expect(details).toContain('At 95% confidence (Wilson) the rate is 88.9% to 98.6%.');
    expect(details).not.toContain('<b>');
    // The warning is the agent's sentence, said above the fold: never again in it.
    expect(details).not.toContain('slide');
    const alone = result({
      judged: { window: { runs: runs.slice(0, 1), counts: { completed: 24, total: 25 }, rate: '96' }, notes: [] }
    });
    expect(judgedDetails([alone], escapeText)).toBe('');
  });

  it("says only what the table and the agent's sentence do not: a baseline, an interval, a note", () => {
    const single = { runs: runs.slice(0, 1), counts: { completed: 24, total: 25 }, rate: '96' };
    const block = (...items: string[]) =>
      `<details><summary>What was judged</summary>\n<ul>\n${items.join('\n')}\n</ul>\n</details>`;
    const detail = (over: Partial<AgentResult>) => judgedDetails([result(over)], escapeText);
    // A single run, its counts, rate and threshold are the table's row: each of a baseline, an
    // interval and a note is enough on its own to be worth saying.
    const baseline = { runs: runs.slice(1), counts: { completed: 48, total: 50 }, rate: '96' };
    expect(detail({ judged: { window: single, baseline, notes: [] } })).toBe(
      block(`<li><strong>sales-agent</strong>: Baseline&#58; 2 runs (${hex(2)}, ${hex(3)}), 48 of 50 tasks (96%).</li>`)
    );
    const interval = { confidence: '95', position: 'above', low: '80.5', high: '99.3' } as const;
    expect(detail({ judged: { window: single, interval, notes: [] } })).toBe(
      block('<li><strong>sales-agent</strong>: At 95% confidence (Wilson) the rate is 80.5% to 99.3%.</li>')
    );
    expect(detail({ judged: { window: single, notes: ['Only 1 run in the window.'] } })).toBe(
      block('<li><strong>sales-agent</strong>: Only 1 run in the window.</li>')
    );
    // Notes made inert; a warning alone adds nothing to the fold.
    expect(detail({ warning: 'Dropped 4 points.', judged: { window: single, notes: ['##[x] note.'] } })).toBe(
      block('<li><strong>sales-agent</strong>: &#35;&#35;&#91;x&#93; note.</li>')
    );
    expect(detail({ warning: 'Dropped 4 points.', judged: { window: single, notes: [] } })).toBe('');
  });

  it("leaves out what the agent's sentence says: the pool, the baseline, the interval, a note", () => {
    const window = { runs, counts: { completed: 72, total: 75 }, rate: '96' };
    const baseline = { runs: runs.slice(1), counts: { completed: 50, total: 50 }, rate: '100' };
    const interval = { confidence: '95', position: 'straddles', low: '88.9', high: '98.6' } as const;
    const note = 'The window of 5 holds 3 runs.';
    const ids = `"${hex(1)}", "${hex(2)}" and "${hex(3)}"`;
    const failed = (reason: string) =>
      unsaid(result({ passed: false, verdict: 'fail', reason, judged: { window, baseline, interval, notes: [note] } }));
    const everything = [
      `Pooled 3 runs (${hex(1)}, ${hex(2)}, ${hex(3)}), 72 of 75 tasks (96%).`,
      `Baseline: 2 runs (${hex(2)}, ${hex(3)}), 50 of 50 tasks (100%).`,
      'At 95% confidence (Wilson) the rate is 88.9% to 98.6%.',
      note
    ];
    expect(failed('Too few.')).toEqual(everything);
    expect(
      failed(`Runs ${ids} (the window of 5 holds 3 runs) pooled completed 72 of 75 tasks (96%): 88.9% to 98.6%.`)
    ).toEqual([everything[1]]);
    // Every run and the counts must be named for a pool to be said; the other parts alone.
    expect(failed(`Runs ${ids} pooled completed 72 of 76 tasks.`)).toEqual(everything);
    expect(failed(`Runs "${hex(1)}" and "${hex(2)}" pooled completed 72 of 75 tasks.`)).toEqual(everything);
    expect(failed(`The baseline ${hex(2)}, ${hex(3)}: 50 of 50 tasks.`)).toEqual([everything[0], everything[2], note]);
    expect(failed('The rate is 88.9% to 98.7%.')).toEqual(everything);
    // A passing agent's sentence is its warning, a failing one's its reason.
    expect(sentenceOf({ passed: true, reason: 'r', warning: 'w' })).toBe('w');
    expect(sentenceOf({ passed: false, reason: 'r', warning: '' })).toBe('r');
    expect(
      unsaid(result({ warning: 'at 95% confidence 88.9% to 98.6%', judged: { window, interval, notes: [] } }))
    ).toEqual([everything[0]]);
    expect(unsaid(result({ judged: { notes: [note] } }))).toEqual([]);
  });

  it('knows a note said in other words only by its own, in any case, its full stop aside', () => {
    expect(
      says('Run "R1" (the window of 5 holds 3 runs) completed 1 of 2 tasks.', 'The window of 5 holds 3 runs.')
    ).toBe(true);
    expect(says('Run "R1" completed 1 of 2 tasks.', 'The window of 5 holds 3 runs.')).toBe(false);
    expect(says('x. The window of 5 holds 3 runs', 'The window of 5 holds 3 runs..')).toBe(false);
  });

  it('says what a window pooled even with nothing else to add, one agent to a line', () => {
    const window = { runs, counts: { completed: 72, total: 75 }, rate: '96' };
    const pooled = `Pooled 3 runs (${hex(1)}, ${hex(2)}, ${hex(3)}), 72 of 75 tasks (96%).`;
    expect(
      judgedDetails(
        [result({ judged: { window, notes: [] } }), result({ agent: 'support-agent', judged: { window, notes: [] } })],
        escapeText
      )
    ).toBe(
      '<details><summary>What was judged</summary>\n<ul>\n' +
        `<li><strong>sales-agent</strong>: ${pooled}</li>\n` +
        `<li><strong>support-agent</strong>: ${pooled}</li>\n` +
        '</ul>\n</details>'
    );
  });

  it('lists ten runs of a long window and counts the rest, and says when a pool has no rate', () => {
    const many = Array.from({ length: 12 }, (_, i) => execution(hex(i + 1)));
    const pool = (count: number) => ({
      runs: many.slice(0, count),
      counts: { completed: 25 * count, total: 25 * count },
      rate: '100'
    });
    const ten = many.slice(0, 10).map((r) => r.runId);
    const detail = (window: ReturnType<typeof pool>) =>
      judgedDetails([result({ judged: { window, notes: [] } })], escapeText);
    expect(detail(pool(12))).toContain(`12 runs (${ten.join(', ')} and 2 more), 300 of 300 tasks (100%)`);
    // Exactly ten are all listed, with no "and 0 more".
    expect(detail(pool(10))).toContain(`10 runs (${ten.join(', ')}), 250 of 250 tasks (100%)`);
    // Runs without tasks pool to no rate: said in words, not as "undefined%".
    const noTasks = { runs: runs.slice(1), counts: { completed: 0, total: 0 }, rate: undefined };
    expect(
      judgedDetails([result({ judged: { window: pool(1), baseline: noTasks, notes: [] } })], escapeText)
    ).toContain(`Baseline&#58; 2 runs (${hex(2)}, ${hex(3)}), 0 of 0 tasks (no rate).`);
  });

  it('names only the trend settings that are on', () => {
    const read = (over: Record<string, string>) =>
      readSettings((name) => ({ 'agent-handle': 'a', 'org-handle': 'o', token: 'k'.repeat(40), ...over })[name] ?? '');
    expect(trendSettings(read({}))).toBe('');
    expect(
      trendSettings(
        read({
          threshold: '90',
          window: '5',
          'max-drop': '2',
          'warn-below': '95',
          confidence: '99',
          thresholds: 'a: 91'
        })
      )
    ).toBe(', window 5, max-drop 2 against 5 runs, warn-below 95%, 99% confidence');
  });

  it('names the thresholds that judge: the global one only while some agent has no line of its own', () => {
    const read = (over: Record<string, string>) =>
      readSettings((name) => ({ 'org-handle': 'o', token: 'k'.repeat(40), threshold: '90', ...over })[name] ?? '');
    expect(judgingThresholds(read({ 'agent-handle': 'a\nb' }))).toBe('threshold 90%');
    expect(judgingThresholds(read({ 'agent-handle': 'a\nb', thresholds: 'b: 99.5' }))).toBe('threshold 90% (b 99.5%)');
    expect(judgingThresholds(read({ 'agent-handle': 'a\nb', thresholds: 'b: 99.5\na: 1' }))).toBe(
      'thresholds a 1%, b 99.5%'
    );
    const seven = Array.from({ length: 7 }, (_, i) => `agent-${i}`);
    const all = read({ 'agent-handle': seven.join('\n'), thresholds: seven.map((a) => `${a}: 95`).join('\n') });
    expect(judgingThresholds(all)).toBe(
      'thresholds agent-0 95%, agent-1 95%, agent-2 95%, agent-3 95%, agent-4 95%, 2 more'
    );
    expect(judgingThresholds(all, 7)).toBe(
      seven
        .map((a) => `${a} 95%`)
        .join(', ')
        .replace(/^/, 'thresholds ')
    );
  });
});
