/**
 * The step without a verdict: the Unpod token is empty (a fork's or Dependabot's run) and
 * `if-no-token` is skip. Nothing is fetched; `passed` stays false so a deploy guarded by it waits.
 */
import * as core from '@actions/core';
import { outputsFor } from './outputs.js';

export const SKIPPED =
  "Skipped: input 'token' is empty (secrets are not given to workflows started from a fork's pull request or by Dependabot) and if-no-token is skip, so no run was judged and no request was sent.";

/** Every output, as on every path: `passed` false, `verdict` skipped, the reason saying why. */
export function outputsForSkip(): Record<string, string> {
  const outputs = outputsFor([], { passed: false, reason: SKIPPED });
  return { ...outputs, verdict: 'skipped' };
}

/** The job summary of a skipped step. */
export function buildSkipSummary(): string {
  const text = core.summary
    .emptyBuffer()
    .addHeading('⏭️ Unpod gate skipped: no token', 2)
    .addRaw(
      "<p>Input <code>token</code> is empty, as it is in workflows started from a fork's pull request or by Dependabot, which get no secrets. With <code>if-no-token: skip</code> the step passes without a verdict: <code>passed</code> is false and <code>verdict</code> is <code>skipped</code>. To gate such pull requests, gate them in a workflow on the <code>workflow_run</code> event.</p>",
      true
    )
    .stringify();
  core.summary.emptyBuffer();
  return text;
}
