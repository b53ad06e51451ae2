import { describe, expect, it } from '@jest/globals';
import { decide } from '../../src/report/decision.js';
import { SUMMARY_LIMIT_BYTES, buildInputErrorSummary, buildSummary, escapeText } from '../../src/report/summary.js';
import { agentResult as result, earlyPassResult, execution, gateSettings as settings } from '../helpers.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
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

  it('stays under the 1 MiB limit by trimming history, and says so', () => {
    const big = 'R' + 'a'.repeat(59);
    const history = Array.from({ length: 50 }, (_, i) =>
      execution(`${big}${i}`, { created: new Date(NOW - i * 60_000).toISOString() })
    );
    const rs = Array.from({ length: 300 }, (_, i) => result(`agent-${i}-${'x'.repeat(60)}`, 'breach', { history }));
    const s = settings({ history: '50' });
    const md = buildSummary(rs, decide(rs, s), s, NOW);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(md).toContain('History trimmed to');
  });

  it('drops rows, saying so, when even the table alone is too big', () => {
    const rs = Array.from({ length: 6000 }, (_, i) =>
      result(`agent-${i}-${'y'.repeat(70)}`, 'breach', { history: [] })
    );
    const md = buildSummary(rs, decide(rs, settings()), settings(), NOW);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(md).toMatch(/\d+ more agents are left out/);
  });

  it('names in its footer the thresholds that judged: the agents own, when each has a line', () => {
    const s = settings({ 'agent-handle': 'a\nb_x', thresholds: 'a: 90\nb_x: 99' });
    const rs = [result('a'), result('b_x')];
    expect(buildSummary(rs, decide(rs, s), s, NOW)).toContain('<p><sub>Thresholds a 90%, b&#95;x 99%, min-tasks 1 · ');
    const some = settings({ 'agent-handle': 'a\nb', thresholds: 'b: 99' });
    expect(buildSummary(rs, decide(rs, some), some, NOW)).toContain('<p><sub>Threshold 95% (b 99%), min-tasks 1 · ');
  });

  it('explains an input error', () => {
    expect(buildInputErrorSummary("Input 'token' is required and was empty.")).toContain('invalid input');
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
