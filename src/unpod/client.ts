/**
 * The Unpod executions API: request building, retries, error classification and pagination.
 * Every failure becomes an ApiError (or a DataError for bodies the gate cannot rely on) whose
 * message a person can act on, with secrets redacted.
 */
import { givenUp, refusal, retryReason, serverMessage, statusText, type Endpoint } from './answers.js';
import { DataError, parseExecutionsPage, type Execution, type ExecutionsPage } from './executions.js';
import { parseTasksPage, type TasksPage } from './tasks.js';
import { formatDuration } from '../values/duration.js';
import { TransportError, type HttpResponse, type Transport } from './transport.js';
import { isRetryableStatus, nextDelay, parseRetryAfter, retryBudgetMs } from './retry.js';
import { Slots } from './slots.js';
import { Cancelled, sleep } from './cancel.js';
import { oneLine, quote, redact, secretPattern } from '../values/text.js';
import { tooDeep, type JsonPath } from '../values/json.js';
import { isCode } from '../values/code.js';
import { USER_AGENT } from './version.js';

/** Executions asked for per page: the latest run and a useful history in one request. */
export const PAGE_SIZE = 50;
/** Tasks asked for per page: the server's default is 20 and it sets no maximum. */
export const TASKS_PAGE_SIZE = 50;
/**
 * Levels of nesting accepted in an answer (the envelope is level 1): a task's outcome is at level
 * 5, a transcript's turns at 6. Anything deeper is data the gate cannot rely on.
 */
export const MAX_DEPTH = 64;

/** A parser of a 200 body's JSON value; `text` redacts secrets from each string it keeps. */
type Parse<T> = (json: unknown, text: (value: string) => string) => T;

/**
 * `config`: the request is wrong (token, org, agent, base URL) and retrying cannot help.
 * `unavailable`: the API stayed unreachable, slow, rate-limited or failing after every retry.
 */
export type ApiErrorKind = 'config' | 'unavailable';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly kind: ApiErrorKind,
    /** The last HTTP status, when there was an answer. */
    readonly status?: number,
    /** How long the server last asked the gate to wait, when it did. */
    readonly retryAfterMs?: number
  ) {
    super(message);
  }
}

export interface ApiOptions {
  readonly baseUrl: string;
  readonly authorization: string;
  readonly orgHandle: string;
  readonly secrets: readonly string[];
  readonly requestTimeoutMs: number;
  readonly retries: number;
  readonly maxPages: number;
  /** Requests in flight at most, across all agents. */
  readonly concurrency: number;
}

/** Where the client reports: a line per retry, and details for debugging. */
export interface ApiLog {
  info(line: string): void;
  debug(line: string): void;
}

/** Time and chance, passed in so that retries can be reasoned about. */
export interface Clock {
  now(): number;
  /** Waits `ms`; rejects with Cancelled, leaving no timer, when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
  random: () => Math.random()
};

/** What a search for one run by id found. */
export interface RunSearch {
  readonly execution: Execution | undefined;
  /** Distinct executions looked at. */
  readonly searched: number;
  /** The number of the last page looked at. */
  readonly pages: number;
  /** The page the run was on, when found. */
  readonly page: number | undefined;
}

/** What a scan of the executions pages read. */
export interface Scan {
  /** Distinct executions, in the order read. */
  readonly executions: readonly Execution[];
  /** The number of the last page looked at. */
  readonly pages: number;
  /** The page where `enough` was satisfied; undefined when the pages ran out first. */
  readonly stoppedAt: number | undefined;
}

export class UnpodApi {
  /** Requests sent, retries included. */
  requests = 0;
  /** The time limit of one page request with its retries. */
  readonly budgetMs: number;
  private readonly slots: Slots;

  constructor(
    private readonly options: ApiOptions,
    private readonly transport: Pick<Transport, 'get'>,
    private readonly log: ApiLog,
    private readonly clock: Clock = systemClock,
    /** Cuts every request short, queued, in flight or backing off: it then rejects with Cancelled. */
    private readonly signal?: AbortSignal
  ) {
    this.budgetMs = retryBudgetMs(options.retries, options.requestTimeoutMs);
    this.slots = new Slots(options.concurrency);
  }

  /** The executions URL for an agent; the handle is always one encoded path segment. */
  executionsUrl(agent: string, page: number): string {
    return this.listUrl('executions', agent, page, PAGE_SIZE);
  }

  /** The tasks URL for an agent: every task of every run, newest first. */
  tasksUrl(agent: string, page: number): string {
    return this.listUrl('tasks', agent, page, TASKS_PAGE_SIZE);
  }

  private listUrl(endpoint: Endpoint, agent: string, page: number, size: number): string {
    const path = `/api/v2/platform/agents/${encodeURIComponent(agent)}/${endpoint}/`;
    return `${this.options.baseUrl}${path}?page=${page}&page_size=${size}`;
  }

  /** One page of an agent's tasks, with the same limits, retries and errors as `fetchPage`. */
  fetchTasksPage(agent: string, page: number): Promise<TasksPage> {
    return this.fetchList(this.tasksUrl(agent, page), agent, page, 'tasks', parseTasksPage);
  }

  /**
   * One page of an agent's executions, retrying what is worth retrying. The page has a time
   * limit, `budgetMs` from its first attempt: every attempt at its full request-timeout with
   * backoff between; a wait that would leave no room for a full attempt is not made. Requests
   * of all agents share `concurrency` slots; waiting for a slot does not count, and a backoff
   * does not hold one.
   */
  fetchPage(agent: string, page: number): Promise<ExecutionsPage> {
    return this.fetchList(this.executionsUrl(agent, page), agent, page, 'executions', parseExecutionsPage);
  }

  private async fetchList<T>(
    url: string,
    agent: string,
    page: number,
    endpoint: Endpoint,
    parse: Parse<T>
  ): Promise<T> {
    const what = `${quote(agent)} ${endpoint === 'tasks' ? 'tasks ' : ''}page ${page}`;
    let deadline = Number.POSITIVE_INFINITY;
    for (let attempt = 1; ; attempt++) {
      const queued = this.clock.now();
      const outcome = await this.slots.use(() => {
        const now = this.clock.now();
        // The limit starts with the first attempt; time spent queueing for a slot is not counted.
        deadline = attempt === 1 ? now + this.budgetMs : deadline + (now - queued);
        return this.attempt(url, agent, deadline, endpoint, parse);
      }, this.signal);
      if (!('retry' in outcome)) return outcome.page;
      const delay = nextDelay({
        retry: attempt,
        retries: this.options.retries,
        retryAfterMs: outcome.retryAfterMs,
        now: this.clock.now(),
        deadline,
        attemptMs: this.options.requestTimeoutMs,
        random: () => this.clock.random()
      });
      if (typeof delay !== 'number') {
        const message = givenUp(outcome.retry, attempt, delay, outcome.retryAfterMs);
        throw new ApiError(message, 'unavailable', outcome.status, outcome.retryAfterMs);
      }
      this.log.info(
        `Attempt ${attempt} of ${this.options.retries + 1} for ${what} failed: ${outcome.retry}; retrying in ${formatDuration(delay)}.`
      );
      await this.clock.sleep(delay, this.signal);
    }
  }

  /**
   * Looks for `runId` from page `start` (already fetched) onwards; see `scan` for where it stops.
   */
  async findRun(agent: string, runId: string, start: { page: ExecutionsPage; number: number }): Promise<RunSearch> {
    const scan = await this.scan(agent, start, (_read, page) => page.some((e) => e.runId === runId));
    const execution = scan.executions.find((e) => e.runId === runId);
    return { execution, searched: scan.executions.length, pages: scan.pages, page: scan.stoppedAt };
  }

  /**
   * Reads executions from page `start` (already fetched) onwards, a whole page at a time, until
   * `enough` says so after a page (given every distinct run read so far and that page as sent),
   * stopping early at an empty or short page, at `count`, at a page with no run not seen
   * before (a server ignoring `page`), at a 404 past the first page (Django REST Framework's
   * "Invalid page."), or at `max-pages`. The order within a page is not trusted, so a page is
   * never left half read.
   */
  async scan(
    agent: string,
    start: { page: ExecutionsPage; number: number },
    enough: (read: readonly Execution[], page: readonly Execution[]) => boolean
  ): Promise<Scan> {
    const seen = new Set<string>();
    const executions: Execution[] = [];
    const fullLength = start.page.executions.length;
    let page = start.page;
    for (let number = start.number; ; number++) {
      const known = seen.size;
      for (const execution of page.executions) {
        if (seen.has(execution.runId)) continue;
        seen.add(execution.runId);
        executions.push(execution);
      }
      if (enough(executions, page.executions)) return { executions, pages: number, stoppedAt: number };
      // An empty page is one with no run not seen before.
      const done =
        page.executions.length < fullLength ||
        seen.size === known ||
        (page.count !== undefined && seen.size >= page.count) ||
        number >= this.options.maxPages;
      if (done) return { executions, pages: number, stoppedAt: undefined };
      try {
        page = await this.fetchPage(agent, number + 1);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          return { executions, pages: number, stoppedAt: undefined };
        }
        throw error;
      }
    }
  }

  private async attempt<T>(
    url: string,
    agent: string,
    deadline: number,
    endpoint: Endpoint,
    parse: Parse<T>
  ): Promise<{ page: T } | { retry: string; retryAfterMs?: number; status?: number }> {
    const timeoutMs = Math.max(1, Math.min(this.options.requestTimeoutMs, deadline - this.clock.now()));
    const started = this.clock.now();
    let response: HttpResponse;
    this.requests++;
    try {
      response = await this.transport.get(url, {
        timeoutMs,
        ...(this.signal ? { signal: this.signal } : {}),
        headers: {
          Authorization: this.options.authorization,
          'Org-Handle': this.options.orgHandle,
          Accept: 'application/json',
          'User-Agent': USER_AGENT
        }
      });
    } catch (error) {
      if (error instanceof Cancelled) throw error;
      if (error instanceof TransportError && error.kind === 'too-large') {
        throw new DataError(`The API's answer for ${quote(agent)} was refused: ${error.message}.`);
      }
      if (error instanceof TransportError && error.kind === 'tls') {
        this.log.debug(`GET ${url}: TLS refused after ${this.clock.now() - started} ms; not retried.`);
        throw new ApiError(this.clean(error.message, 400), 'config');
      }
      if (error instanceof TransportError && error.kind === 'proxy') {
        throw new ApiError(`${this.clean(error.message)}: fix the runner's proxy variables.`, 'config');
      }
      const detail = error instanceof Error ? error.message : String(error);
      this.log.debug(`GET ${url}: no answer after ${this.clock.now() - started} ms (${this.clean(detail)}).`);
      return { retry: `the request to ${this.safeOrigin()} failed: ${this.clean(detail)}` };
    }
    this.log.debug(
      `GET ${url}: HTTP ${response.status}, ${response.body.length} bytes in ${this.clock.now() - started} ms.`
    );
    // Secrets the server echoes back are redacted where its text is used: in the parsed data
    // (parseBody) and in its message (serverMessage, via clean).
    const { status } = response;
    if (status === 200) return { page: this.parseBody(response, agent, endpoint, parse) };
    const json = parseJson(response.body);
    // A tasks error body may quote a contact, which no filter can tell from a word: its
    // message is not shown; the status says enough.
    const said = serverMessage(json);
    const message = endpoint === 'tasks' ? '' : this.clean(said, 160);
    const shown = statusText(status, message);
    if (isRetryableStatus(status)) {
      const retryAfterMs = parseRetryAfter(headerValue(response, 'retry-after'), this.clock.now());
      return { retry: retryReason(status, shown), retryAfterMs, status };
    }
    // A redirect's target is the server's text too: for tasks it may carry a contact.
    const location = endpoint === 'tasks' ? undefined : headerValue(response, 'location');
    const reason = refusal({
      status,
      shown,
      agent,
      orgHandle: this.options.orgHandle,
      origin: this.safeOrigin(),
      endpoint,
      isJson: json !== undefined,
      ...(location ? { location: this.clean(location) } : {})
    });
    // A 500 is retried above and never gets here: `status > 500` would do the same (an equivalent mutant).
    throw new ApiError(reason, status >= 500 ? 'unavailable' : 'config', status);
  }

  private parseBody<T>(response: HttpResponse, agent: string, endpoint: Endpoint, parse: Parse<T>): T {
    const body = response.body;
    const where = `The API answered HTTP 200 for ${quote(agent)}`;
    if (body.trim() === '') throw new DataError(`${where} with an empty body instead of JSON.`);
    // Checked before parsing, in one pass: nothing after it walks the value recursively.
    const deep = tooDeep(body, MAX_DEPTH);
    if (deep !== undefined) {
      throw new DataError(
        `${where} with ${nestedField(deep, endpoint)} nested more than ${MAX_DEPTH} levels deep: the gate reads no data nested so deep.`
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      const kind = /^\s*</.test(body) ? 'an HTML page' : 'a body that is not valid JSON (perhaps cut short)';
      throw new DataError(`${where} with ${kind} instead of JSON: check 'base-url'.`);
    }
    const secrets = secretPattern(this.options.secrets);
    const text = secrets === undefined ? (value: string) => value : (value: string) => value.replace(secrets, '***');
    try {
      return parse(json, text);
    } catch (error) {
      if (error instanceof DataError) throw new DataError(this.clean(error.message, 400));
      throw error;
    }
  }

  private clean(text: string, max = 200): string {
    return oneLine(redact(text, this.options.secrets), max);
  }

  private safeOrigin(): string {
    return new URL(this.options.baseUrl).origin;
  }
}

function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body as JSON, or undefined when it is not JSON. */
function parseJson(body: string): unknown {
  if (tooDeep(body, MAX_DEPTH) !== undefined) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The field a too-deep path runs through, by the names the gate knows: `the field 'output' of
 * task #3`. A key is named only when it has the shape of a code: a key can be a contact too.
 */
function nestedField(path: JsonPath, endpoint: Endpoint): string {
  const [top, index, field] = path;
  const named = (key: string | number | undefined): string =>
    typeof key === 'string' && isCode(key) ? `the field '${key}'` : 'a field';
  // A too-deep path has MAX_DEPTH steps, so an item's field is always there.
  if (top === 'data' && typeof index === 'number') {
    return `${named(field)} of ${endpoint === 'tasks' ? 'task' : 'execution'} #${index + 1}`;
  }
  return `${named(top)} of the answer`;
}
