/**
 * decide-early: while the gate waits for a run, each poll is judged as if every task not yet done
 * will fail. Every rule gets no worse as more of a run's tasks complete (a property test proves
 * it), so a pass of those pessimistic counts is final. Only a pass: Unpod retries failed tasks,
 * so a failure is never certain before the run ends. Pure: runs in, decision out.
 */
import { isFinished, isKnownStatus, trustedCounts, type Execution } from '../unpod/executions.js';
import { judgeCounts, type Rules, type Verdict } from './judge.js';

/** A pass decided before the run finished. */
export interface EarlyPass {
  /** The verdict of the pessimistic counts: a pass. */
  readonly verdict: Verdict;
  /** The run's status at the poll that decided it, as sent. */
  readonly status: string;
  readonly completed: number;
  readonly total: number;
  /** `decided early: 24 of 25 done; even if the last task fails, 96% ≥ 95%` */
  readonly note: string;
}

/**
 * The early pass of `run` when its counts as they stand already pass every rule, pooled with the
 * finished `runs` before it as usual; undefined while the outcome is open. The bound assumes the
 * run's total is fixed once its tasks exist, and a fresh run can show 0 first: so `previous`, the
 * same run at the poll before, must show the same positive total. A run with a status the gate
 * does not know, or a finished one, is left to the usual judgement. Throws DataError when a
 * pooled run's counts cannot be trusted, as judging at the end would.
 */
export function decideEarly(
  run: Execution,
  previous: Execution,
  rules: Rules,
  now: number,
  runs: readonly Execution[] = []
): EarlyPass | undefined {
  if (isFinished(run) || !isKnownStatus(run)) return undefined;
  const counts = trustedCounts(run);
  if (counts === undefined || counts.total === 0 || trustedCounts(previous)?.total !== counts.total) return undefined;
  const verdict = judgeCounts(run, rules, now, runs);
  if (verdict.verdict !== 'pass') return undefined;
  return { verdict, status: run.status, ...counts, note: earlyNote(verdict, counts, rules) };
}

/** What made the pass certain, in the words of the rule that needed it most. */
function earlyNote(verdict: Verdict, counts: { completed: number; total: number }, rules: Rules): string {
  const { completed, total } = counts;
  const left = total - completed;
  const window = verdict.window;
  const pooled = window !== undefined && window.runs.length > 1;
  const rate = `${(pooled ? window.rate : verdict.rate) ?? ''}%`;
  const whose = pooled ? `the ${window.runs.length} runs pooled give ${rate}` : rate;
  const given =
    left === 0
      ? `all ${total} tasks done`
      : `${completed} of ${total} done; even if the last ${left === 1 ? 'task fails' : `${left} tasks fail`}`;
  const interval = verdict.interval;
  const proven =
    interval === undefined ? '' : `, and at ${interval.confidence}% confidence the rate is at least ${interval.low}%`;
  return `decided early: ${given}, ${whose} ≥ ${rules.threshold.text}%${proven}`;
}
