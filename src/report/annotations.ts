/**
 * The step's annotations: a notice for a pass, one per warned or failing agent, and a fold
 * naming the rest where GitHub would drop them. Pure: main.ts writes them through log.ts.
 */
import type { AgentResult } from '../check/agent.js';
import type { Settings } from '../settings/inputs.js';
import { failsStep, type Decision } from './decision.js';
import { oneLine } from '../values/text.js';
import { isBelow } from '../values/percent.js';

/** GitHub shows at most 10 error and 10 warning annotations per step and drops the rest. */
export const MAX_ANNOTATIONS = 10;

export const TITLE = 'Unpod gate';

export type Level = 'error' | 'warning' | 'notice';

export interface StepAnnotation {
  readonly level: Level;
  readonly message: string;
  readonly title: string;
}

/**
 * The annotations for the verdict. Each level keeps within GitHub's 10, counting the input
 * warnings already written and the error `setFailed` adds when the step fails; past that, the
 * last one names the agents left out.
 */
export function annotations(
  results: readonly AgentResult[],
  decision: Decision,
  settings: Pick<Settings, 'enforce' | 'onApiError' | 'warnings'>
): StepAnnotation[] {
  const single = results.length === 1;
  const titled = (r: AgentResult, alone: string): string => (single ? alone : `${TITLE}: ${oneLine(r.agent, 80)}`);
  // A pass with a warning (warn-below, or a rate confidence cannot place) says so on its own.
  const warned: Item[] = results
    .filter((r) => r.verdict === 'warn')
    .map((r) => ({ agent: r.agent, passed: true, message: r.warning, title: titled(r, `${TITLE}: warning`) }));
  if (decision.passed && warned.length === 0) {
    return [{ level: 'notice', message: passNotice(results), title: TITLE }];
  }
  const errors: Item[] = [];
  const notEnforced: Item[] = [];
  for (const r of results.filter((x) => !x.passed)) {
    // setFailed's own annotation carries a lone agent's reason; only a failure not enforced adds one.
    if (single && failsStep(r, settings)) continue;
    const title = single ? `${TITLE} (not enforced)` : titled(r, TITLE);
    (failsStep(r, settings) ? errors : notEnforced).push({ agent: r.agent, passed: false, message: r.reason, title });
  }
  // Failures come first: when a level is full, the warned passes are what its fold names.
  return [
    ...fold('error', errors, MAX_ANNOTATIONS - (decision.failStep ? 1 : 0)),
    ...fold('warning', [...notEnforced, ...warned], MAX_ANNOTATIONS - settings.warnings.length)
  ];
}

interface Item {
  readonly agent: string;
  readonly passed: boolean;
  readonly message: string;
  readonly title: string;
}

/** The items of one level, the last `room` one naming the rest when they do not all fit. */
function fold(level: Level, items: readonly Item[], room: number): StepAnnotation[] {
  if (items.length <= room) return items.map(({ message, title }) => ({ level, message, title }));
  const kept = items.slice(0, Math.max(0, room - 1));
  const rest = items.slice(kept.length);
  const failed = rest.filter((r) => !r.passed).map((r) => r.agent);
  const passed = rest.filter((r) => r.passed).map((r) => r.agent);
  const parts = [
    failed.length > 0 ? `${agents(failed.length)} did not pass: ${failed.join(', ')}.` : '',
    passed.length > 0 ? `${agents(passed.length)} passed with a warning: ${passed.join(', ')}.` : ''
  ].filter((part) => part !== '');
  const message = `${parts.join(' ')} See the job summary.`;
  return [...kept.map(({ message: m, title }) => ({ level, message: m, title })), { level, message, title: TITLE }];
}

function agents(n: number): string {
  return `${n} more agent${n === 1 ? '' : 's'}`;
}

/** `Run R… passed at 96% (threshold 95%).`, its window when it pooled runs, or the fleet's count. */
function passNotice(results: readonly AgentResult[]): string {
  const only = results.length === 1 ? results[0] : undefined;
  if (only === undefined) return `All ${results.length} agents passed (${thresholdsOf(results)}).`;
  const window = only.judged.window;
  const pooled = window !== undefined && window.runs.length > 1;
  // Stryker disable next-line StringLiteral: a pass always has its run and its rate; the defaults only satisfy the types.
  const [runId, rate] = [only.run?.runId ?? '', (pooled ? window.rate : only.rate) ?? ''];
  const how = pooled ? `: ${window.runs.length} runs pooled at ${rate}%` : ` at ${rate}%`;
  const early = only.early === undefined ? '' : `, ${only.early.note}`;
  return `Run ${runId} passed${how} (threshold ${only.threshold.text}%)${early}.`;
}

/** The thresholds that judged the agents: `threshold 95%`, or `thresholds 90% to 95%`. */
function thresholdsOf(results: readonly AgentResult[]): string {
  const sorted = results.map((r) => r.threshold).sort((a, b) => (isBelow(a, b) ? -1 : isBelow(b, a) ? 1 : 0));
  const [low, high] = [sorted[0]!.text, sorted.at(-1)!.text];
  return low === high ? `threshold ${low}%` : `thresholds ${low}% to ${high}%`;
}
