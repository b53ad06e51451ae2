/**
 * How an explanation is shown: as JSON in `results` and the report file, and as plain-text rows
 * and lines that the summary escapes and lays out. Pure functions of the result.
 */
import { mayNotHaveFinished, unfinishedNote, type Count } from '../explain/breakdown.js';
import type { AgentResult } from '../check/agent.js';

/** The `breakdown` of an agent's results entry: counts as numbers, null when the tasks were not read. */
export function breakdownJson(result: Pick<AgentResult, 'explanation' | 'run'>): Record<string, unknown> | null {
  const explanation = result.explanation;
  if (explanation === undefined) return null;
  const b = explanation.breakdown;
  const counts = (list: readonly Count[]): { label: string; count: number }[] =>
    list.map((c) => ({ label: c.label, count: c.count }));
  return {
    tasks: b.tasks,
    total_tasks: b.totalTasks ?? null,
    partial: b.partial || explanation.error !== undefined,
    pages: explanation.pages,
    by_status: counts(b.byStatus),
    not_completed: {
      count: b.notCompleted,
      call_status: counts(b.callStatus),
      call_end_reason: counts(b.callEndReason),
      last_failure_reason: counts(b.lastFailureReason)
    },
    completed: { count: b.completed, outcome: counts(b.outcome) },
    retries: b.retries,
    unfinished: b.unfinished,
    unreadable: b.unreadable,
    skipped: explanation.skipped,
    may_not_have_finished: result.run !== undefined && mayNotHaveFinished(result.run, b),
    error: explanation.error ?? null
  };
}

/** One row of the summary's breakdown table: what is counted, and the counts as text. */
export interface BreakdownRow {
  readonly what: string;
  readonly counts: readonly Count[];
}

/**
 * What the summary shows for one agent: a line on what was read, the rows of counts, and notes
 * (a partial read, a run that may not have finished, tasks that could not be read).
 */
export function breakdownView(
  result: Pick<AgentResult, 'explanation' | 'run'>
): { read: string; rows: BreakdownRow[]; notes: string[] } | undefined {
  const explanation = result.explanation;
  if (explanation === undefined) return undefined;
  const b = explanation.breakdown;
  const notes: string[] = [];
  if (explanation.error !== undefined) notes.push(explanation.error);
  if (explanation.skipped > 0) {
    const items = explanation.skipped === 1 ? 'task' : 'tasks';
    notes.push(`${explanation.skipped} malformed ${items} of other runs (or of no readable run) skipped.`);
  }
  if (result.run !== undefined && mayNotHaveFinished(result.run, b)) notes.push(unfinishedNote(b));
  const of = b.totalTasks === undefined ? '' : ` of ${b.totalTasks}`;
  const read =
    b.tasks === 0 && explanation.error !== undefined
      ? ''
      : b.partial || explanation.error !== undefined
        ? `From ${b.tasks}${of} tasks of the run (partial); ${plural(b.retries, 'retry', 'retries')} in all.`
        : `From ${b.tasks === 1 ? "the run's one task" : `all ${b.tasks} tasks of the run`}; ${plural(b.retries, 'retry', 'retries')} in all.`;
  if (b.tasks === 0) return { read, rows: [], notes };
  const rows: BreakdownRow[] = [{ what: 'Status', counts: b.byStatus }];
  if (b.notCompleted > 0) {
    const nc = `Not completed (${b.notCompleted})`;
    rows.push(
      { what: `${nc}: call status`, counts: b.callStatus },
      { what: `${nc}: call end reason`, counts: b.callEndReason },
      { what: `${nc}: last failure reason`, counts: b.lastFailureReason }
    );
  }
  if (b.completed > 0) rows.push({ what: `Completed (${b.completed}): outcome`, counts: b.outcome });
  return { read, rows, notes };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
