/**
 * What a judgement rested on, formatted for people and later steps: the results' trend fields,
 * the trend outputs, and the job summary's rate cell and folded detail. Formats only.
 */
import type { AgentResult } from '../check/agent.js';
import type { Pooled, VerdictWord } from '../rules/judge.js';
import type { Settings } from '../settings/inputs.js';
import { oneLine } from '../values/text.js';

/** The worst verdict: any `fail` fails, else any `warn` warns; none at all (bad input) fails. */
export function overallVerdict(results: readonly AgentResult[]): VerdictWord {
  if (results.length === 0 || results.some((r) => r.verdict === 'fail')) return 'fail';
  return results.some((r) => r.verdict === 'warn') ? 'warn' : 'pass';
}

function pooledJson(pooled: Pooled | undefined): Record<string, number | null> | null {
  if (pooled === undefined) return null;
  return {
    runs: pooled.runs.length,
    completed_tasks: pooled.counts.completed,
    total_tasks: pooled.counts.total,
    rate: pooled.rate === undefined ? null : Number(pooled.rate)
  };
}

/** The trend fields of one `results` entry: numbers as numbers, null where there is nothing. */
export function trendJson(result: AgentResult): Record<string, unknown> {
  const { window, baseline, interval, callsNeeded } = result.judged;
  return {
    verdict: result.verdict,
    warning: result.warning,
    threshold: Number(result.threshold.text),
    window: pooledJson(window),
    baseline: pooledJson(baseline),
    ...(interval
      ? {
          interval: {
            confidence: Number(interval.confidence),
            low: Number(interval.low),
            high: Number(interval.high),
            calls_needed: callsNeeded ?? null
          }
        }
      : {})
  };
}

/** The trend outputs: the overall verdict, and what one agent's judgement pooled. */
export function trendOutputs(results: readonly AgentResult[]): Record<string, string> {
  const single = results.length === 1 ? results[0] : undefined;
  const window = single?.judged.window;
  return {
    verdict: overallVerdict(results),
    'window-rate': window?.rate ?? '',
    'window-runs': window === undefined ? '' : String(window.runs.length),
    'baseline-rate': single?.judged.baseline?.rate ?? ''
  };
}

/** The verdict's mark: ✅ pass, ⚠️ warn; failures are marked by the caller (❌ or ⚠️ when tolerated). */
export function passMark(result: AgentResult): string {
  return result.verdict === 'warn' ? '⚠️' : '✅';
}

/**
 * The summary's rate cell: what was judged against the agent's own threshold, then the baseline
 * and the interval where they apply, each on its own short line.
 */
export function rateCell(result: AgentResult, showThreshold: boolean): string {
  const { window, baseline, interval } = result.judged;
  const threshold = showThreshold ? [`<sub>≥ ${result.threshold.text}%</sub>`] : [];
  if (window?.rate === undefined) {
    return result.rate === undefined ? '—' : [`${result.rate}%`, ...threshold].join('<br>');
  }
  const rate = `${window.rate}%`;
  const lines = [window.runs.length === 1 ? rate : `${rate} <sub>over ${window.runs.length} runs</sub>`];
  lines.push(...threshold);
  if (baseline?.rate !== undefined) lines.push(`<sub>baseline ${baseline.rate}% (${baseline.runs.length} runs)</sub>`);
  if (interval) lines.push(`<sub>${interval.confidence}%: ${interval.low}–${interval.high}%</sub>`);
  return lines.join('<br>');
}

/** The one statement of why an agent failed or passed with a warning; empty for a clean pass. */
export function sentenceOf(result: Pick<AgentResult, 'passed' | 'reason' | 'warning'>): string {
  return result.passed ? result.warning : result.reason;
}

/** Whether a sentence already says a note (the note's words, in any case, its full stop aside). */
export function says(sentence: string, note: string): boolean {
  return sentence.toLowerCase().includes(note.replace(/\.$/, '').toLowerCase());
}

/**
 * What the judgement rested on that neither the summary's table nor the agent's sentence says,
 * as sentences: the runs pooled, the baseline, the interval, the notes. The table already shows
 * the run, its counts, the rate, the threshold; a pool is said when the sentence names each of
 * its runs and its counts, the interval when it gives both ends.
 */
export function unsaid(result: AgentResult): string[] {
  const { window, baseline, interval, notes } = result.judged;
  if (window === undefined) return [];
  const sentence = sentenceOf(result);
  const named = (pooled: Pooled) =>
    pooled.runs.every((r) => sentence.includes(r.runId)) &&
    sentence.includes(`${pooled.counts.completed} of ${pooled.counts.total} tasks`);
  const facts: string[] = [];
  if (window.runs.length > 1 && !named(window)) facts.push(`Pooled ${pooledText(window)}.`);
  if (baseline && !named(baseline)) facts.push(`Baseline: ${pooledText(baseline)}.`);
  if (interval && !sentence.includes(`${interval.low}% to ${interval.high}%`)) {
    facts.push(`At ${interval.confidence}% confidence (Wilson) the rate is ${interval.low}% to ${interval.high}%.`);
  }
  return [...facts, ...notes.filter((note) => !says(sentence, note))];
}

/**
 * One folded block with, per agent, only what its sentence and the table do not say (unsaid);
 * empty when that is nothing for every agent. `escape` makes API text inert.
 */
export function judgedDetails(results: readonly AgentResult[], escape: (text: string, max?: number) => string): string {
  const items = results.flatMap((result) => {
    const facts = unsaid(result);
    if (facts.length === 0) return [];
    return [`<li><strong>${escape(result.agent, 80)}</strong>: ${facts.map((f) => escape(f, 2000)).join(' ')}</li>`];
  });
  if (items.length === 0) return '';
  return `<details><summary>What was judged</summary>\n<ul>\n${items.join('\n')}\n</ul>\n</details>`;
}

/** Runs listed in the detail before "and N more". */
const LISTED_RUNS = 10;

function pooledText(pooled: Pooled): string {
  const ids = pooled.runs.slice(0, LISTED_RUNS).map((r) => oneLine(r.runId, 60));
  const more = pooled.runs.length > LISTED_RUNS ? ` and ${pooled.runs.length - LISTED_RUNS} more` : '';
  // One run is only ever listed alone (`more` is then empty), so both forms can share the list.
  const listed = `${ids.join(', ')}${more}`;
  const runs = ids.length === 1 ? `run ${listed}` : `${pooled.runs.length} runs (${listed})`;
  const rate = pooled.rate === undefined ? 'no rate' : `${pooled.rate}%`;
  return `${runs}, ${pooled.counts.completed} of ${pooled.counts.total} tasks (${rate})`;
}

/**
 * The thresholds that judge, for the log's first line and the summary's footer: `threshold 95%`;
 * `threshold 95% (a 90%)` when some agents have their own line; `thresholds a 90%, b 99%` when
 * every agent has, since `threshold` then judges none. At most `shown` agents are named.
 */
export function judgingThresholds(settings: Pick<Settings, 'agents' | 'threshold' | 'thresholds'>, shown = 5): string {
  const own = settings.agents.flatMap((agent) => {
    const threshold = settings.thresholds.get(agent);
    return threshold === undefined ? [] : [`${agent} ${threshold.text}%`];
  });
  const named = own.length > shown ? [...own.slice(0, shown), `${own.length - shown} more`] : own;
  if (own.length === 0) return `threshold ${settings.threshold.text}%`;
  if (own.length === settings.agents.length) return `thresholds ${named.join(', ')}`;
  return `threshold ${settings.threshold.text}% (${named.join(', ')})`;
}

/** The trend settings for the summary's footer: empty when every one is off. */
export function trendSettings(
  settings: Pick<Settings, 'window' | 'maxDrop' | 'baselineRuns' | 'warnBelow' | 'confidence' | 'decideEarly'>
): string {
  return [
    settings.window > 1 ? `, window ${settings.window}` : '',
    settings.maxDrop === undefined ? '' : `, max-drop ${settings.maxDrop.text} against ${settings.baselineRuns} runs`,
    settings.warnBelow === undefined ? '' : `, warn-below ${settings.warnBelow.text}%`,
    settings.confidence === undefined ? '' : `, ${settings.confidence}% confidence`,
    settings.decideEarly ? ', decide-early' : ''
  ].join('');
}
