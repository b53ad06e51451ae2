/**
 * The job summary: the verdict, a row per agent, why each agent failed or warned, what was
 * judged, what the run's tasks say and the recent runs, within GitHub's size limit.
 */
import * as core from '@actions/core';
import type { AgentResult } from '../check/agent.js';
import { rateChart, rateOf, sparkline } from './chart.js';
import { formatDuration } from '../values/duration.js';
import { describeCounts, isFinished, taskCounts, type Execution } from '../unpod/executions.js';
import { breakdownView } from './explanation.js';
import type { Settings } from '../settings/inputs.js';
import { formatInstant, instantToMillis } from '../values/instant.js';
import {
  judgedDetails,
  judgingThresholds,
  rateCell as judgedRateCell,
  says,
  sentenceOf,
  trendSettings
} from './judgement.js';
import { mark, type Decision } from './decision.js';
import { formatRateAgainst } from '../rules/rate.js';
import { limitsOf } from '../rules/judge.js';
import { oneLine } from '../values/text.js';

/** GitHub refuses a step summary over 1 MiB; stay well under it. */
export const SUMMARY_LIMIT_BYTES = 1000 * 1000;

/**
 * Text from the API or the user as inert HTML: every character that HTML or Markdown could
 * read as syntax becomes an entity, and line breaks become spaces.
 */
export function escapeText(text: string, max = 200): string {
  return oneLine(text, max).replace(/[&<>"'`|*_[\]\\#~!:$@]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A run's rate against the agent's threshold and warn-below, with as many digits as it takes to
 * agree with both; the judged run's row shows the rate its verdict shows, digits and all.
 */
function rateCell(run: Execution, result: AgentResult, warnBelow: Settings['warnBelow']): string {
  if (!isFinished(run)) return 'running';
  try {
    const { completed, total } = taskCounts(run);
    const own = result.counts;
    const judged = run.runId === result.run?.runId && own?.completed === completed && own.total === total;
    if (judged && result.rate !== undefined) return `${result.rate}%`;
    const limits = limitsOf({ threshold: result.threshold, warnBelow });
    return total > 0 ? `${formatRateAgainst(completed, total, limits)}%` : '—';
  } catch {
    return '—';
  }
}

export function heading(results: readonly AgentResult[], decision: Decision): string {
  const failed = results.filter((r) => !r.passed).length;
  const passed = results.length - failed;
  const counts = `: ${passed} passed, ${failed} failed`;
  if (decision.passed && results.some((r) => r.verdict === 'warn'))
    return `⚠️ Unpod gate passed with warnings${counts}`;
  if (decision.passed) return `✅ Unpod gate passed${counts}`;
  if (decision.undecided)
    return `⚠️ Unpod gate could not decide: the API stayed unavailable (on-api-error: warn)${counts}`;
  if (!decision.failStep) return `⚠️ Unpod gate would fail (report only, enforce: false)${counts}`;
  return `❌ Unpod gate failed${counts}`;
}

function historyDetails(result: AgentResult, settings: Settings, limit: number, now: number): string {
  const runs = result.history.slice(0, limit);
  if (runs.length === 0) return '';
  const rows = runs.map((run) => [
    escapeText(run.runId, 60),
    escapeText(run.status, 40),
    escapeText(describeCounts(run)),
    rateCell(run, result, settings.warnBelow),
    `${formatInstant(run.created)} (${age(run, now)})`
  ]);
  const table = core.summary
    .emptyBuffer()
    .addTable([['Run', 'Status', 'Tasks', 'Rate', 'Created'].map((data) => ({ data, header: true })), ...rows])
    .stringify();
  core.summary.emptyBuffer();
  const oldestFirst = [...runs].reverse();
  const judged = new Set(result.judged.window?.runs.map((r) => r.runId) ?? []);
  const chart = rateChart(oldestFirst.map(rateOf), result.threshold.text, {
    judged: judged.size > 1 ? oldestFirst.map((r) => judged.has(r.runId)) : undefined,
    baseline: result.judged.baseline?.rate
  });
  const label = `${escapeText(result.agent, 80)}: the ${runs.length} most recent run${runs.length === 1 ? '' : 's'}`;
  return `<details><summary>${label}</summary>\n\n${table}\n\n${chart}\n\n</details>\n`;
}

function age(run: Execution, now: number): string {
  return `${formatDuration(Math.max(0, now - instantToMillis(run.created)))} ago`;
}

/**
 * The job summary, saying each thing once: the verdict and a row per agent first, then one
 * sentence per agent that failed or passed with a warning, then, folded, only what those did not
 * say (what was judged, what the run's tasks say, the recent runs). History is trimmed until the
 * whole fits GitHub's limit.
 */
export function buildSummary(
  results: readonly AgentResult[],
  decision: Decision,
  settings: Settings,
  now: number
): string {
  for (let limit = settings.history; ; limit = Math.floor(limit / 2)) {
    const text = renderSummary(results, decision, settings, now, limit, results.length);
    if (Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES) return text;
    if (limit === 0) {
      // Even without history it is too big: keep as many rows as fit.
      let rows = results.length;
      let smaller = text;
      while (rows > 0 && Buffer.byteLength(smaller) > SUMMARY_LIMIT_BYTES) {
        rows = Math.floor(rows / 2);
        smaller = renderSummary(results, decision, settings, now, 0, rows);
      }
      return smaller;
    }
  }
}

function renderSummary(
  results: readonly AgentResult[],
  decision: Decision,
  settings: Settings,
  now: number,
  historyLimit: number,
  rowLimit: number
): string {
  // core.summary is one shared buffer: render the nested history tables before using it.
  const details = results
    .slice(0, rowLimit)
    .map((r) => historyDetails(r, settings, historyLimit, now))
    .filter((d) => d !== '');
  const summary = core.summary.emptyBuffer();
  summary.addHeading(heading(results, decision), 2);
  // One threshold for all: in the header; per-agent thresholds: in each cell.
  const perAgent = settings.thresholds.size > 0;
  const rateHeader = perAgent ? 'Rate (≥ own threshold)' : `Rate (≥ ${settings.threshold.text}%)`;
  const header = ['Agent', 'Run', 'Status', 'Tasks done', rateHeader, 'Created', 'Trend'];
  const rows = results
    .slice(0, rowLimit)
    .map((r) => [
      `${mark(r, settings)} ${escapeText(r.agent, 80)}`,
      r.run ? `<code>${escapeText(r.run.runId, 60)}</code>` : '—',
      r.run ? escapeText(r.run.status, 40) : '—',
      r.counts ? `${r.counts.completed} / ${r.counts.total}` : '—',
      judgedRateCell(r, perAgent),
      r.run ? `${age(r.run, now)}<br><sub>${formatInstant(r.run.created)}</sub>` : '—',
      sparkline(r.history.slice(0, historyLimit), Number(r.threshold.text)) || '—'
    ]);
  summary.addTable([header.map((data) => ({ data, header: true })), ...rows]);
  if (rowLimit < results.length) {
    summary.addRaw(
      `<p>${results.length - rowLimit} more agents are left out to keep this summary under GitHub's 1 MiB limit; the <code>results</code> output has them all.</p>`,
      true
    );
  }
  // Only the agents the table shows: a row left out is left out of every part.
  const failing = results.slice(0, rowLimit).filter((r) => !r.passed);
  if (failing.length > 0) {
    summary.addHeading(failing.length === 1 ? 'Why' : 'Why, per agent', 3);
    summary.addList(failing.map((r) => `<strong>${escapeText(r.agent, 80)}</strong>: ${escapeText(r.reason, 600)}`));
  }
  const warned = results.slice(0, rowLimit).filter((r) => r.verdict === 'warn');
  if (warned.length > 0) {
    summary.addHeading('Warnings', 3);
    summary.addList(warned.map((r) => `<strong>${escapeText(r.agent, 80)}</strong>: ${escapeText(r.warning, 600)}`));
  }
  const decidedEarly = results
    .slice(0, rowLimit)
    .flatMap(({ agent, early }) => (early === undefined ? [] : [{ agent, early }]));
  if (decidedEarly.length > 0) {
    summary.addHeading('Decided early', 3);
    summary.addList(
      decidedEarly.map(
        ({ agent, early }) =>
          `<strong>${escapeText(agent, 80)}</strong>: ${escapeText(`passed while the run was still "${early.status}", ${early.note}.`, 600)}`
      )
    );
  }
  const judged = judgedDetails(results.slice(0, rowLimit), escapeText);
  if (judged !== '') summary.addRaw(judged, true);
  const explained = results.slice(0, rowLimit).filter((r) => r.explanation !== undefined);
  if (explained.length > 0) {
    const title = explained.length === 1 ? "What the run's tasks say" : "What the runs' tasks say";
    summary.addRaw(`<details><summary>${title}</summary>`, true);
    for (const r of explained) addBreakdown(summary, r, explained.length > 1);
    summary.addRaw('</details>', true);
  }
  if (historyLimit > 0) {
    if (details.length > 0) summary.addHeading('Recent runs', 3).addRaw(details.join('\n'), true);
    if (historyLimit < settings.history) {
      summary.addRaw(
        `<p>History trimmed to ${historyLimit} runs per agent to keep this summary under GitHub's 1 MiB limit.</p>`,
        true
      );
    }
  }
  summary.addRaw(
    `<p><sub>${escapeText(capitalised(judgingThresholds(settings)), 400)}${trendSettings(settings)}, min-tasks ${settings.minTasks}${settings.maxAgeMs === undefined ? '' : `, max-age ${formatDuration(settings.maxAgeMs)}`}${settings.enforce ? '' : ', report only'} · ${escapeText(settings.baseUrl)}</sub></p>`,
    true
  );
  const text = summary.stringify();
  summary.emptyBuffer();
  return text;
}

/** One agent's breakdown: what was read, a table of counts, and any notes. */
function addBreakdown(summary: typeof core.summary, result: AgentResult, named: boolean): void {
  const view = breakdownView(result);
  if (view === undefined) return;
  const who = named ? `<strong>${escapeText(result.agent, 80)}</strong>: ` : '';
  if (view.read !== '') summary.addRaw(`<p>${who}${escapeText(view.read)}</p>`, true);
  if (view.rows.length > 0) {
    const rows = view.rows.map((row) => [
      escapeText(row.what),
      row.counts.map((c) => `${escapeText(c.label, 60)} <strong>${c.count}</strong>`).join('<br>')
    ]);
    summary.addTable([['Tasks', 'Count'].map((data) => ({ data, header: true })), ...rows]);
  }
  // A note the agent's sentence already says (a run that may not have finished) is not said again.
  const notes = view.notes.filter((note) => !says(sentenceOf(result), note));
  for (const note of notes) summary.addRaw(`<p>${view.read === '' ? who : ''}${escapeText(note, 600)}</p>`, true);
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** The summary when the inputs are wrong and nothing was fetched. */
export function buildInputErrorSummary(message: string): string {
  const text = core.summary
    .emptyBuffer()
    .addHeading('❌ Unpod gate failed: invalid input', 2)
    .addRaw(`<p>${escapeText(message, 600)}</p>`, true)
    .stringify();
  core.summary.emptyBuffer();
  return text;
}
