import { describe, expect, it } from '@jest/globals';
import { SKIPPED, buildSkipSummary, outputsForSkip } from '../../src/report/skip.js';

describe('a step skipped for want of a token', () => {
  it('writes every output: passed false, verdict skipped, the reason, the rest empty', () => {
    const outputs = outputsForSkip();
    expect(outputs.passed).toBe('false');
    expect(outputs.verdict).toBe('skipped');
    expect(outputs.reason).toBe(SKIPPED);
    expect(outputs.results).toBe('[]');
    expect(outputs['run-id']).toBe('');
    expect(outputs['completion-rate']).toBe('');
  });

  it('says why and what to do in the summary', () => {
    const text = buildSkipSummary();
    expect(text.split('\n')[0]).toBe('<h2>⏭️ Unpod gate skipped: no token</h2>');
    expect(text).toContain('<code>if-no-token: skip</code>');
    expect(text).toContain('<code>workflow_run</code>');
  });
});
