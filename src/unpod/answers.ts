/**
 * What the API's answers mean to a person: the message for each status the gate does not
 * accept, and the server's own explanation in an error body. Pure: api.ts sends, retries and
 * cleans (redacts and shortens) every text it passes in here.
 */
import { formatDuration } from '../values/duration.js';
import type { NoRetry } from './retry.js';
import { quote } from '../values/text.js';

/** The two lists the gate reads; both share the client's limits, slots and error handling. */
export type Endpoint = 'executions' | 'tasks';

/** An answer the gate does not accept and does not retry. */
export interface Refused {
  readonly status: number;
  /** The status with the server's own words: `HTTP 401 "Invalid token."` (see statusText). */
  readonly shown: string;
  readonly agent: string;
  readonly orgHandle: string;
  /** The base URL's origin: a 404 that is not JSON did not come from the API. */
  readonly origin: string;
  readonly endpoint: Endpoint;
  readonly isJson: boolean;
  /** A redirect's Location header, cleaned. */
  readonly location?: string;
}

/** What a refused answer means and what to check, naming the input to fix. */
export function refusal(answer: Refused): string {
  const { status, shown, agent } = answer;
  switch (status) {
    case 206:
      return `Unpod denied access (${shown}; an error despite being 2xx): check 'org-handle' and that the token's user may see agent ${quote(agent)}.`;
    case 400:
      return `The API rejected the request (${shown}): check 'org-handle'.`;
    case 401:
      return `The API refused the token (${shown}): check 'token' (a key from Unpod, with or without its 'Token ' prefix).`;
    case 403:
      return `The API denied access (${shown}): check that the token's user may see agent ${quote(agent)} in organisation ${quote(answer.orgHandle)}.`;
    case 404:
      return answer.isJson
        ? `Agent ${quote(agent)} not found (${shown}): check 'agent-handle' and 'base-url'.`
        : `The server at ${answer.origin} has no ${answer.endpoint} endpoint (HTTP 404, not JSON)${answer.endpoint === 'tasks' ? '' : ": check 'base-url'"}.`;
  }
  if (status >= 300 && status <= 399) {
    const to = answer.location ? ` to ${quote(answer.location)}` : '';
    return `The API redirected (HTTP ${status}${to}): check 'base-url'; the gate does not follow redirects, so the token goes nowhere else.`;
  }
  if (status >= 500) return `The API is failing (${shown}).`;
  return `The API answered with an unexpected status (${shown}): success is HTTP 200.`;
}

/** `HTTP 401 "Invalid token."`, or `HTTP 401` when the server said nothing. */
export function statusText(status: number, message: string): string {
  return `HTTP ${status}${message ? ` ${quote(message)}` : ''}`;
}

/** What a retryable status (429 and the 5xx the gate retries) says of the API. */
export function retryReason(status: number, shown: string): string {
  return `${status === 429 ? 'the API is rate-limiting requests' : 'the API is failing'} (${shown})`;
}

/**
 * The server's own explanation in an error body (`message`, `detail`, `error` or
 * `error.message`, the first that is text), raw: the caller cleans it.
 */
export function serverMessage(json: unknown): string {
  if (typeof json !== 'object' || json === null) return '';
  const record = json as Record<string, unknown>;
  const error = record.error;
  const candidates = [
    record.message,
    record.detail,
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : error
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '') ?? '';
}

/**
 * The message when a page is given up on: the last attempt's reason, how many attempts were
 * made, and when the time limit rather than the retries stopped them, why.
 */
export function givenUp(reason: string, attempts: number, stop: NoRetry, retryAfterMs: number | undefined): string {
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  const problem = reason.charAt(0).toUpperCase() + reason.slice(1);
  let why = '';
  if (stop === 'past the deadline') {
    why =
      retryAfterMs === undefined
        ? `; no time was left for another attempt within the gate's time limit`
        : `; the server asked to wait ${formatDuration(retryAfterMs)}, past the gate's time limit`;
  }
  return `${problem}, after ${tries}${why}.`;
}
