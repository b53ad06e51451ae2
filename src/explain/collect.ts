/**
 * Collecting one run's tasks from the pages of the agent's task list, each task once. Pure: the
 * reading loop (explain.ts) hands it each page and asks it whether to go on. A task is known by
 * its `task_id`, or without one by what it holds and its place among its like on the page, so a
 * page that repeats tasks already seen adds nothing, whatever their ids.
 */
import type { Instant } from '../values/instant.js';
import type { Malformed, Task, TasksPage } from '../unpod/tasks.js';

/**
 * A task of another run created this long before the judged run means the list has passed it.
 * The margin allows for clocks and for a run's tasks being written a moment apart from it.
 */
export const PASSED_MARGIN_NS = 60_000_000_000n;

/** What one page added, for the stop rule. */
export interface PageTaken {
  /** Items of the page not seen on an earlier page. */
  readonly fresh: number;
  /** Items of the page that belong to the run (readable or not). */
  readonly ofRun: number;
  /** Earlier pages held tasks of the run. */
  readonly hadRunBefore: boolean;
  /** The page holds a task of another run created before the run. */
  readonly passed: boolean;
}

export class RunTasks {
  private readonly mine = new Map<string, Task>();
  private readonly unreadableKeys = new Set<string>();
  private readonly skippedKeys = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly runId: string,
    private readonly created: Instant
  ) {}

  /** The run's tasks found so far, readable or not. */
  get found(): number {
    return this.mine.size + this.unreadableKeys.size;
  }

  /** Items seen on all pages, each once. */
  get read(): number {
    return this.seen.size;
  }

  /** The run's readable tasks. */
  get tasks(): Task[] {
    return [...this.mine.values()];
  }

  /** The run's tasks listed without a status the gate can read. */
  get unreadable(): number {
    return this.unreadableKeys.size;
  }

  /** Malformed items of other runs, or of no run the gate can tell, set aside. */
  get skipped(): number {
    return this.skippedKeys.size;
  }

  take(page: TasksPage): PageTaken {
    const hadRunBefore = this.found > 0;
    const keys = new Keys();
    let fresh = 0;
    let ofRun = 0;
    let passed = false;
    const visit = (key: string): boolean => {
      if (this.seen.has(key)) return false;
      this.seen.add(key);
      fresh++;
      return true;
    };
    for (const task of page.tasks) {
      const isNew = visit(task.taskId === undefined ? keys.of(fingerprint(task)) : idKey(task.runId, task.taskId));
      if (task.runId === this.runId) {
        ofRun++;
        if (isNew) this.mine.set(task.taskId ?? `anonymous #${this.seen.size}`, task);
      } else if (task.created !== undefined && task.created < this.created - PASSED_MARGIN_NS) {
        passed = true;
      }
    }
    for (const item of page.malformed) {
      const key = item.taskId === undefined ? keys.of(malformedPrint(item)) : idKey(item.runId, item.taskId);
      const isNew = visit(key);
      if (item.runId === this.runId) {
        ofRun++;
        if (isNew) this.unreadableKeys.add(key);
      } else if (isNew) {
        this.skippedKeys.add(key);
      }
    }
    return { fresh, ofRun, hadRunBefore, passed };
  }
}

/**
 * The key of an item with an id: its run and its id, since a server may number tasks within
 * each run (the example server does), and two runs' tasks must never be taken for repeats.
 */
function idKey(runId: string | undefined, taskId: string): string {
  return JSON.stringify([runId ?? null, taskId]);
}

/** Keys of items without an id: what they hold, and which of its like on the page they are. */
class Keys {
  private readonly times = new Map<string, number>();
  of(print: string): string {
    const n = (this.times.get(print) ?? 0) + 1;
    this.times.set(print, n);
    return `${print}#${n}`;
  }
}

/** What a task without an id holds; every text field is bounded by the parser, so this is too. */
function fingerprint(t: Task): string {
  return JSON.stringify([
    t.runId,
    t.status,
    t.created?.toString() ?? null,
    t.retries,
    t.lastFailureReason ?? null,
    t.callStatus ?? null,
    t.callEndReason ?? null,
    t.outcome ?? null
  ]);
}

/** What a malformed item without an id holds: its run. One element, so never a task's print. */
function malformedPrint(m: Malformed): string {
  return JSON.stringify([m.runId ?? null]);
}
