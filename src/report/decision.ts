/**
 * What the results decide: whether the gate passed, why not, whether the step fails, and each
 * agent's mark. Pure functions of the results and the settings.
 */
import type { AgentResult } from '../check/agent.js';
import type { Settings } from '../settings/inputs.js';
import { passMark } from './judgement.js';

export interface Decision {
  /** Every agent passed. */
  readonly passed: boolean;
  /** Why the gate did not pass (naming each failing agent when there are several); empty when it passed. */
  readonly reason: string;
  /** The step must fail: an enforced breach, a configuration or data error, or an unreachable API with on-api-error fail. */
  readonly failStep: boolean;
  /** No agent failed but for an unreachable API that on-api-error: warn tolerates. */
  readonly undecided: boolean;
  /**
   * What the step's own failure annotation says: the reason for one agent; for several, which
   * agents failed (each has its own annotation with its reason).
   */
  readonly headline: string;
}

/** Names listed in a fleet's headline before "and N more". */
const HEADLINE_NAMES = 10;

/** Whether this agent's failure fails the step under the settings. */
export function failsStep(result: AgentResult, settings: Pick<Settings, 'enforce' | 'onApiError'>): boolean {
  switch (result.failure) {
    case undefined:
      return false;
    case 'breach':
      return settings.enforce;
    case 'unavailable':
      return settings.onApiError === 'fail';
    default:
      return true;
  }
}

export function decide(
  results: readonly AgentResult[],
  settings: Pick<Settings, 'enforce' | 'onApiError' | 'summary'>
): Decision {
  const failing = results.filter((r) => !r.passed);
  const failStep = failing.some((r) => failsStep(r, settings));
  const undecided = failing.length > 0 && !failStep && failing.every((r) => r.failure === 'unavailable');
  let reason = '';
  let headline = '';
  if (results.length === 1) {
    reason = failing[0]?.reason ?? '';
    headline = reason;
  } else if (failing.length > 0) {
    const count = `${failing.length} of ${results.length} agents did not pass the gate`;
    reason = `${count}. ${failing.map((r) => `${r.agent}: ${r.reason}`).join(' ')}`;
    const names = failing.slice(0, HEADLINE_NAMES).map((r) => r.agent);
    const more = failing.length > HEADLINE_NAMES ? ` and ${failing.length - HEADLINE_NAMES} more` : '';
    const why = settings.summary ? 'The job summary says why.' : "Each agent's annotation says why.";
    headline = `${count}: ${names.join(', ')}${more}. ${why}`;
  }
  return { passed: failing.length === 0, reason, failStep, undecided, headline };
}

/** The agent's mark: ✅ passed, ⚠️ passed with a warning or failed without failing the step, ❌ failed it. */
export function mark(result: AgentResult, settings: Pick<Settings, 'enforce' | 'onApiError'>): string {
  if (result.passed) return passMark(result);
  return failsStep(result, settings) ? '❌' : '⚠️';
}
