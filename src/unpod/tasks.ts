/**
 * Validates the tasks envelope into typed tasks that hold only what the gate counts. Each item
 * of the real API also carries the contact (name, number, email), the transcript, the recording
 * and summaries: none of it is read here, so none of it can reach a log, a summary or a file.
 * The text fields kept are raw and bounded: explain/causes.ts decides what of them may be shown.
 * Errors name the task by position and the field by name, never by value.
 */
import { DataError } from './executions.js';
import { parseInstant, type Instant } from '../values/instant.js';

/**
 * Characters kept of each text field: enough to classify it (explain/causes.ts reads 300), and
 * a bound on the work any later step does per task, whatever the server sends.
 */
export const MAX_FIELD = 300;
/** Characters kept of an id: the real ones have 33; a longer one is cut, still compared whole. */
export const MAX_ID = 200;

/** One task (one call) as the gate keeps it. Text is raw, at most MAX_FIELD characters: never show it as is. */
export interface Task {
  /** The task's id when sent, to count a task once when pages shift. */
  readonly taskId: string | undefined;
  /** The run it belongs to, exactly as sent (compared, never shown). */
  readonly runId: string;
  /** `completed`, `failed`, `pending`, `in_progress`… as sent. */
  readonly status: string;
  /** When it was created, if sent; the list is sorted by it. */
  readonly created: Instant | undefined;
  /** Retries made (`retry_attempt`); 0 when absent. */
  readonly retries: number;
  readonly lastFailureReason: string | undefined;
  readonly callStatus: string | undefined;
  readonly callEndReason: string | undefined;
  /** `output.post_call_data.outcome`. */
  readonly outcome: string | undefined;
}

/** An item the gate cannot read as a task: what of it could be read, and the field that failed. */
export interface Malformed {
  /** Its run, when `run_id` is a non-blank string: a malformed task of the judged run still counts. */
  readonly runId: string | undefined;
  readonly taskId: string | undefined;
  /** Where it is on the page, from 1, and what is wrong, for the debug log. */
  readonly problem: string;
}

export interface TasksPage {
  /** Tasks across all pages, when the envelope says. */
  readonly count: number | undefined;
  readonly tasks: readonly Task[];
  /** Items that are not readable tasks, in page order; they do not stop the page being read. */
  readonly malformed: readonly Malformed[];
}

/**
 * Parses a 200 body's JSON value into a page of tasks. A malformed item is set aside, not
 * thrown: one bad task of another run must not hide the judged run's. Only an envelope the gate
 * cannot read is a DataError. `text` is applied to every string kept (the client redacts
 * secrets with it), after it is bounded.
 */
export function parseTasksPage(body: unknown, text: (value: string) => string = same): TasksPage {
  if (!isRecord(body)) throw new DataError(`The tasks answer is not a JSON object with a 'data' array.`);
  const { data, count } = body;
  if (!Array.isArray(data)) throw new DataError(`The tasks answer has no 'data' array.`);
  const tasks: Task[] = [];
  const malformed: Malformed[] = [];
  data.forEach((item: unknown, index) => {
    const read = parseTask(item, index, text);
    if ('problem' in read) malformed.push(read);
    else tasks.push(read);
  });
  return { count: isCount(count) ? count : undefined, tasks, malformed };
}

function parseTask(item: unknown, index: number, text: (value: string) => string): Task | Malformed {
  const where = `task #${index + 1} of the page`;
  if (!isRecord(item)) return { runId: undefined, taskId: undefined, problem: `${where} is not an object` };
  const id = (value: unknown): string | undefined =>
    typeof value === 'string' && value.trim() !== '' ? text(value.slice(0, MAX_ID)) : undefined;
  const runId = typeof item.run_id === 'string' && item.run_id.trim() !== '' ? text(item.run_id) : undefined;
  const taskId = id(item.task_id);
  if (runId === undefined) return { runId, taskId, problem: `${where} has no string 'run_id'` };
  const field = (value: unknown): string | undefined =>
    typeof value === 'string' && value.trim() !== '' ? text(value.slice(0, MAX_FIELD)) : undefined;
  const status = field(item.status);
  if (status === undefined) return { runId, taskId, problem: `${where} has no string 'status'` };
  const output = isRecord(item.output) ? item.output : {};
  const postCall = isRecord(output.post_call_data) ? output.post_call_data : {};
  return {
    taskId,
    runId,
    status,
    created: typeof item.created === 'string' ? parseInstant(item.created.slice(0, 100)) : undefined,
    retries: isCount(item.retry_attempt) ? item.retry_attempt : 0,
    lastFailureReason: field(item.last_failure_reason),
    callStatus: field(output.call_status),
    callEndReason: field(output.call_end_reason),
    outcome: field(postCall.outcome)
  };
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
