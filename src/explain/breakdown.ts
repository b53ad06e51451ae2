/**
 * Why a run's tasks did not complete, counted from the tasks themselves. Pure: tasks in,
 * counts out; every label is already scrubbed by the task parser.
 */
import { statusKey, type Execution } from '../unpod/executions.js';
import type { Task } from '../unpod/tasks.js';

/** How many distinct values each count keeps before the rest are summed as OTHER. */
export const TOP = 5;
/** The label of the rest, beyond the top TOP. */
export const OTHER = '(other)';
/** The label of tasks without the field (a task never called has no call status). */
export const NONE = '(none)';

/** Task states that are not over yet: the run cannot have finished while a task is in one. */
const UNFINISHED = new Set(['pending', 'scheduled', 'in_progress', 'processing', 'hold', 'running', 'queued']);

export interface Count {
  readonly label: string;
  readonly count: number;
}

export interface Breakdown {
  /** The run's tasks that were read, each once. */
  readonly tasks: number;
  /** The run's `total_tasks`, when it is a count. */
  readonly totalTasks: number | undefined;
  /** Fewer tasks were read than the run has. */
  readonly partial: boolean;
  readonly byStatus: readonly Count[];
  /** Tasks whose status is not `completed`, and what their calls say. */
  readonly notCompleted: number;
  readonly callStatus: readonly Count[];
  readonly callEndReason: readonly Count[];
  readonly lastFailureReason: readonly Count[];
  /** Tasks whose status is `completed`, and their post-call outcomes. */
  readonly completed: number;
  readonly outcome: readonly Count[];
  /** Sum of `retry_attempt` over the tasks read. */
  readonly retries: number;
  /** Tasks still pending or in progress. */
  readonly unfinished: number;
}

const key = (status: string): string => status.trim().toLowerCase();

/** Whether a task's status means it is not over yet. */
export function isUnfinishedTask(task: Pick<Task, 'status'>): boolean {
  return UNFINISHED.has(key(task.status));
}

/** Counts the run's tasks; `totalTasks` is the run's own count, to tell a partial read. */
export function breakdown(tasks: readonly Task[], totalTasks: number | undefined): Breakdown {
  const completed = tasks.filter((t) => key(t.status) === 'completed');
  const missed = tasks.filter((t) => key(t.status) !== 'completed');
  return {
    tasks: tasks.length,
    totalTasks,
    partial: totalTasks !== undefined && tasks.length < totalTasks,
    byStatus: top(tasks.map((t) => t.status)),
    notCompleted: missed.length,
    callStatus: top(missed.map((t) => t.callStatus)),
    callEndReason: top(missed.map((t) => t.callEndReason)),
    lastFailureReason: top(missed.map((t) => t.lastFailureReason)),
    completed: completed.length,
    outcome: top(completed.map((t) => t.outcome)),
    retries: tasks.reduce((sum, t) => sum + t.retries, 0),
    unfinished: tasks.filter(isUnfinishedTask).length
  };
}

/** The most frequent labels, most frequent first (ties by label), the rest summed as OTHER. */
export function top(labels: readonly (string | undefined)[], limit = TOP): Count[] {
  // Counted in label order, so the stable sort by count leaves ties by label.
  const counts = new Map<string, number>();
  for (const name of labels.map((label) => label ?? NONE).sort()) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const sorted = [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
  if (sorted.length <= limit) return sorted;
  const rest = sorted.slice(limit).reduce((sum, c) => sum + c.count, 0);
  return [...sorted.slice(0, limit), { label: OTHER, count: rest }];
}

/**
 * The largest single cause among the tasks not completed, as a clause for the reason:
 * `of the 2 tasks not completed, 2 ended no_answer`. Empty when there is nothing to name.
 */
export function causeClause(b: Breakdown): string {
  const named = (counts: readonly Count[]): Count | undefined =>
    counts.find((c) => c.label !== NONE && c.label !== OTHER);
  // What the calls say comes first; the task status only when no call says anything.
  const causes: { count: Count | undefined; say: (label: string, n: number) => string }[] = [
    { count: named(b.callEndReason), say: (l) => `ended ${l}` },
    { count: named(b.lastFailureReason), say: (l) => `failed with ${l}` },
    { count: named(b.callStatus), say: (l) => `had call status ${l}` }
  ];
  let best: { count: Count; say: (label: string, n: number) => string } | undefined;
  for (const c of causes) {
    if (c.count !== undefined && (best === undefined || c.count.count > best.count.count)) {
      best = { count: c.count, say: c.say };
    }
  }
  const status = named(b.byStatus.filter((c) => key(c.label) !== 'completed'));
  if (best === undefined && status !== undefined) {
    best = { count: status, say: (l, n) => `${n === 1 ? 'is' : 'are'} ${l}` };
  }
  if (best === undefined) return '';
  const among = b.partial ? ` among the ${b.tasks} read` : '';
  const tasks = b.notCompleted === 1 ? 'task' : 'tasks';
  return `of the ${b.notCompleted} ${tasks} not completed${among}, ${best.count.count} ${best.say(bare(best.count.label), best.count.count)}`;
}

/** A label as is when it is a plain word (`no_answer`), else quoted. */
function bare(label: string): string {
  return /^[\w.-]+$/u.test(label) ? label : JSON.stringify(label);
}

/**
 * The server sets a run `completed` each time one of its tasks completes, so a `completed` run
 * with tasks still pending or in progress may not have finished at all.
 */
export function mayNotHaveFinished(run: Pick<Execution, 'status'>, b: Breakdown): boolean {
  return statusKey(run) === 'completed' && b.unfinished > 0;
}

/** The sentence that says so, for the reason and the summary. */
export function unfinishedNote(b: Breakdown): string {
  const tasks = b.unfinished === 1 ? '1 of its tasks is' : `${b.unfinished} of its tasks are`;
  return `The run may not have finished yet: ${tasks} still pending or in progress, though the API calls it completed.`;
}
