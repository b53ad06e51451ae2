/**
 * What later steps and the log see: the step outputs, the JSON results (also the report file)
 * and one log line per agent. Each value is one inert line. Pure functions of the results.
 */
import type { AgentResult } from '../check/agent.js';
import type { Settings } from '../settings/inputs.js';
import { formatInstant } from '../values/instant.js';
import { inert, oneLine } from '../values/text.js';
import { mark, type Decision } from './decision.js';
import { breakdownJson } from './explanation.js';
import { passMark, trendJson, trendOutputs } from './judgement.js';

/** The `results` output and report file entry for one agent: JSON numbers, null where unknown. */
export function resultJson(result: AgentResult): Record<string, unknown> {
  return {
    agent: result.agent,
    passed: result.passed,
    reason: result.reason,
    run_id: result.run?.runId ?? null,
    status: result.run?.status ?? null,
    completed_tasks: result.counts?.completed ?? null,
    total_tasks: result.counts?.total ?? null,
    completion_rate: result.rate === undefined ? null : Number(result.rate),
    created: result.run ? formatInstant(result.run.created) : null,
    execution_count: result.executionCount ?? null,
    ...trendJson(result),
    decided_early: result.early
      ? { status: result.early.status, completed_tasks: result.early.completed, total_tasks: result.early.total }
      : null,
    breakdown: breakdownJson(result)
  };
}

/**
 * Every output, with a value on every path; per-run outputs only when one agent is gated. Workflows
 * echo outputs into their logs, so each is one inert line; `results` is JSON (one line too), with
 * `##[` written as `#\u0023[`, which decodes to the same data.
 */
export function outputsFor(
  results: readonly AgentResult[],
  decision: Pick<Decision, 'passed' | 'reason'>
): Record<string, string> {
  const single = results.length === 1 ? results[0] : undefined;
  const outputs: Record<string, string> = {
    passed: String(decision.passed),
    reason: decision.reason,
    'run-id': single?.run?.runId ?? '',
    status: single?.run?.status ?? '',
    'completed-tasks': single?.counts ? String(single.counts.completed) : '',
    'total-tasks': single?.counts ? String(single.counts.total) : '',
    created: single?.run ? formatInstant(single.run.created) : '',
    'execution-count': single?.executionCount === undefined ? '' : String(single.executionCount),
    'completion-rate': single?.rate ?? '',
    ...trendOutputs(results)
  };
  for (const [name, value] of Object.entries(outputs)) outputs[name] = inert(value, Number.POSITIVE_INFINITY);
  outputs.results = JSON.stringify(results.map(resultJson)).replace(/##\[/g, '#\\u0023[');
  return outputs;
}

/** One log line per agent, starting with a word of ours so that no value can start a command. */
export function logLine(result: AgentResult, settings: Pick<Settings, 'enforce' | 'onApiError'>): string {
  const agent = oneLine(result.agent, 80);
  if (!result.passed) return `${mark(result, settings)} ${agent}: ${result.reason}`;
  const counts = result.counts ? `, ${result.counts.completed} of ${result.counts.total} tasks done` : '';
  const rate = result.rate === undefined ? '' : ` (${result.rate}%)`;
  const run = result.run
    ? ` Run ${oneLine(result.run.runId, 60)} ${oneLine(result.run.status, 40)}${counts}${rate}.`
    : '';
  const warning = result.warning === '' ? '' : ` Warning: ${result.warning}`;
  const early = result.early === undefined ? '' : ` Passed ${result.early.note}.`;
  return `${passMark(result)} ${agent}: passed.${run}${early}${warning}`;
}

/** The outputs when the inputs themselves are wrong: nothing was fetched. */
export function outputsForInputError(message: string): Record<string, string> {
  return outputsFor([], { passed: false, reason: message });
}
