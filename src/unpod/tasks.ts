/**
 * Validates the tasks envelope into typed tasks that hold only what the gate counts. Each item
 * of the real API also carries the contact (name, number, email), the transcript, the recording
 * and summaries: none of it is read here, so none of it can reach a log, a summary or a file.
 * Errors name the task by position and the field by name, never by value.
 */
import { DataError } from './executions.js';
import { parseInstant, type Instant } from '../values/instant.js';
import { scrub } from './privacy.js';

/** One task (one call) as the gate keeps it; every string is scrubbed and one line. */
export interface Task {
  /** The task's id when sent, to count a task once when pages shift. */
  readonly taskId: string | undefined;
  /** The run it belongs to, exactly as sent (compared, never shown). */
  readonly runId: string;
  /** `completed`, `failed`, `pending`, `in_progress`… as sent, scrubbed. */
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

export interface TasksPage {
  /** Tasks across all pages, when the envelope says. */
  readonly count: number | undefined;
  readonly tasks: readonly Task[];
}

/** Parses a 200 body's JSON value into a page of tasks; throws DataError naming the field. */
export function parseTasksPage(body: unknown): TasksPage {
  if (!isRecord(body)) throw new DataError(`The tasks answer is not a JSON object with a 'data' array.`);
  const { data, count } = body;
  if (!Array.isArray(data)) throw new DataError(`The tasks answer has no 'data' array.`);
  return { count: isCount(count) ? count : undefined, tasks: data.map(parseTask) };
}

function parseTask(item: unknown, index: number): Task {
  const where = `task #${index + 1} of the page`;
  if (!isRecord(item)) throw new DataError(`The tasks answer sent ${where} as something other than an object.`);
  const runId = item.run_id;
  if (typeof runId !== 'string' || runId.trim() === '') {
    throw new DataError(`The tasks answer sent ${where} without a string 'run_id'.`);
  }
  const status = label(item.status);
  if (status === undefined) throw new DataError(`The tasks answer sent ${where} without a string 'status'.`);
  const output = isRecord(item.output) ? item.output : {};
  const postCall = isRecord(output.post_call_data) ? output.post_call_data : {};
  const taskId = item.task_id;
  return {
    taskId: typeof taskId === 'string' && taskId !== '' ? taskId : undefined,
    runId,
    status,
    created: typeof item.created === 'string' ? parseInstant(item.created) : undefined,
    retries: isCount(item.retry_attempt) ? item.retry_attempt : 0,
    lastFailureReason: label(item.last_failure_reason),
    callStatus: label(output.call_status),
    callEndReason: label(output.call_end_reason),
    outcome: label(postCall.outcome)
  };
}

/** A free-text field as a scrubbed label, or undefined when absent, empty or not text. */
function label(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = scrub(value);
  return text === '' ? undefined : text;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
