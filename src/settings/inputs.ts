/** Reads and validates every input into typed settings before any request is sent. */
import { MAX_DURATION_MS, formatDuration, parseDuration } from '../values/duration.js';
import {
  CONFIDENCES,
  decimalText,
  isBelow,
  looksLikeFraction,
  parseThreshold,
  type Confidence,
  type Threshold
} from '../values/percent.js';

/** The defaults, in one place; action.yml declares the same ones (a test keeps them equal). */
export const DEFAULTS = {
  threshold: '100',
  'base-url': 'https://unpod.ai',
  summary: 'true',
  'allow-insecure-http': 'false',
  'request-timeout': '30s',
  retries: '3',
  'wait-timeout': '0',
  'poll-interval': '15s',
  'decide-early': 'false',
  'on-api-error': 'fail',
  'max-pages': '20',
  concurrency: '4',
  'min-tasks': '1',
  enforce: 'true',
  history: '10',
  window: '1',
  'baseline-runs': '5',
  explain: 'on-failure',
  'pr-comment': 'off',
  // The runner evaluates this expression; an input set empty on purpose stays empty.
  'github-token': '${{ github.token }}',
  'if-no-token': 'fail'
} as const;

/** The most runs a window or a baseline pools. */
export const MAX_POOLED_RUNS = 50;

/** Real keys are 40 characters and JWTs far longer; anything this short is a mistake, and masking it would blank out ordinary log text. */
export const MIN_TOKEN_LENGTH = 8;

/** History comes from the first page of executions, which holds this many. */
export const MAX_HISTORY = 50;

/** The default step-timeout is wait-timeout plus this: time to fetch, retry and report. */
export const STEP_MARGIN_MS = 10 * 60_000;

/** step-timeout may exceed the longest wait-timeout (a day) by more than its margin. */
const MAX_STEP_TIMEOUT_MS = 2 * MAX_DURATION_MS;

/** max-age may reach back further than any wait: a year and a month. */
const MAX_AGE_MS = 400 * 86_400_000;

export type OnApiError = 'fail' | 'warn';
/** When to read a judged run's tasks to explain it. */
export type ExplainMode = 'on-failure' | 'always' | 'never';
/** When to keep a comment on the pull request: never, on every verdict, or when the gate does not pass. */
export type PrCommentMode = 'off' | 'always' | 'on-failure';

export interface Settings {
  /** Agent handles to gate, in input order, without blanks or duplicates. */
  readonly agents: readonly string[];
  /** The organisation's domain handle, sent as the `Org-Handle` header. */
  readonly orgHandle: string;
  /** The `Authorization` header value: `Token <key>`, or a `Bearer …` value as given. */
  readonly authorization: string;
  /** Every form of the token that must never be shown: masked and redacted. */
  readonly secrets: readonly string[];
  /** Minimum completion rate, in percent, held exactly. */
  readonly threshold: Threshold;
  /** Per-agent thresholds from `thresholds`; agents without one use `threshold`. */
  readonly thresholds: ReadonlyMap<string, Threshold>;
  /** How many finished runs, the judged one first, are pooled and judged together. */
  readonly window: number;
  /** How many finished runs before the window form the baseline for `maxDrop`. */
  readonly baselineRuns: number;
  /** The most percentage points the judged rate may fall below the baseline; undefined: off. */
  readonly maxDrop: Threshold | undefined;
  /** A passing rate below this passes with a warning; undefined: off. */
  readonly warnBelow: Threshold | undefined;
  /** The threshold rule fails only on a significant shortfall at this confidence; undefined: off. */
  readonly confidence: Confidence | undefined;
  /** The API origin with any path prefix, without a trailing slash. */
  readonly baseUrl: string;
  /** Gate this run instead of the latest one (one agent only). */
  readonly runId: string | undefined;
  /** Write the job summary. */
  readonly summary: boolean;
  /** Allow plain http:// to hosts other than loopback. */
  readonly allowInsecureHttp: boolean;
  /** Bound on one HTTP request, connect to last byte. */
  readonly requestTimeoutMs: number;
  /** Extra attempts after a failed request worth retrying. */
  readonly retries: number;
  /** How long to wait for an unfinished run, from the step's start; 0 does not wait. */
  readonly waitTimeoutMs: number;
  /** A bound on the whole step, from its start: agents not decided by then fail as API failures. */
  readonly stepTimeoutMs: number;
  /** Time between polls while waiting. */
  readonly pollIntervalMs: number;
  /** While waiting, pass as soon as the counts so far pass with every task not yet done failed. */
  readonly decideEarly: boolean;
  /** What an API that stays unreachable or failing does to the step. */
  readonly onApiError: OnApiError;
  /** How many pages to search for `run-id` at most. */
  readonly maxPages: number;
  /** How many agents are fetched at once. */
  readonly concurrency: number;
  /** A finished run with fewer tasks than this fails. */
  readonly minTasks: number;
  /** A latest run older than this fails as stale; undefined: no limit. */
  readonly maxAgeMs: number | undefined;
  /** false: report only, a gate breach does not fail the step. */
  readonly enforce: boolean;
  /** How many recent runs to show per agent in the summary. */
  readonly history: number;
  /** When to read the judged run's tasks to explain it: on a breach, always, or never. */
  readonly explain: ExplainMode;
  /** Where to write the JSON report; undefined: nowhere. */
  readonly reportPath: string | undefined;
  /** The token is empty and `if-no-token` is skip: no request, no verdict, the step passes. */
  readonly skip: boolean;
  /** When to keep the verdict's comment on the pull request. */
  readonly prComment: PrCommentMode;
  /** The token for GitHub's API only, never sent to Unpod; empty when none was given. */
  readonly githubToken: string;
  /** The pull request to comment on outside pull_request events; undefined: the event's own. */
  readonly prNumber: number | undefined;
  /** Things worth telling the user that do not stop the gate. */
  readonly warnings: readonly string[];
}

/** Reads one raw input by name; `core.getInput` in the action, a map in tests. */
export type InputReader = (name: string) => string;

/** Strips a `Token ` prefix; a `Bearer …` value is kept as given. */
export function tokenForms(raw: string): { authorization: string; secrets: string[] } {
  const value = raw.trim();
  const jwt = /^bearer\s+(\S+)$/i.exec(value)?.[1];
  if (jwt !== undefined) return { authorization: `Bearer ${jwt}`, secrets: unique([value, jwt]) };
  const key = value.replace(/^token\s+/i, '');
  return { authorization: `Token ${key}`, secrets: unique([value, key, `Token ${key}`]) };
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v.length >= MIN_TOKEN_LENGTH))];
}

export function readSettings(read: InputReader): Settings {
  const warnings: string[] = [];
  const get = (name: string): string => read(name).trim();
  const withDefault = (name: keyof typeof DEFAULTS): string => get(name) || DEFAULTS[name];

  const agents = parseAgents(required(get, 'agent-handle'));
  const orgHandle = parseHeaderValue('org-handle', required(get, 'org-handle'));
  const ifNoToken = parseChoice('if-no-token', withDefault('if-no-token'), ['fail', 'skip'] as const);
  const skip = get('token') === '' && ifNoToken === 'skip';
  const { authorization, secrets } = skip ? { authorization: '', secrets: [] } : parseToken(get('token'));

  const thresholdText = withDefault('threshold');
  const threshold = notAFraction(`Input 'threshold' is`, thresholdText, parseThreshold('threshold', thresholdText));
  const allowInsecureHttp = parseBoolean('allow-insecure-http', withDefault('allow-insecure-http'));
  const baseUrl = parseBaseUrl(withDefault('base-url'), allowInsecureHttp);

  const runId = get('run-id') || undefined;
  if (runId !== undefined) {
    parseHeaderValue('run-id', runId);
    if (agents.length > 1) {
      throw new Error(
        `Input 'run-id' names one run, so 'agent-handle' must name exactly one agent (it names ${agents.length}).`
      );
    }
  }
  const waitTimeoutMs = parseDuration('wait-timeout', withDefault('wait-timeout'));
  const stepTimeoutMs = parseStepTimeout(get('step-timeout'), waitTimeoutMs);
  const pollIntervalMs = parseDuration('poll-interval', withDefault('poll-interval'));
  if (pollIntervalMs < 1000)
    throw new Error(`Input 'poll-interval' must be at least 1s, so that waiting does not flood the API.`);
  const decideEarly = parseBoolean('decide-early', withDefault('decide-early'));
  if (decideEarly && waitTimeoutMs === 0) {
    warnings.push(
      `Input 'decide-early' is true but 'wait-timeout' is 0: the gate does not wait, so it decides nothing early.`
    );
  }
  const requestTimeoutMs = parseDuration('request-timeout', withDefault('request-timeout'));
  if (requestTimeoutMs < 100) throw new Error(`Input 'request-timeout' must be at least 100ms.`);
  const maxAge = get('max-age');
  const thresholds = parseThresholds(get('thresholds'), agents);
  const maxDrop = get('max-drop') === '' ? undefined : parseThreshold('max-drop', get('max-drop'));
  const warnBelow = get('warn-below') === '' ? undefined : parseThreshold('warn-below', get('warn-below'));
  if (warnBelow !== undefined) {
    // Only the thresholds that judge some agent: `threshold` judges none when every agent has a line.
    const global = agents.some((agent) => !thresholds.has(agent)) ? [['threshold', threshold] as const] : [];
    for (const [whose, applied] of [...global, ...thresholds]) {
      if (isBelow(warnBelow, applied)) {
        throw new Error(
          `Input 'warn-below' is ${warnBelow.text}, below the threshold of ${applied.text}${whose === 'threshold' ? '' : ` for ${whose} in 'thresholds'`}: it must be at least the threshold (a warning band above it).`
        );
      }
    }
  }
  const confidence =
    get('confidence') === ''
      ? undefined
      : parseChoice('confidence', get('confidence').replace(/\s*%$/, ''), CONFIDENCES);

  const prComment = parseChoice('pr-comment', withDefault('pr-comment'), ['off', 'always', 'on-failure'] as const);
  const githubToken = parseGithubToken(get('github-token'));
  if (prComment !== 'off' && githubToken === '') {
    warnings.push(
      `Input 'github-token' is empty, so no pull-request comment is written (pr-comment: ${prComment}): leave it unset for the workflow's own token, or pass a token that may write to pull requests.`
    );
  }
  const prNumber = get('pr-number') === '' ? undefined : parseWhole('pr-number', get('pr-number'), 1, 1_000_000_000);

  return {
    agents,
    orgHandle,
    authorization,
    secrets: githubToken === '' ? secrets : [...secrets, ...unique([githubToken])],
    threshold,
    thresholds,
    window: parseWhole('window', withDefault('window'), 1, MAX_POOLED_RUNS),
    baselineRuns: parseWhole('baseline-runs', withDefault('baseline-runs'), 1, MAX_POOLED_RUNS),
    maxDrop,
    warnBelow,
    confidence,
    baseUrl,
    runId,
    summary: parseBoolean('summary', withDefault('summary')),
    allowInsecureHttp,
    requestTimeoutMs,
    retries: parseWhole('retries', withDefault('retries'), 0, 10),
    waitTimeoutMs,
    stepTimeoutMs,
    pollIntervalMs,
    decideEarly,
    onApiError: parseChoice('on-api-error', withDefault('on-api-error'), ['fail', 'warn'] as const),
    maxPages: parseWhole('max-pages', withDefault('max-pages'), 1, 1000),
    concurrency: parseWhole('concurrency', withDefault('concurrency'), 1, 32),
    minTasks: parseWhole('min-tasks', withDefault('min-tasks'), 0, 1_000_000_000),
    maxAgeMs: maxAge === '' ? undefined : positive('max-age', parseDuration('max-age', maxAge, MAX_AGE_MS)),
    enforce: parseBoolean('enforce', withDefault('enforce')),
    history: parseWhole('history', withDefault('history'), 0, MAX_HISTORY),
    explain: parseChoice('explain', withDefault('explain'), ['on-failure', 'always', 'never'] as const),
    reportPath: get('report-path') || undefined,
    skip,
    prComment: githubToken === '' ? 'off' : prComment,
    githubToken,
    prNumber,
    warnings
  };
}

/** `token` as the Authorization header value and the forms to mask; an empty one fails as NO_TOKEN. */
function parseToken(token: string): { authorization: string; secrets: string[] } {
  if (token === '') throw new Error(NO_TOKEN);
  if (/^(token|bearer)$/i.test(token)) {
    throw new Error(
      `Input 'token' holds only the word ${JSON.stringify(token)}: the key after it is empty (is the secret set?).`
    );
  }
  const forms = tokenForms(token);
  // Stryker disable next-line Regex: authorization always starts with its scheme and a space, so the first match is at 0, anchored or not
  const key = forms.authorization.replace(/^\S+ /, '');
  if (key.length < MIN_TOKEN_LENGTH || /[\s\p{Cc}]/u.test(key) || /[^\x20-\x7e]/.test(key)) {
    throw new Error(
      `Input 'token' is not a valid API token: expected the 40-character key (optionally prefixed with 'Token '), or 'Bearer <jwt>', without spaces or line breaks inside.`
    );
  }
  return forms;
}

/** Why an empty `token` fails, and the two ways out; the usual cause is a fork or Dependabot. */
export const NO_TOKEN =
  "Input 'token' is required and was empty. The likely cause: secrets are not given to workflows started from a fork's pull request or by Dependabot. " +
  "Either set 'if-no-token: skip' so that such runs pass without a verdict (the 'passed' output stays false), " +
  'or gate them in a separate workflow on the workflow_run event, which runs with the secrets (see the README).';

/** `github-token`: as given, or empty; never echoed, as it is a secret. */
export function parseGithubToken(text: string): string {
  if (text === '') return '';
  if (text.length < MIN_TOKEN_LENGTH || /[^\x21-\x7e]/.test(text)) {
    throw new Error(
      `Input 'github-token' is not a usable GitHub token: expected a token such as \${{ github.token }} (the default), without spaces or line breaks inside.`
    );
  }
  return text;
}

/**
 * `step-timeout`: empty means wait-timeout plus STEP_MARGIN_MS (its default depends on another
 * input, so it is not in DEFAULTS); a value given must leave time after the wait.
 */
export function parseStepTimeout(text: string, waitTimeoutMs: number): number {
  if (text === '') return waitTimeoutMs + STEP_MARGIN_MS;
  const ms = parseDuration('step-timeout', text, MAX_STEP_TIMEOUT_MS);
  if (ms <= waitTimeoutMs) {
    throw new Error(
      `Input 'step-timeout' is ${JSON.stringify(text)}, which does not exceed wait-timeout ${formatDuration(waitTimeoutMs)}: the step needs time after the wait to fetch and report. Set it above wait-timeout, or leave it empty for wait-timeout plus ${formatDuration(STEP_MARGIN_MS)}.`
    );
  }
  return ms;
}

function required(get: (name: string) => string, name: string): string {
  const value = get(name);
  if (value === '') throw new Error(`Input '${name}' is required and was empty.`);
  return value;
}

/** Handles, one per line or comma-separated; blanks and repeats dropped, order kept. */
export function parseAgents(text: string): string[] {
  const handles = [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((h) => h.trim())
        .filter((h) => h !== '')
    )
  ];
  if (handles.length === 0) throw new Error(`Input 'agent-handle' is required and names no agent.`);
  for (const handle of handles) {
    if (handle === '.' || handle === '..') {
      throw new Error(
        `Input 'agent-handle' contains ${JSON.stringify(handle)}, which is not an agent handle: expected a handle such as sales-agent.`
      );
    }
    if (/[\s;]/.test(handle)) {
      throw new Error(
        `Input 'agent-handle' contains ${JSON.stringify(handle)}, which has a space or ';' inside: a handle is one word such as sales-agent. List several agents one per line or comma-separated (sales-agent, support-agent).`
      );
    }
    if (/\p{Cc}/u.test(handle) || !isWellFormed(handle)) {
      throw new Error(
        `Input 'agent-handle' contains a handle with control or invalid characters: expected a handle such as sales-agent.`
      );
    }
  }
  return handles;
}

/**
 * `handle: value` per line; blank lines skipped. Every handle must be one of `agents`, once.
 * Errors name the line.
 */
export function parseThresholds(text: string, agents: readonly string[]): Map<string, Threshold> {
  const found = new Map<string, Threshold>();
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const where = `Input 'thresholds' line ${index + 1}`;
    const colon = line.lastIndexOf(':');
    // Without a colon the empty handle alone refuses the line, whatever value is.
    const handle = colon === -1 ? '' : line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (handle === '' || value === '') {
      throw new Error(
        `${where} is ${JSON.stringify(oneLineOf(line))}: expected 'agent-handle: threshold', such as 'sales-agent: 92.5'.`
      );
    }
    if (!agents.includes(handle)) {
      throw new Error(`${where} names ${JSON.stringify(oneLineOf(handle))}, which is not in 'agent-handle'.`);
    }
    if (found.has(handle)) throw new Error(`${where} names ${JSON.stringify(handle)} a second time.`);
    const given = `${where} gives ${JSON.stringify(handle)} the threshold`;
    let parsed: Threshold;
    try {
      // Stryker disable next-line StringLiteral: the catch below replaces the error, so the name it carries is never shown
      parsed = parseThreshold('thresholds', value);
    } catch {
      throw new Error(
        `${given} ${JSON.stringify(oneLineOf(value))}: expected a percentage from 0 to 100 such as 95, 95% or 92.5.`
      );
    }
    found.set(handle, notAFraction(given, value, parsed));
  }
  return found;
}

/**
 * The threshold as read, unless it looks like a fraction written without `%`: 0.95 is far more
 * often a fraction meant as 95 % than a gate that 1 task in 100 passes. `where` begins the error.
 */
function notAFraction(where: string, text: string, threshold: Threshold): Threshold {
  if (looksLikeFraction(threshold) && !text.endsWith('%')) {
    throw new Error(
      `${where} ${JSON.stringify(text)}: thresholds are percentages, so 95 means 95 %. Did you mean ${decimalText(threshold.scaled * 100n, threshold.decimals)}? To gate on under one percent, write it with a percent sign: ${threshold.text}%.`
    );
  }
  return threshold;
}

function oneLineOf(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function isWellFormed(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** A value sent in a header must be printable ASCII, or the request could be split. */
function parseHeaderValue(name: string, value: string): string {
  if (/[^\x20-\x7e]/.test(value)) {
    throw new Error(
      `Input '${name}' contains control or non-ASCII characters: expected a plain handle such as my-org.`
    );
  }
  return value;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** True for host names that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

export function parseBaseUrl(text: string, allowInsecureHttp: boolean): string {
  const expected = `expected the API origin, such as https://unpod.ai or https://unpod.example.com/prefix`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`Input 'base-url' is ${JSON.stringify(text)}, which is not a URL: ${expected}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Input 'base-url' uses ${url.protocol.replace(':', '')}: ${expected} (http or https).`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error(`Input 'base-url' must not carry credentials (user:password@): pass the token in 'token'.`);
  }
  if (text.includes('?') || text.includes('#')) {
    throw new Error(`Input 'base-url' must not have a query or fragment: ${expected}.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    throw new Error(
      `Input 'base-url' is plain http:// to ${url.hostname}, which would send the token in clear text: use https://, or set 'allow-insecure-http: true' if this network is trusted.`
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function parseBoolean(name: string, text: string): boolean {
  const value = text.toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`Input '${name}' is ${JSON.stringify(text)}: expected true or false.`);
}

export function parseWhole(name: string, text: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new Error(`Input '${name}' is ${JSON.stringify(text)}: expected a whole number from ${min} to ${max}.`);
  }
  return Number(text);
}

export function parseChoice<T extends string>(name: string, text: string, choices: readonly T[]): T {
  const found = choices.find((c) => c === text.toLowerCase());
  if (found === undefined) {
    throw new Error(`Input '${name}' is ${JSON.stringify(text)}: expected ${choices.join(' or ')}.`);
  }
  return found;
}

function positive(name: string, ms: number): number {
  if (ms <= 0) throw new Error(`Input '${name}' must be longer than 0 (or left empty for no limit).`);
  return ms;
}
