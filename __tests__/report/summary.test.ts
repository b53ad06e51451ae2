import { describe, expect, it } from '@jest/globals';
import { rulesOf, type AgentResult } from '../../src/check/agent.js';
import { breakdown, causeClause, unfinishedNote } from '../../src/explain/breakdown.js';
import type { Explanation } from '../../src/explain/explain.js';
import { decide } from '../../src/report/decision.js';
import { SUMMARY_LIMIT_BYTES, buildInputErrorSummary, buildSummary, escapeText } from '../../src/report/summary.js';
import { judge } from '../../src/rules/judge.js';
import type { Settings } from '../../src/settings/inputs.js';
import type { Execution } from '../../src/unpod/executions.js';
import {
  agentResult as result,
  earlyPassResult,
  execution,
  gateSettings as settings,
  hex,
  missed,
  task
} from '../helpers.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const FOOTER = '<p><sub>Threshold 95%, min-tasks 1 · https&#58;//unpod.ai</sub></p>';

/** What the gate makes of `runs` (newest first, the first judged) under `s`, as check/agent.ts builds it. */
function judged(agent: string, runs: Execution[], s: Settings, over: Partial<AgentResult> = {}): AgentResult {
  const rules = rulesOf(s, agent);
  const [run, ...earlier] = runs;
  if (run === undefined) throw new Error('judged needs a run');
  const v = judge(run, rules, NOW, earlier);
  return {
    agent,
    passed: v.passed,
    reason: v.reason,
    failure: v.passed ? undefined : 'breach',
    run,
    counts: v.counts,
    rate: v.rate,
    executionCount: runs.length,
    history: runs,
    verdict: v.verdict,
    warning: v.warning,
    threshold: rules.threshold,
    judged: {
      window: v.window,
      baseline: v.baseline,
      interval: v.interval,
      callsNeeded: v.callsNeeded,
      notes: v.notes
    },
    ...over
  };
}

/** The summary as the step writes it. */
const summaryOf = (rs: AgentResult[], s: Settings): string => buildSummary(rs, decide(rs, s), s, NOW);

/** An agent without executions, as check/agent.ts reports it: no run, no counts, no history. */
const idle = (): AgentResult =>
  result('idle', 'breach', {
    reason: 'Agent "idle" has no executions, so there is no run to judge.',
    run: undefined,
    counts: undefined,
    rate: undefined,
    executionCount: 0,
    history: [],
    judged: { notes: [] }
  });

describe('escapeText', () => {
  it('renders Markdown and HTML from the API as text', () => {
    const hostile = '<img src=x onerror=alert(1)> | `code` **bold** [link](http://x) @team #1\n::error::x';
    const out = escapeText(hostile);
    expect(out.replace(/&#\d+;/g, '')).not.toMatch(/[<>|`*[\]@#:\n]/);
    expect(out).toContain('&#60;img');
  });
});

describe('buildSummary', () => {
  it('renders a mixed fleet: verdict first, a row per agent, reasons, folded history', () => {
    const rs = [result('sales-agent'), result('support-agent', 'breach')];
    const md = buildSummary(rs, decide(rs, settings()), settings(), NOW);
    expect(md.split('\n')[0]).toBe('<h2>❌ Unpod gate failed: 1 passed, 1 failed</h2>');
    expect(md).toMatchSnapshot();
  });

  it('says when the gate could not decide, and when it only reports', () => {
    const down = [result('a', 'unavailable')];
    expect(
      buildSummary(down, decide(down, settings({ 'on-api-error': 'warn' })), settings({ 'on-api-error': 'warn' }), NOW)
    ).toContain('could not decide');
    const breach = [result('a', 'breach')];
    expect(
      buildSummary(breach, decide(breach, settings({ enforce: 'false' })), settings({ enforce: 'false' }), NOW)
    ).toContain('would fail (report only');
    const ok = [result('a')];
    expect(buildSummary(ok, decide(ok, settings()), settings(), NOW).split('\n')[0]).toBe(
      '<h2>✅ Unpod gate passed: 1 passed, 0 failed</h2>'
    );
  });

  it('shows recent runs against warn-below too, and the judged run with its verdict’s digits', () => {
    const judged = execution('Rjudged', { completed_tasks: 18_333, total_tasks: 20_000 });
    const near = execution('Rnear', { completed_tasks: 18_999, total_tasks: 20_000, created: '2026-11-28T09:00:00Z' });
    const moved = execution('Rjudged', { completed_tasks: 18_334, total_tasks: 20_000 });
    const counts = { completed: 18_333, total: 20_000 };
    const one = (history: (typeof near)[], over = {}) => [
      result('a', 'breach', { run: judged, counts, rate: '91.665', history, ...over })
    ];
    const s = settings({ threshold: '90', 'warn-below': '95' });
    const row = (rs: ReturnType<typeof one>, id: string) =>
      new RegExp(`<td>${id}</td><td>completed</td><td>[^<]*</td><td>([^<]*)</td>`).exec(
        buildSummary(rs, decide(rs, s), s, NOW)
      )?.[1];
    // 94.995 % is below warn-below 95: two decimals would show 95.
    expect(row(one([judged, near]), 'Rnear')).toBe('94.995%');
    expect(row(one([judged, near]), 'Rjudged')).toBe('91.665%');
    expect(row(one([near]), 'Rnear')).toBe('94.995%');
    // Only the judged run's own counts carry its digits: a row with other counts is shown as any other.
    expect(row(one([moved]), 'Rjudged')).toBe('91.67%');
    expect(row(one([execution('Rjudged', { completed_tasks: 18_333, total_tasks: 20_001 })]), 'Rjudged')).toBe(
      '91.66%'
    );
    expect(row(one([judged], { rate: undefined }), 'Rjudged')).toBe('91.67%');
    expect(row(one([judged], { run: near }), 'Rjudged')).toBe('91.67%');
  });

  it('renders ids crafted to inject Markdown or HTML as text', () => {
    const evil = '</td></tr></table><script>alert(1)</script>|x|`y`';
    const r = result(evil, 'breach', { reason: `Run ${evil} failed.` });
    const md = buildSummary([r], decide([r], settings()), settings(), NOW);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('</table><script');
    expect(md).toContain('&#60;script&#62;');
  });

  it('stays under the 1 MiB limit by halving the history until it fits, and says so', () => {
    const big = 'R' + 'a'.repeat(59);
    const history = Array.from({ length: 50 }, (_, i) =>
      execution(`${big}${i}`, { created: new Date(NOW - i * 60_000).toISOString() })
    );
    const rs = Array.from({ length: 300 }, (_, i) => result(`agent-${i}-${'x'.repeat(60)}`, 'breach', { history }));
    const s = settings({ history: '50' });
    const md = buildSummary(rs, decide(rs, s), s, NOW);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    // 50 and 25 runs per agent are too many; 12 fit (998,178 bytes).
    expect(md).toContain(`<summary>agent-299-${'x'.repeat(60)}: the 12 most recent runs</summary>`);
    expect(md).toContain('<td>████████████</td></tr>');
    expect(md).not.toContain('left out');
    expect(md.slice(md.lastIndexOf('</details>'))).toBe(
      `</details>\n\n<p>History trimmed to 12 runs per agent to keep this summary under GitHub's 1 MiB limit.</p>\n${FOOTER}\n`
    );
  });

  it('drops rows, halving them until the summary fits, and says exactly how many agents it left out', () => {
    const filler = (i: number) => result(`agent-${i}-${'y'.repeat(70)}`, 'breach', { history: [] });
    const pooled = execution('Rbefore');
    /** An agent of each kind that has a part of its own below the table. */
    const notable = (tag: string): AgentResult[] => [
      result(`warned-${tag}`, undefined, { verdict: 'warn', warning: `warned-${tag} is close to the threshold.` }),
      { ...earlyPassResult(), agent: `early-${tag}` },
      result(`pooled-${tag}`, undefined, {
        judged: {
          window: { runs: [execution(hex(7)), pooled], counts: { completed: 50, total: 50 }, rate: '100' },
          notes: []
        }
      }),
      result(`explained-${tag}`, undefined, {
        explanation: { breakdown: breakdown([task()], 1), error: undefined, pages: 1, stop: 'all found', skipped: 0 }
      })
    ];
    const rs = [...notable('kept'), ...Array.from({ length: 5992 }, (_, i) => filler(i + 4)), ...notable('left-out')];
    const md = buildSummary(rs, decide(rs, settings()), settings(), NOW);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    // 6000 and 3000 rows are too many; 1500 fit (about 730,000 bytes).
    expect(md).toContain(
      "</table>\n<p>4500 more agents are left out to keep this summary under GitHub's 1 MiB limit; the <code>results</code> output has them all.</p>\n"
    );
    expect(md).toContain('<tr><td>❌ agent-1499-');
    expect(md).not.toContain('<tr><td>❌ agent-1500-');
    const why = md.slice(md.indexOf('<h3>Why, per agent</h3>'), md.indexOf('<h3>Warnings</h3>'));
    expect(why).toContain('<li><strong>agent-1499-');
    expect(why).not.toContain('<strong>agent-1500-');
    // Only the agents kept have their parts, and the history, already dropped, is not said to be trimmed.
    expect(md.slice(md.indexOf('<h3>Warnings</h3>'))).toBe(
      [
        '<h3>Warnings</h3>',
        '<ul><li><strong>warned-kept</strong>: warned-kept is close to the threshold.</li></ul>',
        '<h3>Decided early</h3>',
        '<ul><li><strong>early-kept</strong>: passed while the run was still &#34;in&#95;progress&#34;, decided early&#58; 24 of 25 done; even if the last task fails, 96% ≥ 95%.</li></ul>',
        '<details><summary>What was judged</summary>',
        '<ul>',
        '<li><strong>pooled-kept</strong>: Pooled 2 runs (R00000000000000000000000000000007, Rbefore), 50 of 50 tasks (100%).</li>',
        '</ul>',
        '</details>',
        "<details><summary>What the run's tasks say</summary>",
        '<p>From the run&#39;s one task; 0 retries in all.</p>',
        '<table><tr><th>Tasks</th><th>Count</th></tr><tr><td>Status</td><td>completed <strong>1</strong></td></tr><tr><td>Completed (1)&#58; outcome</td><td>interested <strong>1</strong></td></tr></table>',
        '</details>',
        FOOTER,
        ''
      ].join('\n')
    );
  });

  it('keeps a summary of exactly the limit: whole, or with the rows it has halved to', () => {
    // Reasons of 500 to 599 characters, `extra` of them spread over the first agents, one run of history each.
    const fleet = (n: number, extra: number) =>
      Array.from({ length: n }, (_, i) =>
        result(`agent-${i}`, 'breach', {
          history: [execution('Rone')],
          reason: 'x'.repeat(500 + Math.min(99, Math.max(0, extra - 99 * i)))
        })
      );
    const exactly = (n: number) => {
      const unpadded = Buffer.byteLength(summaryOf(fleet(n, 0), settings()));
      return summaryOf(fleet(n, SUMMARY_LIMIT_BYTES - unpadded), settings());
    };
    // 900 agents with their history come to about 930,000 bytes before padding.
    const whole = exactly(900);
    expect(Buffer.byteLength(whole)).toBe(SUMMARY_LIMIT_BYTES);
    expect(whole).toContain('<summary>agent-899: the 1 most recent run</summary>');
    expect(whole).not.toContain('History trimmed');
    expect(whole).not.toContain('left out');
    // 2600 agents are too many even without history; the 1300 left are exactly the limit.
    const halved = exactly(2600);
    expect(Buffer.byteLength(halved)).toBe(SUMMARY_LIMIT_BYTES);
    expect(halved).toContain('<p>1300 more agents are left out');
  });

  it('names in its footer the thresholds that judged: the agents own, when each has a line', () => {
    const s = settings({ 'agent-handle': 'a\nb_x', thresholds: 'a: 90\nb_x: 99' });
    const rs = [result('a'), result('b_x')];
    expect(buildSummary(rs, decide(rs, s), s, NOW)).toContain('<p><sub>Thresholds a 90%, b&#95;x 99%, min-tasks 1 · ');
    const some = settings({ 'agent-handle': 'a\nb', thresholds: 'b: 99' });
    expect(buildSummary(rs, decide(rs, some), some, NOW)).toContain('<p><sub>Threshold 95% (b 99%), min-tasks 1 · ');
  });

  it('heads a pass with a warning as such, lists the warnings and has no reasons part', () => {
    const s = settings({ 'agent-handle': 'steady\nslipping', threshold: '90', 'warn-below': '95', history: '0' });
    const rs = [
      judged('steady', [execution(hex(1))], s),
      judged('slipping', [execution(hex(2), { completed_tasks: 23 })], s)
    ];
    expect(summaryOf(rs, s)).toBe(
      [
        '<h2>⚠️ Unpod gate passed with warnings: 2 passed, 0 failed</h2>',
        '<table><tr><th>Agent</th><th>Run</th><th>Status</th><th>Tasks done</th><th>Rate (≥ 90%)</th><th>Created</th><th>Trend</th></tr>' +
          '<tr><td>✅ steady</td><td><code>R00000000000000000000000000000001</code></td><td>completed</td><td>25 / 25</td><td>100%</td><td>2h 0m 0s ago<br><sub>2026-11-28T10:00:00Z</sub></td><td>—</td></tr>' +
          '<tr><td>⚠️ slipping</td><td><code>R00000000000000000000000000000002</code></td><td>completed</td><td>23 / 25</td><td>92%</td><td>2h 0m 0s ago<br><sub>2026-11-28T10:00:00Z</sub></td><td>—</td></tr></table>',
        '<h3>Warnings</h3>',
        '<ul><li><strong>slipping</strong>: Run &#34;R00000000000000000000000000000002&#34; completed 23 of 25 tasks (92%), below warn-below 95% (the threshold is 90%).</li></ul>',
        '<p><sub>Threshold 90%, warn-below 95%, min-tasks 1 · https&#58;//unpod.ai</sub></p>',
        ''
      ].join('\n')
    );
  });

  it('shows each agent its own threshold, an agent without a run as dashes, max-age and report only in the footer', () => {
    const s = settings({
      'agent-handle': 'fast\nstrict\nidle',
      thresholds: 'fast: 80\nstrict: 99',
      'max-age': '1d',
      enforce: 'false'
    });
    const rs = [
      judged('fast', [execution(hex(3), { completed_tasks: 23 })], s),
      judged('strict', [execution(hex(4), { completed_tasks: 24 })], s),
      idle()
    ];
    const oneRun = (agent: string, id: string, done: number, rate: string) =>
      [
        `<details><summary>${agent}: the 1 most recent run</summary>`,
        '',
        '<table><tr><th>Run</th><th>Status</th><th>Tasks</th><th>Rate</th><th>Created</th></tr>' +
          `<tr><td>${id}</td><td>completed</td><td>${done} of 25 tasks done</td><td>${rate}</td><td>2026-11-28T10:00:00Z (2h 0m 0s ago)</td></tr></table>`,
        '',
        '',
        // One point draws no chart.
        '',
        '',
        '</details>',
        ''
      ].join('\n');
    expect(summaryOf(rs, s)).toBe(
      [
        '<h2>⚠️ Unpod gate would fail (report only, enforce: false): 1 passed, 2 failed</h2>',
        '<table><tr><th>Agent</th><th>Run</th><th>Status</th><th>Tasks done</th><th>Rate (≥ own threshold)</th><th>Created</th><th>Trend</th></tr>' +
          '<tr><td>✅ fast</td><td><code>R00000000000000000000000000000003</code></td><td>completed</td><td>23 / 25</td><td>92%<br><sub>≥ 80%</sub></td><td>2h 0m 0s ago<br><sub>2026-11-28T10:00:00Z</sub></td><td>▅</td></tr>' +
          '<tr><td>⚠️ strict</td><td><code>R00000000000000000000000000000004</code></td><td>completed</td><td>24 / 25</td><td>96%<br><sub>≥ 99%</sub></td><td>2h 0m 0s ago<br><sub>2026-11-28T10:00:00Z</sub></td><td>▁</td></tr>' +
          '<tr><td>⚠️ idle</td><td>—</td><td>—</td><td>—</td><td>—</td><td>—</td><td>—</td></tr></table>',
        '<h3>Why, per agent</h3>',
        '<ul><li><strong>strict</strong>: Run &#34;R00000000000000000000000000000004&#34; completed 24 of 25 tasks (96%), below the threshold of 99%.</li>' +
          '<li><strong>idle</strong>: Agent &#34;idle&#34; has no executions, so there is no run to judge.</li></ul>',
        '<h3>Recent runs</h3>',
        oneRun('fast', 'R00000000000000000000000000000003', 23, '92%'),
        oneRun('strict', 'R00000000000000000000000000000004', 24, '96%'),
        '<p><sub>Threshold 95% (fast 80%, strict 99%), min-tasks 1, max-age 1d 0h, report only · https&#58;//unpod.ai</sub></p>',
        ''
      ].join('\n')
    );
  });

  it('has no recent runs part when no agent has a run', () => {
    const s = settings({ 'agent-handle': 'idle' });
    expect(summaryOf([idle()], s)).toBe(
      [
        '<h2>❌ Unpod gate failed: 0 passed, 1 failed</h2>',
        '<table><tr><th>Agent</th><th>Run</th><th>Status</th><th>Tasks done</th><th>Rate (≥ 95%)</th><th>Created</th><th>Trend</th></tr>' +
          '<tr><td>❌ idle</td><td>—</td><td>—</td><td>—</td><td>—</td><td>—</td><td>—</td></tr></table>',
        '<h3>Why</h3>',
        '<ul><li><strong>idle</strong>: Agent &#34;idle&#34; has no executions, so there is no run to judge.</li></ul>',
        FOOTER,
        ''
      ].join('\n')
    );
  });

  it('folds the recent runs: a running run, runs without a rate, the judged window marked, the baseline drawn', () => {
    const s = settings({ threshold: '90', window: '2', 'max-drop': '5', 'baseline-runs': '2', history: '5' });
    const at = (hour: number) => `2026-11-28T${String(hour).padStart(2, '0')}:00:00Z`;
    const [running, latest, before, empty, broken, sixth] = [
      execution(hex(6), { status: 'running', completed_tasks: 3, created: at(11) }),
      execution(hex(5), { completed_tasks: 24, created: at(10) }),
      execution(hex(4), { completed_tasks: 23, created: at(9) }),
      execution(hex(3), { total_tasks: 0, completed_tasks: 0, created: at(8) }),
      execution(hex(2), { status: 'failed', total_tasks: null, completed_tasks: null, created: at(7) }),
      execution(hex(1), { completed_tasks: 20, created: at(6) })
    ] as const;
    const baseline = [sixth, execution(hex(0), { completed_tasks: 25, created: at(5) })];
    // History has one run more than `history` shows: the sixth (80 %) is in neither the trend nor the table.
    const r = judged('sales-agent', [latest, before, ...baseline], s, {
      history: [running, latest, before, empty, broken, sixth]
    });
    const row = (id: number, status: string, tasks: string, rate: string, hour: number) =>
      `<tr><td>${hex(id)}</td><td>${status}</td><td>${tasks}</td><td>${rate}</td><td>${at(hour)} (${12 - hour}h 0m 0s ago)</td></tr>`;
    expect(summaryOf([r], s)).toBe(
      [
        '<h2>✅ Unpod gate passed: 1 passed, 0 failed</h2>',
        '<table><tr><th>Agent</th><th>Run</th><th>Status</th><th>Tasks done</th><th>Rate (≥ 90%)</th><th>Created</th><th>Trend</th></tr>' +
          '<tr><td>✅ sales-agent</td><td><code>R00000000000000000000000000000005</code></td><td>completed</td><td>24 / 25</td><td>94% <sub>over 2 runs</sub><br><sub>baseline 90% (2 runs)</sub></td><td>2h 0m 0s ago<br><sub>2026-11-28T10:00:00Z</sub></td><td>▂▅</td></tr></table>',
        '<details><summary>What was judged</summary>',
        '<ul>',
        '<li><strong>sales-agent</strong>: Pooled 2 runs (R00000000000000000000000000000005, R00000000000000000000000000000004), 47 of 50 tasks (94%). ' +
          'Baseline&#58; 2 runs (R00000000000000000000000000000001, R00000000000000000000000000000000), 45 of 50 tasks (90%).</li>',
        '</ul>',
        '</details>',
        '<h3>Recent runs</h3>',
        '<details><summary>sales-agent: the 5 most recent runs</summary>',
        '',
        '<table><tr><th>Run</th><th>Status</th><th>Tasks</th><th>Rate</th><th>Created</th></tr>' +
          row(6, 'running', '3 of 25 tasks done', 'running', 11) +
          row(5, 'completed', '24 of 25 tasks done', '96%', 10) +
          row(4, 'completed', '23 of 25 tasks done', '92%', 9) +
          row(3, 'completed', '0 of 0 tasks done', '—', 8) +
          row(2, 'failed', 'no task counts yet', '—', 7) +
          '</table>',
        '',
        '',
        '```mermaid',
        '%%{init: {"xyChart":{"width":640,"height":260},"themeVariables":{"xyChart":{"plotColorPalette":"#2f81f7, #e5534b, #9a6dd7"}}}}%%',
        'xychart-beta',
        '  title "Rate (blue) vs 90% threshold (red), baseline (purple), ◆ judged"',
        '  x-axis ["#3 ◆", "#4 ◆"]',
        '  y-axis "Rate (%)" 85 --> 100',
        '  line [92, 96]',
        '  line [90, 90]',
        '  line [90, 90]',
        '```',
        '',
        '</details>',
        '',
        '<p><sub>Threshold 90%, window 2, max-drop 5 against 2 runs, min-tasks 1 · https&#58;//unpod.ai</sub></p>',
        ''
      ].join('\n')
    );
  });

  it('explains an input error, escaped', () => {
    expect(buildInputErrorSummary("Input 'token' is required and was empty.")).toBe(
      '<h2>❌ Unpod gate failed: invalid input</h2>\n<p>Input &#39;token&#39; is required and was empty.</p>\n'
    );
  });
});

describe('an early pass', () => {
  it('has its own part of the summary, escaped, and only when there is one', () => {
    const passed = earlyPassResult();
    const md = buildSummary([passed], decide([passed], settings()), settings(), NOW);
    expect(md).toContain('<h3>Decided early</h3>');
    expect(md).toContain(
      '<strong>sales-agent</strong>: passed while the run was still &#34;in&#95;progress&#34;, decided early&#58; 24 of 25 done; even if the last task fails, 96% ≥ 95%.'
    );
    const plain = result('sales-agent');
    expect(buildSummary([plain], decide([plain], settings()), settings(), NOW)).not.toContain('Decided early');
  });
});

describe("what the run's tasks say", () => {
  const s = settings({ 'agent-handle': 'alpha\nbeta', history: '0' });
  const READ_ERROR = 'The tasks could not be read: the API answered 500 after 3 retries.';
  /** A completed run with a task still pending, one malformed task of another run skipped. */
  const alpha = (): AgentResult => {
    const run = execution(hex(7), { total_tasks: 4, completed_tasks: 2 });
    const b = breakdown(
      [
        task({ runId: run.runId }),
        task({ runId: run.runId, outcome: 'not_interested', retries: 1 }),
        missed('no_answer', { runId: run.runId, retries: 2 }),
        missed('voicemail', { runId: run.runId, status: 'pending', callStatus: undefined })
      ],
      4
    );
    const explanation: Explanation = { breakdown: b, error: undefined, pages: 1, stop: 'all found', skipped: 1 };
    const verdict = judged('alpha', [run], s);
    // As check/agent.ts words it: the cause, then that the run may not have finished.
    const reason = `${verdict.reason.replace(/\.$/, `; ${causeClause(b)}.`)} ${unfinishedNote(b)}`;
    return { ...verdict, reason, explanation };
  };
  /** A failed run whose tasks could not be read at all. */
  const beta = (): AgentResult => {
    const explanation: Explanation = {
      breakdown: breakdown([], 25),
      error: READ_ERROR,
      pages: 0,
      stop: 'error',
      skipped: 0
    };
    return judged('beta', [execution(hex(8), { status: 'failed', completed_tasks: 10 })], s, { explanation });
  };
  const ALPHA_ROW =
    '<tr><td>❌ alpha</td><td><code>R00000000000000000000000000000007</code></td><td>completed</td><td>2 / 4</td><td>50%</td><td>2h 0m 0s ago<br><sub>2026-11-28T10:00:00Z</sub></td><td>—</td></tr>';
  const ALPHA_WHY =
    '<strong>alpha</strong>: Run &#34;R00000000000000000000000000000007&#34; completed 2 of 4 tasks (50%), below the threshold of 95%; of the 2 tasks not completed, 1 ended no&#95;answer. ' +
    'The run may not have finished yet&#58; 1 of its tasks is still pending or in progress, though the API calls it completed.';
  const ALPHA_TABLE =
    '<table><tr><th>Tasks</th><th>Count</th></tr>' +
    '<tr><td>Status</td><td>completed <strong>2</strong><br>failed <strong>1</strong><br>pending <strong>1</strong></td></tr>' +
    '<tr><td>Not completed (2)&#58; call status</td><td>(none) <strong>1</strong><br>no-answer <strong>1</strong></td></tr>' +
    '<tr><td>Not completed (2)&#58; call end reason</td><td>no&#95;answer <strong>1</strong><br>voicemail <strong>1</strong></td></tr>' +
    '<tr><td>Not completed (2)&#58; last failure reason</td><td>(none) <strong>2</strong></td></tr>' +
    '<tr><td>Completed (2)&#58; outcome</td><td>interested <strong>1</strong><br>not&#95;interested <strong>1</strong></td></tr></table>';
  const HEADER =
    '<table><tr><th>Agent</th><th>Run</th><th>Status</th><th>Tasks done</th><th>Rate (≥ 95%)</th><th>Created</th><th>Trend</th></tr>';

  it('of one agent: what was read, a table of counts, and only the notes its reason does not already say', () => {
    expect(summaryOf([alpha()], s)).toBe(
      [
        '<h2>❌ Unpod gate failed: 0 passed, 1 failed</h2>',
        `${HEADER}${ALPHA_ROW}</table>`,
        '<h3>Why</h3>',
        `<ul><li>${ALPHA_WHY}</li></ul>`,
        "<details><summary>What the run's tasks say</summary>",
        '<p>From all 4 tasks of the run; 3 retries in all.</p>',
        ALPHA_TABLE,
        // The note that the run may not have finished is in the reason: not said twice.
        '<p>1 malformed task of other runs (or of no readable run) skipped.</p>',
        '</details>',
        FOOTER,
        ''
      ].join('\n')
    );
  });

  it('of several agents: each named, on its read line or, with nothing read, on its note', () => {
    expect(summaryOf([alpha(), beta()], s)).toBe(
      [
        '<h2>❌ Unpod gate failed: 0 passed, 2 failed</h2>',
        `${HEADER}${ALPHA_ROW}` +
          '<tr><td>❌ beta</td><td><code>R00000000000000000000000000000008</code></td><td>failed</td><td>10 / 25</td><td>40%</td><td>2h 0m 0s ago<br><sub>2026-11-28T10:00:00Z</sub></td><td>—</td></tr></table>',
        '<h3>Why, per agent</h3>',
        `<ul><li>${ALPHA_WHY}</li><li><strong>beta</strong>: Run &#34;R00000000000000000000000000000008&#34; failed.</li></ul>`,
        "<details><summary>What the runs' tasks say</summary>",
        '<p><strong>alpha</strong>: From all 4 tasks of the run; 3 retries in all.</p>',
        ALPHA_TABLE,
        '<p>1 malformed task of other runs (or of no readable run) skipped.</p>',
        // Nothing read: no read line, no table, and the note says whose it is.
        '<p><strong>beta</strong>: The tasks could not be read&#58; the API answered 500 after 3 retries.</p>',
        '</details>',
        FOOTER,
        ''
      ].join('\n')
    );
  });
});
