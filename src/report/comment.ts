/**
 * The pull-request comment: the verdict line, a compact row per agent, the reasons, and where
 * the details are. Pull requests are often public, so it carries the gate's own sentences and
 * codes only, never the tasks' text. Pure; always within GitHub's 65,536 characters.
 */
import type { AgentResult } from '../check/agent.js';
import { marker } from '../github/marker.js';
import type { Settings } from '../settings/inputs.js';
import { failsStep, mark, type Decision } from './decision.js';
import { escapeText, heading } from './summary.js';

/** GitHub refuses a comment body longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

export interface CommentRun {
  /** The comment's key (github/marker.ts). */
  readonly key: string;
  readonly runId: number;
  readonly runAttempt: number;
  /** The workflow run's page, with the job summary. */
  readonly runUrl: string;
  /** The commit judged. */
  readonly sha: string;
}

/** The comment's Markdown, with the agents that did not pass first, cut to fit with a note. */
export function buildComment(
  results: readonly AgentResult[],
  decision: Decision,
  settings: Pick<Settings, 'enforce' | 'onApiError'>,
  run: CommentRun,
  now: number
): string {
  const ordered = [...results.filter((r) => !r.passed), ...results.filter((r) => r.passed)];
  const full = renderComment(ordered, decision, settings, run, now, ordered.length, results);
  if (full.length <= COMMENT_LIMIT) return full;
  // The most rows that fit: the text only grows with rows.
  let low = 0;
  let high = ordered.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (renderComment(ordered, decision, settings, run, now, mid, results).length <= COMMENT_LIMIT) low = mid;
    else high = mid - 1;
  }
  return renderComment(ordered, decision, settings, run, now, low, results);
}

function renderComment(
  ordered: readonly AgentResult[],
  decision: Decision,
  settings: Pick<Settings, 'enforce' | 'onApiError'>,
  run: CommentRun,
  now: number,
  rows: number,
  all: readonly AgentResult[]
): string {
  const shown = ordered.slice(0, rows);
  const lines = [marker(run.key, run.runId), `### ${heading(all, decision)}`, ''];
  if (shown.length > 0) {
    lines.push('| Agent | Rate (threshold) | Verdict | Run |', '| --- | --- | --- | --- |');
    for (const r of shown)
      lines.push(`| ${escapeText(r.agent, 80)} | ${rateCell(r)} | ${verdictCell(r, settings)} | ${runCell(r)} |`);
    lines.push('');
  }
  const summary = `[job summary](${run.runUrl})`;
  if (rows < ordered.length) {
    lines.push(
      `**${ordered.length - rows} more agent${ordered.length - rows === 1 ? ' is' : 's are'} left out** to keep this comment within GitHub's 65,536 characters: the ${summary} has them all.`,
      ''
    );
  }
  const why = shown.filter((r) => !r.passed || r.verdict === 'warn');
  if (why.length > 0) {
    lines.push('**Why**', '');
    for (const r of why)
      lines.push(`- **${escapeText(r.agent, 80)}**: ${escapeText(r.passed ? r.warning : r.reason, 600)}`);
    lines.push('');
  }
  const attempt = run.runAttempt > 1 ? ` (attempt ${run.runAttempt})` : '';
  const commit = /^[0-9a-f]{40}$/.test(run.sha) ? ` at commit ${run.sha.slice(0, 7)}` : '';
  lines.push(
    `<sub>Details in the ${summary} · judged ${new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')} by workflow run ${run.runId}${attempt}${commit}</sub>`
  );
  return `${lines.join('\n')}\n`;
}

function rateCell(r: AgentResult): string {
  const rate = r.judged.window?.rate ?? r.rate;
  const threshold = `${r.threshold.text}%`;
  return rate === undefined ? `— (${threshold})` : `${rate}% (${threshold})`;
}

function verdictCell(r: AgentResult, settings: Pick<Settings, 'enforce' | 'onApiError'>): string {
  if (r.passed) return `${mark(r, settings)} ${r.verdict === 'warn' ? 'passed, warned' : 'passed'}`;
  if (failsStep(r, settings)) return `${mark(r, settings)} failed`;
  return `${mark(r, settings)} ${r.failure === 'unavailable' ? 'undecided' : 'failed, not enforced'}`;
}

function runCell(r: AgentResult): string {
  return r.run === undefined ? '—' : `<code>${escapeText(r.run.runId, 60)}</code>`;
}
