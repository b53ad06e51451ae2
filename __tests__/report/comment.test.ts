import { describe, expect, it } from '@jest/globals';
import { COMMENT_LIMIT, buildComment } from '../../src/report/comment.js';
import { decide } from '../../src/report/decision.js';
import { agentResult, gateSettings } from '../helpers.js';

const run = {
  key: '0123456789abcdef',
  runId: 4242,
  runAttempt: 1,
  runUrl: 'https://github.com/o/r/actions/runs/4242',
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
};
const NOW = Date.parse('2026-12-04T17:00:00.123Z');
const settings = gateSettings();

describe('the pull-request comment', () => {
  it('has the marker, the verdict, a row per agent (failures first), the reasons and where the details are', () => {
    const results = [agentResult('sales-agent'), agentResult('support-agent', 'breach')];
    const text = buildComment(results, decide(results, settings), settings, run, NOW);
    expect(text).toBe(
      [
        '<!-- unpod-gate-comment key=0123456789abcdef run=4242 -->',
        '### ❌ Unpod gate failed: 1 passed, 1 failed',
        '',
        '| Agent | Rate (threshold) | Verdict | Run |',
        '| --- | --- | --- | --- |',
        '| support-agent | 92% (95%) | ❌ failed | <code>R00000000000000000000000000000013</code> |',
        '| sales-agent | 100% (95%) | ✅ passed | <code>R00000000000000000000000000000011</code> |',
        '',
        '**Why**',
        '',
        '- **support-agent**: Run &#34;R00000000000000000000000000000013&#34; completed 23 of 25 tasks (92%), below the threshold of 95%.',
        '',
        '<sub>Details in the [job summary](https://github.com/o/r/actions/runs/4242) · judged 2026-12-04T17:00:00Z by workflow run 4242 at commit a1b2c3d</sub>',
        ''
      ].join('\n')
    );
  });

  it('marks a breach not enforced, an undecided agent and a warned pass', () => {
    const report = gateSettings({ enforce: 'false', 'on-api-error': 'warn' });
    const results = [
      agentResult('a', 'breach'),
      agentResult('b', 'unavailable', {
        run: undefined,
        rate: undefined,
        judged: { notes: [] },
        reason: 'The API is failing (HTTP 503).'
      }),
      agentResult('c', undefined, { verdict: 'warn', warning: 'Rate 96% is below warn-below 97%.' })
    ];
    const text = buildComment(results, decide(results, report), report, { ...run, runAttempt: 2, sha: '' }, NOW);
    expect(text).toContain('| a | 92% (95%) | ⚠️ failed, not enforced |');
    expect(text).toContain('| b | — (95%) | ⚠️ undecided | — |');
    expect(text).toContain('| c | 100% (95%) | ⚠️ passed, warned |');
    expect(text).toContain('- **c**: Rate 96&#37; is below warn-below 97&#37;.'.replace(/&#37;/g, '%'));
    expect(text).toContain('by workflow run 4242 (attempt 2)</sub>');
    expect(text).not.toContain('at commit');
  });

  it('escapes what came from the API or the inputs', () => {
    const results = [agentResult('x|y', 'breach', { reason: '<img src=x> | ##[error] [link](javascript:x) @team' })];
    const text = buildComment(results, decide(results, settings), settings, run, NOW);
    expect(text).toContain('| x&#124;y |');
    expect(text).toContain(
      '&#60;img src=x&#62; &#124; &#35;&#35;&#91;error&#93; &#91;link&#93;(javascript&#58;x) &#64;team'
    );
    expect(text).not.toContain('<img');
  });

  it('keeps a fleet of 120 agents within 65,536 characters, failures first, with a visible note and a link', () => {
    const long = (i: number) =>
      agentResult(`fleet-agent-${String(i).padStart(3, '0')}-${'x'.repeat(60)}`, i % 4 !== 3 ? 'breach' : undefined, {
        reason: `Run failed for a reason that takes a long sentence to say, repeated: ${'because '.repeat(70)}`
      });
    const results = Array.from({ length: 120 }, (_, i) => long(i));
    const text = buildComment(results, decide(results, settings), settings, run, NOW);
    expect(text.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const rows = text.split('\n').filter((l) => l.startsWith('| fleet-agent'));
    const cut =
      /\*\*(\d+) more agents are left out\*\* to keep this comment within GitHub's 65,536 characters: the \[job summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/4242\) has them all\./.exec(
        text
      );
    expect(cut).not.toBeNull();
    expect(rows.length + Number(cut?.[1])).toBe(120);
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.every((r) => r.includes('❌ failed'))).toBe(true);
    expect(text.split('\n')[1]).toBe('### ❌ Unpod gate failed: 30 passed, 90 failed');
    // Cut at the most rows that fit: one more row and its reason (about 800 characters) would not.
    expect(text.length).toBeGreaterThan(COMMENT_LIMIT - 1000);
  });

  it('keeps every row when they fit', () => {
    const results = Array.from({ length: 120 }, (_, i) =>
      agentResult(`agent-${i}`, i % 3 === 0 ? 'breach' : undefined)
    );
    const text = buildComment(results, decide(results, settings), settings, run, NOW);
    expect(text.split('\n').filter((l) => l.startsWith('| agent-'))).toHaveLength(120);
    expect(text).not.toContain('left out');
  });

  it("shows the rate the verdict rests on: the window's when it pooled runs, else the run's", () => {
    const pooled = agentResult('pooled', undefined, {
      judged: { window: { runs: [], counts: { completed: 71, total: 75 }, rate: '94.67' }, notes: [] }
    });
    const single = agentResult('single', undefined, { judged: { notes: [] } });
    const results = [pooled, single];
    const text = buildComment(results, decide(results, settings), settings, run, NOW);
    expect(text).toContain('| pooled | 94.67% (95%) | ✅ passed |');
    expect(text).toContain('| single | 100% (95%) | ✅ passed |');
  });

  it('has no reasons section when every agent passed plainly', () => {
    const results = [agentResult('sales-agent')];
    const text = buildComment(results, decide(results, settings), settings, run, NOW);
    expect(text).toBe(
      [
        '<!-- unpod-gate-comment key=0123456789abcdef run=4242 -->',
        '### ✅ Unpod gate passed: 1 passed, 0 failed',
        '',
        '| Agent | Rate (threshold) | Verdict | Run |',
        '| --- | --- | --- | --- |',
        '| sales-agent | 100% (95%) | ✅ passed | <code>R00000000000000000000000000000011</code> |',
        '',
        '<sub>Details in the [job summary](https://github.com/o/r/actions/runs/4242) · judged 2026-12-04T17:00:00Z by workflow run 4242 at commit a1b2c3d</sub>',
        ''
      ].join('\n')
    );
  });

  it('names the commit only when the SHA is exactly 40 hex digits', () => {
    const results = [agentResult('sales-agent')];
    const judged = (sha: string) => buildComment(results, decide(results, settings), settings, { ...run, sha }, NOW);
    expect(judged(run.sha)).toContain('by workflow run 4242 at commit a1b2c3d</sub>');
    // A SHA-256 repository's 64 digits, and 40 digits with something before or after them.
    for (const sha of [`${run.sha}${'0'.repeat(24)}`, `x${run.sha}`, `${run.sha}x`, run.sha.slice(1)])
      expect(judged(sha)).toContain('by workflow run 4242</sub>');
  });

  describe('at the size limit', () => {
    /** `n` failing agents of about 520 characters each (row and reason), but the first, whose short reason grows by `pad` characters. */
    const fleet = (n: number, pad: number) =>
      Array.from({ length: n }, (_, i) =>
        agentResult(`agent-${String(i).padStart(3, '0')}`, 'breach', {
          reason: i === 0 ? `Too few tasks (${'x'.repeat(pad)}).` : `Too few tasks: ${'because '.repeat(50)}`
        })
      );
    const comment = (results: ReturnType<typeof fleet>, at = run) =>
      buildComment(results, decide(results, settings), settings, at, NOW);
    const rows = (text: string) => text.split('\n').filter((l) => l.startsWith('| agent-'));
    /** The padding that brings the comment of `n` agents to exactly the limit, as long as it keeps its rows. */
    const padToLimit = (n: number) => {
      const pad = COMMENT_LIMIT - comment(fleet(n, 0)).length;
      expect(pad).toBeGreaterThanOrEqual(0);
      expect(pad).toBeLessThan(500); // the reason stays under its 600 characters
      return pad;
    };
    const note = (count: string) =>
      `**${count} left out** to keep this comment within GitHub's 65,536 characters: the [job summary](https://github.com/o/r/actions/runs/4242) has them all.`;

    it('keeps every row of a comment exactly at the limit, and leaves the last agent out one character over', () => {
      const pad = padToLimit(125);
      const exact = comment(fleet(125, pad));
      expect(exact).toHaveLength(COMMENT_LIMIT);
      expect(rows(exact)).toHaveLength(125);
      expect(exact).not.toContain('left out');

      const over = comment(fleet(125, pad + 1));
      expect(over.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(rows(over)).toHaveLength(124);
      expect(over).not.toContain('agent-124');
      const lines = over.split('\n');
      const at = lines.indexOf(note('1 more agent is'));
      expect(lines.slice(at - 2, at + 3)).toEqual([rows(over)[123], '', note('1 more agent is'), '', '**Why**']);
    });

    it('cuts at the most rows that fit, even when they fill the limit exactly', () => {
      const pad = padToLimit(130);
      const text = comment(fleet(130, pad));
      expect(text).toHaveLength(COMMENT_LIMIT);
      expect(rows(text)).toHaveLength(125);
      expect(text).toContain(`\n${note('5 more agents are')}\n`);
    });

    it('keeps the verdict and the note, with no empty table, when not even one row fits', () => {
      // The link is in the note and the footer: this long, it leaves room for them but not for one row.
      const runUrl = `https://github.com/o/r/actions/runs/4242?${'x'.repeat(32_400)}`;
      const text = comment(fleet(100, 400), { ...run, runUrl });
      expect(text.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(text).toBe(
        [
          '<!-- unpod-gate-comment key=0123456789abcdef run=4242 -->',
          '### ❌ Unpod gate failed: 0 passed, 100 failed',
          '',
          `**100 more agents are left out** to keep this comment within GitHub's 65,536 characters: the [job summary](${runUrl}) has them all.`,
          '',
          `<sub>Details in the [job summary](${runUrl}) · judged 2026-12-04T17:00:00Z by workflow run 4242 at commit a1b2c3d</sub>`,
          ''
        ].join('\n')
      );
    });
  });
});
