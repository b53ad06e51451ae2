/**
 * Why a run's tasks did not complete, counted from the tasks themselves. Pure: tasks in,
 * counts out. Every label counted is a code, or one of the gate's own (causes.ts): the tasks'
 * free text is classified here and never passed on.
 */
import { statusKey, type Execution } from '../unpod/executions.js';
import type { Task } from '../unpod/tasks.js';
import { FREE_TEXT, shownLabel } from './causes.js';
import { isCode } from '../values/code.js';

/** How many distinct values each count keeps before the rest are summed as OTHER. */
export const TOP = 5;
/** The label of the rest, beyond the top TOP. */
export const OTHER = '(other)';
/** The label of tasks without the field (a task never called has no call status). */
export const NONE = '(none)';
/** The status label of the run's tasks that the gate could not read (a task without a status). */
export const UNREADABLE = '(unreadable)';

/** Task states that are not over yet: the run cannot have finished while a task is in one. */
const UNFINISHED = new Set(['pending', 'scheduled', 'in_progress', 'processing', 'hold', 'running', 'queued']);

export interface Count {
  readonly label: string;
  readonly count: number;
}

export interface Breakdown {
  /** The run's tasks that were read, each once, unreadable ones included. */
  readonly tasks: number;
  /** The run's tasks that were listed but could not be read (counted as UNREADABLE in byStatus). */
  readonly unreadable: number;
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

/**
 * Counts the run's tasks; `totalTasks` is the run's own count, to tell a partial read, and
 * `unreadable` the run's tasks listed but not readable (counted in the status only).
 */
export function breakdown(tasks: readonly Task[], totalTasks: number | undefined, unreadable = 0): Breakdown {
  const completed = tasks.filter((t) => key(t.status) === 'completed');
  const missed = tasks.filter((t) => key(t.status) !== 'completed');
  const read = tasks.length + unreadable;
  const unread: string[] = Array.from({ length: unreadable }, () => UNREADABLE);
  return {
    tasks: read,
    unreadable,
    totalTasks,
    partial: totalTasks !== undefined && read < totalTasks,
    byStatus: top([...tasks.map((t) => shownLabel(t.status)), ...unread]),
    notCompleted: missed.length,
    callStatus: top(missed.map((t) => shownLabel(t.callStatus))),
    callEndReason: top(missed.map((t) => shownLabel(t.callEndReason))),
    lastFailureReason: top(missed.map((t) => shownLabel(t.lastFailureReason))),
    completed: completed.length,
    outcome: top(completed.map((t) => shownLabel(t.outcome))),
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
 * `of the 2 tasks not completed, 2 ended no_answer`. Empty when there is nothing to name. Only a
 * code or the causes of the gate's vocabulary are named, never the tasks' text.
 */
export function causeClause(b: Breakdown): string {
  const named = (counts: readonly Count[]): Count | undefined => counts.find((c) => nameable(c.label) !== undefined);
  // What the calls say comes first; the task status only when no call says anything. `code`
  // tells a code shown as sent from causes the gate read in free text.
  type Say = (what: string, n: number, code: boolean) => string;
  const causes: { count: Count | undefined; say: Say }[] = [
    { count: named(b.callEndReason), say: (w, _n, code) => (code ? `ended ${w}` : `ended for a reason read as ${w}`) },
    {
      count: named(b.lastFailureReason),
      say: (w, _n, code) => (code ? `failed with ${w}` : `failed with a reason read as ${w}`)
    },
    {
      count: named(b.callStatus),
      say: (w, _n, code) => (code ? `had call status ${w}` : `had a call status read as ${w}`)
    }
  ];
  let best: { count: Count; say: Say } | undefined;
  for (const c of causes) {
    if (c.count !== undefined && (best === undefined || c.count.count > best.count.count)) {
      best = { count: c.count, say: c.say };
    }
  }
  const status = named(b.byStatus.filter((c) => key(c.label) !== 'completed'));
  if (best === undefined && status !== undefined) {
    best = {
      count: status,
      say: (w, n, code) =>
        code ? `${n === 1 ? 'is' : 'are'} ${w}` : `${n === 1 ? 'has' : 'have'} a status read as ${w}`
    };
  }
  if (best === undefined) return '';
  const among = b.partial ? ` among the ${b.tasks} read` : '';
  const tasks = b.notCompleted === 1 ? 'task' : 'tasks';
  const { label, count } = best.count;
  return `of the ${b.notCompleted} ${tasks} not completed${among}, ${count} ${best.say(nameable(label) ?? '', count, isCode(label))}`;
}

/**
 * What a label says in the reason: a code as it is, the causes of a `(free text: …)` label, and
 * nothing for the labels that name no cause: (none), (other), (free text) and (unreadable).
 */
function nameable(label: string): string | undefined {
  if (isCode(label)) return label;
  const prefix = `${FREE_TEXT.slice(0, -1)}: `;
  return label.startsWith(prefix) ? label.slice(prefix.length, -1) : undefined;
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
