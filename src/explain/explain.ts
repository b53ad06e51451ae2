/**
 * Reading a judged run's tasks to explain it. The tasks endpoint lists every task of the agent,
 * newest first, across all runs; this reads pages only until the list has passed the run's
 * tasks, and turns what it read into a breakdown. A failure to read becomes a sentence on the
 * explanation, never an exception: the explanation never changes a verdict.
 */
import { ApiError, TASKS_PAGE_SIZE, type UnpodApi } from '../unpod/client.js';
import { Cancelled } from '../unpod/cancel.js';
import { breakdown, type Breakdown } from './breakdown.js';
import { DataError, type Execution } from '../unpod/executions.js';
import type { ExplainMode } from '../settings/inputs.js';
import type { Instant } from '../values/instant.js';
import { RunTasks } from './collect.js';

/** Why reading stopped, for the debug log and the tests. */
export type StopReason =
  | 'all found'
  | 'passed the run'
  | 'empty page'
  | 'short page'
  | 'count reached'
  | 'page repeated'
  | 'no more pages'
  | 'max-pages'
  | 'error'
  | 'cut short';

export interface Explanation {
  /** The counts over the tasks read (all of them when not `partial`). */
  readonly breakdown: Breakdown;
  /**
   * Why the tasks could not be (fully) read, as a sentence; undefined when they could. The
   * reading may be cut short (step-timeout): it then says it could not finish.
   */
  readonly error: string | undefined;
  /** Task pages read. */
  readonly pages: number;
  /** Malformed tasks of other runs (or of no run the gate can tell) set aside. */
  readonly skipped: number;
  readonly stop: StopReason;
}

/** Reads the run's tasks (at most `maxPages` pages) and counts them. */
export async function explainRun(
  api: Pick<UnpodApi, 'fetchTasksPage'>,
  agent: string,
  run: Pick<Execution, 'runId' | 'created' | 'totalTasks'>,
  maxPages: number
): Promise<Explanation> {
  const total = isCount(run.totalTasks) ? run.totalTasks : undefined;
  const { tasks, pages, stop, error } = await readRunTasks(api, agent, run.runId, run.created, total, maxPages);
  return { breakdown: breakdown(tasks.tasks, total, tasks.unreadable), error, pages, stop, skipped: tasks.skipped };
}

async function readRunTasks(
  api: Pick<UnpodApi, 'fetchTasksPage'>,
  agent: string,
  runId: string,
  created: Instant,
  total: number | undefined,
  maxPages: number
): Promise<{ tasks: RunTasks; pages: number; stop: StopReason; error?: string }> {
  const mine = new RunTasks(runId, created);
  let fullLength = TASKS_PAGE_SIZE;
  for (let number = 1; ; number++) {
    let page;
    try {
      page = await api.fetchTasksPage(agent, number);
    } catch (error) {
      if (error instanceof Cancelled) {
        const read = number === 1 ? 'no page of them was read' : `${plural(number - 1, 'page')} read`;
        return {
          tasks: mine,
          pages: number - 1,
          stop: 'cut short',
          error: `Reading the run's tasks could not finish within ${error.limit}: ${read}. The verdict does not depend on them.`
        };
      }
      // Django REST Framework answers a page past the end with 404 "Invalid page.".
      if (number > 1 && error instanceof ApiError && error.status === 404) {
        return { tasks: mine, pages: number - 1, stop: 'no more pages' };
      }
      if (!(error instanceof ApiError || error instanceof DataError)) throw error;
      const where = number === 1 ? '' : ` (stopped at page ${number})`;
      return {
        tasks: mine,
        pages: number - 1,
        stop: 'error',
        // The gate's own words: the tasks endpoint's messages and redirects are never quoted.
        error: `The run's tasks could not be read${where}: ${error.message}`
      };
    }
    const length = page.tasks.length + page.malformed.length;
    if (number === 1) fullLength = Math.max(1, length);
    const taken = mine.take(page);
    const stop = stopReason({
      ...taken,
      found: mine.found,
      total,
      length,
      fullLength,
      read: mine.read,
      count: page.count,
      number,
      maxPages
    });
    if (stop !== undefined) return { tasks: mine, pages: number, stop };
  }
}

/** The stop rule after a page, or undefined to read the next page. */
export function stopReason(p: {
  found: number;
  total: number | undefined;
  /** Earlier pages held tasks of the run. */
  hadRunBefore: boolean;
  /** This page's tasks of the run. */
  ofRun: number;
  /** This page holds a task of another run created before the run. */
  passed: boolean;
  length: number;
  fullLength: number;
  fresh: number;
  read: number;
  count: number | undefined;
  number: number;
  maxPages: number;
}): StopReason | undefined {
  if (p.total !== undefined && p.found >= p.total) return 'all found';
  if (p.length === 0) return 'empty page';
  if (p.passed || (p.hadRunBefore && p.ofRun === 0)) return 'passed the run';
  if (p.length < p.fullLength) return 'short page';
  if (p.fresh === 0) return 'page repeated';
  if (p.count !== undefined && p.read >= p.count) return 'count reached';
  if (p.number >= p.maxPages) return 'max-pages';
  return undefined;
}

/** Whether to explain a judged run under `explain`. */
export function wantsExplanation(mode: ExplainMode, passed: boolean): boolean {
  return mode === 'always' || (mode === 'on-failure' && !passed);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
