/** Validates the executions envelope into typed runs; anything else is a clear DataError. */
import { parseInstant, type Instant } from '../values/instant.js';
import { quote } from '../values/text.js';

/** One execution (run) as the gate relies on it. */
export interface Execution {
  /** The run's id, `R` and 32 hex digits on the real server. */
  readonly runId: string;
  /** The status as sent, e.g. `completed`; compare with `statusKey`. */
  readonly status: string;
  /** When the run was created, exactly. */
  readonly created: Instant;
  /** The counts as sent; checked only for the chosen run once it is finished. */
  readonly totalTasks: unknown;
  readonly completedTasks: unknown;
}

/** One page of the executions list. */
export interface ExecutionsPage {
  /** The envelope's `count`: executions across all pages; undefined when absent or not a count. */
  readonly count: number | undefined;
  /** This page's executions, in the order sent (which the gate does not trust). */
  readonly executions: readonly Execution[];
}

/** Control characters and line breaks: in an id or a status they are data the gate cannot rely on. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/** The API answered, but with data the gate cannot rely on. Never retried. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/**
 * Parses a 200 body's JSON value into a page; throws DataError naming the run and field. `text`
 * is applied to every string kept (the client redacts secrets with it); nothing else is walked.
 */
export function parseExecutionsPage(body: unknown, text: (value: string) => string = same): ExecutionsPage {
  if (!isRecord(body))
    throw new DataError(`The API answered with ${describe(body)} instead of a JSON object with a 'data' array.`);
  const { data, count } = body;
  if (!Array.isArray(data)) {
    throw new DataError(
      `The API's answer has ${data === undefined ? 'no' : `a non-array (${describe(data)})`} 'data' field: expected an array of executions.`
    );
  }
  const executions = data.map((item, index) => parseExecution(item, index, text));
  return { count: isCount(count) ? count : undefined, executions };
}

function parseExecution(item: unknown, index: number, text: (value: string) => string): Execution {
  const where = `execution #${index + 1}`;
  if (!isRecord(item)) throw new DataError(`The API sent ${describe(item)} as ${where}: expected an object.`);
  const kept = (value: unknown): unknown => (typeof value === 'string' ? text(value) : value);
  const runId = kept(item.run_id);
  const status = kept(item.status);
  const { created } = item;
  const totalTasks = kept(item.total_tasks);
  const completedTasks = kept(item.completed_tasks);
  if (typeof runId !== 'string' || runId.trim() === '') {
    throw new DataError(
      `The API sent ${where} without a usable 'run_id' (${describe(runId)}): expected a non-empty string.`
    );
  }
  if (CONTROL.test(runId)) {
    throw new DataError(
      `The API sent ${where} with a 'run_id' holding control characters or line breaks (${describe(runId)}): expected an id such as R followed by 32 hex digits.`
    );
  }
  const run = `run ${quote(runId)}`;
  if (typeof status !== 'string' || status.trim() === '') {
    throw new DataError(`The API sent ${run} with 'status' ${describe(status)}: expected a non-empty string.`);
  }
  if (CONTROL.test(status)) {
    throw new DataError(
      `The API sent ${run} with a 'status' holding control characters or line breaks (${describe(status)}): expected a word such as completed.`
    );
  }
  const instant = typeof created === 'string' ? parseInstant(created) : undefined;
  if (instant === undefined) {
    throw new DataError(
      `The API sent ${run} with 'created' ${describe(created)}: expected an ISO 8601 date-time such as 2026-02-07T05:57:45Z.`
    );
  }
  return { runId, status, created: instant, totalTasks, completedTasks };
}

/** The status for comparisons: trimmed, lower case. */
export function statusKey(execution: Pick<Execution, 'status'>): string {
  return execution.status.trim().toLowerCase();
}

/** Every run status the gate knows: the documented four and the server's own run states. */
export const KNOWN_STATUSES = [
  'pending',
  'scheduled',
  'running',
  'in_progress',
  'processing',
  'hold',
  'completed',
  'partially_completed',
  'failed'
] as const;

/** False for a status the gate has never heard of (`cancelled`): it cannot tell if the run ended. */
export function isKnownStatus(execution: Pick<Execution, 'status'>): boolean {
  return (KNOWN_STATUSES as readonly string[]).includes(statusKey(execution));
}

/** Statuses of a run that will not change by itself. */
export function isFinished(execution: Pick<Execution, 'status'>): boolean {
  const key = statusKey(execution);
  return key === 'completed' || key === 'partially_completed' || key === 'failed';
}

/** Valid task counts of a finished run, or a DataError naming the run and the field. */
export function taskCounts(execution: Execution): { completed: number; total: number } {
  const run = `run ${quote(execution.runId)}`;
  const total = execution.totalTasks;
  const completed = execution.completedTasks;
  if (!isCount(total)) {
    throw new DataError(`The API sent ${run} with 'total_tasks' ${describe(total)}: expected a non-negative integer.`);
  }
  if (!isCount(completed)) {
    throw new DataError(
      `The API sent ${run} with 'completed_tasks' ${describe(completed)}: expected a non-negative integer.`
    );
  }
  if (completed > total) {
    throw new DataError(
      `The API sent ${run} with 'completed_tasks' ${completed} above 'total_tasks' ${total}: the counts are inconsistent.`
    );
  }
  return { completed, total };
}

/** The counts when taskCounts would accept them, else undefined: for a run shown, not judged, on its counts. */
export function trustedCounts(execution: Execution): { completed: number; total: number } | undefined {
  const { completedTasks: completed, totalTasks: total } = execution;
  return isCount(completed) && isCount(total) && completed <= total ? { completed, total } : undefined;
}

/** The counts as far as they are known, for progress lines: `10 of 25 tasks done`. */
export function describeCounts(execution: Execution): string {
  const { completedTasks: completed, totalTasks: total } = execution;
  if (isCount(completed) && isCount(total)) return `${completed} of ${total} tasks done`;
  return 'no task counts yet';
}

function same(value: string): string {
  return value;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe description of a JSON value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quote(value, 60)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}
