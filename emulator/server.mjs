// @ts-check
/**
 * An Unpod-compatible example server for the executions endpoint, with injectable faults.
 * Standard library only, so tests, demos and the CLI need nothing installed.
 * Types for TypeScript callers live in server.d.mts; the JSDoc here refers to them.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invokedDirectly } from '../scripts/invoked.mjs';
import { agentTasks } from './tasks.mjs';

/** @typedef {import('./server.d.mts').Scenario} Scenario */
/** @typedef {import('./server.d.mts').Run} Run */
/** @typedef {import('./server.d.mts').FaultSpec} FaultSpec */
/** @typedef {import('./server.d.mts').RequestLog} RequestLog */
/** @typedef {import('./server.d.mts').EmulatorOptions} EmulatorOptions */
/** @typedef {import('./server.d.mts').Emulator} Emulator */
/** @typedef {{ status: number, headers: Record<string, string>, body: Buffer, envelope?: { count: number, data: unknown[] } }} Reply */
/** @typedef {{ kind: string, agent?: string, left: number, [param: string]: unknown }} QueuedFault */

const DEFAULT_SCENARIO = fileURLToPath(new URL('./scenario.json', import.meta.url));
// The prefix group lets tests use base URLs with a path (reverse proxies, self-hosted mounts).
const ROUTE = /^(.*)\/api\/v2\/platform\/agents\/([^/]+)\/(executions|tasks)(\/?)$/;
// Starting a run: the docs' path is tasks/create/; the server code of February 2026 routed tasks/.
const TASKS_ROUTE = /^(.*)\/api\/v2\/platform\/spaces\/([^/]+)\/tasks(\/create)?(\/?)$/;
/** A body larger than this is refused: a test contact list is a few hundred bytes. */
const MAX_TASKS_BODY = 1024 * 1024;
const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html; charset=utf-8';
const MAX_PAGE_SIZE = 100;
const SUCCESS_MESSAGE = 'Executions fetched successfully';
const TASKS_MESSAGE = 'Tasks fetched successfully';
/** The real tasks endpoint's default page size; it sets no maximum. */
const TASKS_PAGE_SIZE = 20;
/** Fields a scenario's run may hold for the emulator only, never sent. */
const EMULATOR_ONLY = ['timeline', 'hidden', 'tasks', 'pendingTasks'];
const FAULT_KINDS = new Set([
  'latency',
  'hang',
  'stall-body',
  'close',
  'reset',
  'status',
  'html',
  'empty',
  'truncated',
  'huge',
  'wrong-types',
  'duplicates',
  'ignore-page',
  'reverse',
  'echo-token'
]);

// Bodies copied from the real server (see docs/unpod-api.md), so clients are tested against its shapes.
const BODY = {
  badOrg: { status_code: 400, message: 'Organization handle is required in Org-Handle header', data: {} },
  invalidToken: { message: 'Invalid token.', status_code: 401 },
  // The doc gives no 403 shape; DRF's default `detail` adds one more JSON shape for clients to cope with.
  forbidden: { detail: 'You do not have permission to perform this action.' },
  noAccess: { status_code: 206, message: "You Don't have Access to this Space", data: {} },
  agentNotFound: { status_code: 404, message: 'Agent not found.' },
  rateLimited: { error: { code: 'rate_limit_exceeded', message: 'Too many requests' } }
};
const NOT_FOUND_PAGE =
  '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n' +
  '  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n';
const APP_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Unpod</title></head>' +
  '<body><div id="root"></div><script src="/static/js/main.js"></script></body></html>';
const serverErrorPage = (/** @type {number} */ status) => `<html><body><h1>Server Error (${status})</h1></body></html>`;

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** @param {number} status @param {unknown} body @param {string} [type] @param {Record<string, string>} [headers] @returns {Reply} */
function reply(status, body, type = JSON_TYPE, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: { 'Content-Type': type, ...headers }, body: Buffer.from(text) };
}

/**
 * Epoch ms of a `created` value, NaN when unusable. Strings without an offset are UTC (Django's
 * naive datetimes), and microseconds are cut to ms because Date.parse does not promise to accept them.
 * @param {unknown} created
 */
function instant(created) {
  if (typeof created !== 'string') return NaN;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(created.trim());
  if (!m || !m[1]) return NaN;
  const fraction = m[2] ? `.${m[2].padEnd(3, '0').slice(0, 3)}` : '';
  const zone = (m[3] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  return Date.parse(`${m[1]}${fraction}${zone}`);
}

/** Newest first by real instant; unusable dates go last, ties keep scenario order (sort is stable). @param {unknown[]} runs */
function newestFirst(runs) {
  const keyed = runs.map((run) => ({ run, at: isObject(run) ? instant(run.created) : NaN }));
  keyed.sort((a, b) => (Number.isNaN(a.at) ? (Number.isNaN(b.at) ? 0 : 1) : Number.isNaN(b.at) ? -1 : b.at - a.at));
  return keyed.map((k) => k.run);
}

/** The run as the API sends it: untouched, minus the emulator-only fields. @param {unknown} run */
function publicRun(run) {
  if (!isObject(run) || !EMULATOR_ONLY.some((field) => field in run)) return run;
  const rest = { ...run };
  for (const field of EMULATOR_ONLY) delete rest[field];
  return rest;
}

/** A run not listed yet (emulator-only `hidden`), as a run just started may not be. @param {unknown} run */
const listed = (run) => !(isObject(run) && run.hidden === true);

/** @param {string | undefined} raw @param {number} fallback @returns {number | undefined} undefined when invalid */
function positiveInt(raw, fallback) {
  if (raw === undefined) return fallback;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

/** @param {Scenario | string | undefined} source @returns {Scenario} a private copy the emulator may mutate */
function loadScenario(source) {
  const file = typeof source === 'string' ? resolve(source) : source === undefined ? DEFAULT_SCENARIO : undefined;
  /** @type {unknown} */
  const data = file ? JSON.parse(readFileSync(file, 'utf8')) : structuredClone(source);
  const where = file ? ` in ${file}` : '';
  if (
    !isObject(data) ||
    typeof data.token !== 'string' ||
    (data.spaceToken !== undefined && typeof data.spaceToken !== 'string') ||
    typeof data.orgHandle !== 'string' ||
    !isObject(data.agents)
  ) {
    throw new TypeError(
      `Scenario${where} must be {"token": string, "orgHandle": string, "spaceToken"?: string, "agents": {handle: [runs]}}`
    );
  }
  for (const [handle, runs] of Object.entries(data.agents)) {
    if (!Array.isArray(runs)) throw new TypeError(`Scenario${where}: agent "${handle}" must map to an array of runs`);
  }
  return /** @type {Scenario} */ (/** @type {unknown} */ (data));
}

/**
 * `created` moved by whole minutes, written the way it was: the same separator, seconds,
 * fraction and offset (or none), so the server's quirky forms survive the move. The wall-clock
 * fields move as if they were UTC, which moves the instant by the same amount whatever the offset.
 * @param {string} created @param {number} minutes
 */
export function shiftCreated(created, minutes) {
  const m = /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2})(:\d{2})?(.*)$/.exec(created);
  if (!m) return created;
  const [, y, mo, d, sep, h, mi, sec = '', rest] = m;
  const at = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)) + minutes * 60_000);
  const iso = at.toISOString(); // YYYY-MM-DDTHH:MM:...
  return `${iso.slice(0, 10)}${sep}${iso.slice(11, 16)}${sec}${rest}`;
}

/**
 * Dates the scenario's runs relative to `now`: a run written a day before `datedAt` is served as
 * created a day before `now`, so the example server never looks like a dead organisation.
 * @param {Scenario} scenario @param {number} now
 */
function dateRelativeTo(scenario, now) {
  const anchor = typeof scenario.datedAt === 'string' ? Date.parse(scenario.datedAt) : NaN;
  if (Number.isNaN(anchor)) return;
  const minutes = Math.round((now - anchor) / 60_000);
  if (minutes === 0) return;
  for (const runs of Object.values(scenario.agents)) {
    for (const run of runs) {
      if (isObject(run) && typeof run.created === 'string') run.created = shiftCreated(run.created, minutes);
    }
  }
}

/** @param {FaultSpec} spec @returns {QueuedFault} */
function checkFault(spec) {
  if (!isObject(spec) || typeof spec.kind !== 'string' || !FAULT_KINDS.has(spec.kind)) {
    throw new TypeError(
      `Unknown fault kind ${JSON.stringify(isObject(spec) ? spec.kind : spec)}; expected one of ${[...FAULT_KINDS].join(', ')}`
    );
  }
  const times = spec.times ?? 1;
  if (!(times === Infinity || (Number.isInteger(times) && times >= 1)))
    throw new RangeError(`Fault times must be a positive integer or Infinity, got ${times}`);
  const s = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (spec));
  const needs = spec.kind === 'latency' ? 'ms' : spec.kind === 'huge' ? 'bytes' : undefined;
  if (needs && !(typeof s[needs] === 'number' && Number.isFinite(s[needs]) && Number(s[needs]) >= 0)) {
    throw new RangeError(`Fault "${spec.kind}" needs a finite, non-negative "${needs}"`);
  }
  if (spec.kind === 'status' && !(Number.isInteger(s.status) && Number(s.status) >= 200 && Number(s.status) <= 599)) {
    throw new RangeError(`Fault "status" needs an integer status from 200 to 599, got ${s.status}`);
  }
  return { ...spec, left: times };
}

/** The default answer for a `status` fault, in the shape the real server uses for that status. @param {QueuedFault} f */
function statusReply(f) {
  const status = Number(f.status);
  /** @type {Record<string, string>} */
  const headers = {};
  if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
  if (status === 429) {
    const wait = Number.parseInt(String(f.retryAfter ?? '60'), 10);
    Object.assign(headers, {
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + (Number.isFinite(wait) ? wait : 60))
    });
  }
  if (typeof f.body === 'string') {
    const looksJson = (() => {
      try {
        JSON.parse(f.body);
        return true;
      } catch {
        return false;
      }
    })();
    return reply(
      status,
      f.body,
      typeof f.contentType === 'string' ? f.contentType : looksJson ? JSON_TYPE : 'text/plain; charset=utf-8',
      headers
    );
  }
  /** @type {Record<number, unknown>} */
  const known = {
    206: BODY.noAccess,
    400: BODY.badOrg,
    401: BODY.invalidToken,
    403: BODY.forbidden,
    404: BODY.agentNotFound,
    429: BODY.rateLimited
  };
  if (status >= 500) return reply(status, serverErrorPage(status), HTML_TYPE, headers);
  const body = known[status] ?? { status_code: status, message: http.STATUS_CODES[status] ?? 'Error' };
  return reply(status, body, JSON_TYPE, headers);
}

/**
 * Starts the server. Resolves once it is listening.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<Emulator>}
 */
export async function startEmulator(options = {}) {
  const scenario = loadScenario(options.scenario);
  dateRelativeTo(scenario, options.now ?? Date.now());
  if (options.token !== undefined) scenario.token = options.token;
  if (options.orgHandle !== undefined) scenario.orgHandle = options.orgHandle;
  const host = options.host ?? '127.0.0.1';
  /** @type {RequestLog[]} */
  const requests = [];
  /** @type {QueuedFault[]} */
  let faults = [];
  /** Successful answers per agent, which drive the timelines. @type {Map<string, number>} */
  const successes = new Map();
  /** Timeline steps already applied; a WeakSet so setRun/addRun need no bookkeeping. @type {WeakSet<object>} */
  const applied = new WeakSet();
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();
  let inFlight = 0;
  let maxInFlight = 0;
  /** @type {Promise<void> | undefined} */
  let closing;

  /** @param {string | undefined} agent @param {string | undefined} endpoint */
  function takeFault(agent, endpoint) {
    const f = faults.find(
      (q) => (q.agent === undefined || q.agent === agent) && (q.endpoint === undefined || q.endpoint === endpoint)
    );
    if (f && --f.left <= 0) faults = faults.filter((q) => q !== f);
    return f;
  }

  /** @param {string} agent */
  function applyTimeline(agent) {
    const done = successes.get(agent) ?? 0;
    for (const run of scenario.agents[agent] ?? []) {
      if (!isObject(run) || !Array.isArray(run.timeline)) continue;
      for (const step of run.timeline) {
        if (!isObject(step) || applied.has(step) || !(Number(step.afterRequests) <= done)) continue;
        applied.add(step);
        const patch = { ...step };
        delete patch.afterRequests;
        Object.assign(run, patch);
      }
    }
  }

  /** @param {string | string[] | undefined} header */
  function authorized(header) {
    const parts = typeof header === 'string' ? header.trim().split(/\s+/) : [];
    return (
      parts.length === 2 && ['token', 'bearer'].includes(String(parts[0]).toLowerCase()) && parts[1] === scenario.token
    );
  }

  /**
   * The real server's answer, checks in its order. `variant` bends a success the way a faulty
   * server would; `counts` is false when the client will not get the answer intact.
   * @param {Ctx} ctx @param {string | undefined} variant @param {boolean} counts @returns {Reply}
   */
  function answer(ctx, variant, counts) {
    const { req, route, agent, query } = ctx;
    if (!route || agent === undefined) return reply(404, NOT_FOUND_PAGE, HTML_TYPE);
    if (!route[4]) return reply(301, '', HTML_TYPE, { Location: `${ctx.path}/${ctx.search}` });
    if (req.method !== 'GET')
      return reply(405, { detail: `Method "${req.method}" not allowed.` }, JSON_TYPE, { Allow: 'GET' });
    if (!authorized(req.headers.authorization)) return reply(401, BODY.invalidToken);
    const org = req.headers['org-handle'];
    if (!org) return reply(400, BODY.badOrg);
    if (org !== scenario.orgHandle) return reply(206, BODY.noAccess);
    const runs = Object.hasOwn(scenario.agents, agent) ? scenario.agents[agent] : undefined;
    if (!Array.isArray(runs)) return reply(404, BODY.agentNotFound);
    if (route[3] === 'tasks') return tasksAnswer(ctx, runs, variant);
    const page = positiveInt(query.page, 1);
    const size = positiveInt(query.page_size, 10);
    if (page === undefined)
      return reply(400, { status_code: 400, message: 'Invalid page: expected a positive integer.', data: {} });
    // DRF clamps an oversized page_size to max_page_size rather than rejecting it.
    if (size === undefined)
      return reply(400, { status_code: 400, message: 'Invalid page_size: expected a positive integer.', data: {} });
    const perPage = Math.min(size, MAX_PAGE_SIZE);
    applyTimeline(agent);
    const start = ((variant === 'ignore-page' ? 1 : page) - 1) * perPage;
    const shown = runs.filter(listed);
    let data = newestFirst(shown)
      .slice(start, start + perPage)
      .map(publicRun);
    if (variant === 'wrong-types') {
      const first = isObject(data[0])
        ? data[0]
        : { run_id: 'R0123456789abcdef0123456789abcdef', status: 'completed', created: new Date().toISOString() };
      data = [{ ...first, total_tasks: '25', completed_tasks: null }, ...data.slice(1)];
    }
    if (variant === 'duplicates') data = data.flatMap((run) => [run, run]);
    // The order within a page is the server's to choose: the gate must not depend on it.
    if (variant === 'reverse') data.reverse();
    if (counts) successes.set(agent, (successes.get(agent) ?? 0) + 1);
    const envelope = { count: shown.length, status_code: 200, message: SUCCESS_MESSAGE, data };
    return { ...reply(200, envelope), envelope };
  }

  /**
   * POST tasks/create/: starts a run of `pilot` with one pending task per contact, as the real
   * server does (where it places real calls). The run then moves on with the agent's answers:
   * unlisted in the next executions answer (a new run may take a moment to appear), then in
   * progress with half its tasks done, then completed with every task.
   * @param {http.IncomingMessage} req @param {string} space @param {string} text @returns {Reply}
   */
  function createTasks(req, space, text) {
    if (req.method !== 'POST')
      return reply(405, { detail: `Method "${req.method}" not allowed.` }, JSON_TYPE, { Allow: 'POST' });
    if (!authorized(req.headers.authorization)) return reply(401, BODY.invalidToken);
    const org = req.headers['org-handle'];
    if (!org) return reply(400, BODY.badOrg);
    // Inferred: an unknown space answers like a space the user may not use.
    if (org !== scenario.orgHandle || scenario.spaceToken === undefined || space !== scenario.spaceToken)
      return reply(206, BODY.noAccess);
    const failed = (/** @type {string} */ errors) =>
      reply(206, { status_code: 206, message: 'Task creation failed', errors });
    /** @type {unknown} */
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return failed('The body is not JSON.');
    }
    if (!isObject(body)) return failed('The body must be a JSON object.');
    const { pilot, documents } = body;
    if (typeof pilot !== 'string' || !Object.hasOwn(scenario.agents, pilot))
      return failed('pilot: the handle of an agent of this organisation is required.');
    const usable = (/** @type {unknown} */ d) =>
      isObject(d) && typeof d.contact_number === 'string' && d.contact_number.trim() !== '';
    if (!Array.isArray(documents) || documents.length === 0 || !documents.every(usable))
      return failed('documents: a non-empty list of contacts, each with a contact_number, is required.');
    const done = successes.get(pilot) ?? 0;
    const total = documents.length;
    /** @type {Run} */
    const run = {
      run_id: `R${randomBytes(16).toString('hex')}`,
      status: 'pending',
      total_tasks: total,
      completed_tasks: 0,
      created: new Date().toISOString(),
      hidden: true,
      timeline: [
        { afterRequests: done + 1, hidden: false, status: 'in_progress', completed_tasks: Math.floor(total / 2) },
        { afterRequests: done + 2, status: 'completed', completed_tasks: total }
      ]
    };
    scenario.agents[pilot]?.push(run);
    const data = {
      run_id: run.run_id,
      task_ids: documents.map(() => `T${randomBytes(16).toString('hex')}`),
      status: 'pending'
    };
    return reply(200, { status_code: 200, message: 'Task Created Successfully', data });
  }

  /** Reads a request body up to MAX_TASKS_BODY; undefined when it is larger. @param {http.IncomingMessage} req @returns {Promise<string | undefined>} */
  function readBody(req) {
    return new Promise((done) => {
      /** @type {Buffer[]} */
      const chunks = [];
      let size = 0;
      req.on('data', (/** @type {Buffer} */ chunk) => {
        size += chunk.length;
        if (size <= MAX_TASKS_BODY) chunks.push(chunk);
      });
      req.on('end', () => done(size <= MAX_TASKS_BODY ? Buffer.concat(chunks).toString('utf8') : undefined));
      req.on('error', () => done(undefined));
    });
  }

  /** Cached task lists per agent, rebuilt when a run changes. @type {Map<string, { key: string, tasks: Record<string, unknown>[] }>} */
  const taskCache = new Map();

  /** @param {string} agent @param {Run[]} runs */
  function tasksFor(agent, runs) {
    const key = JSON.stringify(runs.map((r) => (isObject(r) ? { ...r, timeline: undefined } : r)));
    const cached = taskCache.get(agent);
    if (cached?.key === key) return cached.tasks;
    const tasks = agentTasks(runs.filter(isObject));
    taskCache.set(agent, { key, tasks });
    return tasks;
  }

  /**
   * The agent's tasks across all its runs, newest first, `page`/`page_size` as on the real
   * server: default size 20 with no maximum, a non-integer size a 500, a page past the end
   * Django REST Framework's 404.
   * @param {Ctx} ctx @param {Run[]} runs @param {string | undefined} variant @returns {Reply}
   */
  function tasksAnswer(ctx, runs, variant) {
    const { query } = ctx;
    const page = positiveInt(query.page, 1);
    const size = positiveInt(query.page_size, TASKS_PAGE_SIZE);
    if (size === undefined) return reply(500, serverErrorPage(500), HTML_TYPE);
    if (page === undefined) return reply(404, { detail: 'Invalid page.' });
    const all = tasksFor(String(ctx.agent), runs.filter(listed));
    const start = ((variant === 'ignore-page' ? 1 : page) - 1) * size;
    if (start > 0 && start >= all.length) return reply(404, { detail: 'Invalid page.' });
    let data = all.slice(start, start + size);
    if (variant === 'wrong-types') data = data.map((task) => ({ ...task, run_id: 42, status: null }));
    if (variant === 'duplicates') data = data.flatMap((task) => [task, task]);
    const envelope = { count: all.length, status_code: 200, message: TASKS_MESSAGE, data };
    return { ...reply(200, envelope), envelope };
  }

  /** @typedef {{ req: http.IncomingMessage, res: http.ServerResponse, entry: RequestLog, path: string, search: string, query: Record<string, string>, route: RegExpExecArray | null, agent: string | undefined }} Ctx */

  /** @param {Ctx} ctx @param {number} status @param {Record<string, string | number>} headers */
  function head(ctx, status, headers) {
    ctx.entry.status = status;
    ctx.res.writeHead(status, headers);
  }

  /** @param {Ctx} ctx @param {Reply} r */
  function send(ctx, r) {
    if (ctx.res.destroyed || ctx.res.headersSent) return;
    head(ctx, r.status, { ...r.headers, 'Content-Length': r.body.length });
    ctx.res.end(r.body);
  }

  /** @param {number} ms @param {() => void} fn */
  function later(ms, fn) {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  }

  /** Writes, waiting out backpressure; false once the client has gone. @param {http.ServerResponse} res @param {string} chunk */
  function write(res, chunk) {
    if (res.destroyed || res.writableEnded) return Promise.resolve(false);
    if (res.write(chunk)) return Promise.resolve(true);
    return new Promise((done) => {
      const finish = (/** @type {boolean} */ ok) => {
        res.off('drain', onDrain);
        res.off('close', onClose);
        done(ok);
      };
      const onDrain = () => finish(true);
      const onClose = () => finish(false);
      res.on('drain', onDrain).on('close', onClose);
    });
  }

  /**
   * A valid envelope padded with old executions to about `bytes`, generated while streaming so a
   * gigabyte costs no memory. Padding items have a fixed length, so the count is known up front.
   * @param {Ctx} ctx @param {QueuedFault} f
   */
  async function streamHuge(ctx, f) {
    const base = answer(ctx, undefined, false).envelope;
    const first = (base?.data ?? []).map((run) => JSON.stringify(run));
    const oldest = Date.UTC(2020, 0, 1);
    const pad = (/** @type {number} */ i) =>
      `{"run_id":"R${i.toString(16).padStart(32, '0')}","status":"completed",` +
      `"total_tasks":25,"completed_tasks":25,"created":"${new Date(oldest - i * 1000).toISOString()}"}`;
    const opening = (/** @type {number} */ count) =>
      `{"count":${count},"status_code":200,"message":"${SUCCESS_MESSAGE}","data":[`;
    const firstBytes = first.reduce((sum, s) => sum + Buffer.byteLength(s) + 1, 0);
    const n = Math.max(0, Math.ceil((Number(f.bytes) - opening(0).length - firstBytes - 2) / (pad(0).length + 1)));
    const count = (base?.count ?? 0) + n;
    const items = first.length + n;
    /** @type {Record<string, string | number>} */
    const headers = { 'Content-Type': JSON_TYPE };
    if (f.contentLength)
      headers['Content-Length'] =
        opening(count).length + firstBytes - first.length + n * pad(0).length + Math.max(0, items - 1) + 2;
    head(ctx, 200, headers);
    let chunk = opening(count) + first.join(',');
    for (let i = 0; i < n; i++) {
      chunk += (i > 0 || first.length > 0 ? ',' : '') + pad(i);
      if (chunk.length >= 65536) {
        if (!(await write(ctx.res, chunk))) return;
        chunk = '';
      }
    }
    if (!ctx.res.destroyed) ctx.res.end(`${chunk}]}`);
  }

  /** @param {Ctx} ctx @param {QueuedFault | undefined} f */
  function dispatch(ctx, f) {
    const { req, res } = ctx;
    const half = (/** @type {Buffer} */ body) => body.subarray(0, Math.floor(body.length / 2));
    switch (f?.kind) {
      case undefined:
        return send(ctx, answer(ctx, undefined, true));
      case 'latency':
        return void later(Number(f.ms), () => send(ctx, answer(ctx, undefined, true)));
      case 'hang':
        return; // the socket stays open until the client gives up or close() runs
      case 'close':
        return void req.socket.destroy();
      case 'status':
        return send(ctx, statusReply(f));
      case 'html':
        return send(ctx, reply(200, APP_PAGE, HTML_TYPE));
      case 'empty':
        return send(ctx, reply(200, ''));
      case 'echo-token': {
        const auth = req.headers.authorization ?? '(none)';
        return send(ctx, reply(401, { message: `Invalid token: ${auth} was not recognised.`, status_code: 401 }));
      }
      // Wrong types leave the client nothing usable, so they do not advance timelines.
      case 'wrong-types':
      case 'duplicates':
      case 'ignore-page':
      case 'reverse':
        return send(ctx, answer(ctx, f.kind, f.kind !== 'wrong-types'));
      case 'huge':
        return void streamHuge(ctx, f).catch(() => res.destroy());
      case 'truncated': {
        const r = answer(ctx, undefined, false);
        return send(ctx, { ...r, body: half(r.body) });
      }
      case 'stall-body':
      case 'reset': {
        // The status and headers are the normal answer's; only the body is cut short.
        const r = answer(ctx, undefined, false);
        const reset = f.kind === 'reset';
        head(ctx, r.status, { ...r.headers, 'Content-Length': r.body.length });
        // Destroy only once the partial body has reached the kernel, so the client sees it first.
        res.write(half(r.body), () => {
          if (reset) req.socket.destroy();
        });
        return;
      }
      default:
        throw new Error(`unhandled fault ${f?.kind}`);
    }
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  function onRequest(req, res) {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('error', () => {}); // a vanished client is routine here, not a crash
    const rawUrl = req.url ?? '/';
    // Split by hand: new URL('//x/y', base) would read "x" as a host and lose part of the path.
    const url = /^https?:\/\//i.test(rawUrl) ? new URL(rawUrl) : undefined;
    const qAt = rawUrl.indexOf('?');
    const path = url ? url.pathname : qAt < 0 ? rawUrl : rawUrl.slice(0, qAt);
    const search = url ? url.search : qAt < 0 ? '' : rawUrl.slice(qAt);
    // Django's QueryDict.get returns the last value of a repeated parameter; fromEntries does too.
    const query = Object.fromEntries(new URLSearchParams(search));
    const route = ROUTE.exec(path);
    let agent;
    try {
      agent = route?.[2] === undefined ? undefined : decodeURIComponent(route[2]);
    } catch {
      agent = undefined;
    }
    /** @type {RequestLog} */
    const entry = {
      method: req.method ?? '',
      path,
      query,
      headers: { ...req.headers },
      agent,
      endpoint: route?.[3] === 'tasks' ? 'tasks' : route ? 'executions' : undefined,
      status: 0,
      fault: undefined
    };
    requests.push(entry);
    res.on('close', () => {
      inFlight -= 1;
      options.log?.(
        `${entry.method} ${rawUrl} -> ${entry.status || 'no answer'}${entry.fault ? ` [fault: ${entry.fault}]` : ''}`
      );
    });
    const tasks = TASKS_ROUTE.exec(path);
    if (tasks) {
      const ctx = { req, res, entry, path, search, query, route, agent };
      if (!tasks[4]) {
        req.resume();
        return send(ctx, reply(301, '', HTML_TYPE, { Location: `${path}/${search}` }));
      }
      void readBody(req).then((text) => {
        if (text === undefined) return send(ctx, reply(413, { detail: 'Request body too large.' }));
        let space;
        try {
          space = decodeURIComponent(tasks[2] ?? '');
        } catch {
          space = '';
        }
        return send(ctx, createTasks(req, space, text));
      });
      return;
    }
    req.resume(); // executions requests have no body; draining keeps keep-alive sockets usable
    const f = takeFault(agent, entry.endpoint);
    entry.fault = /** @type {RequestLog['fault']} */ (f?.kind);
    try {
      dispatch({ req, res, entry, path, search, query, route, agent }, f);
    } catch (error) {
      if (res.headersSent) res.destroy();
      else send({ req, res, entry, path, search, query, route, agent }, reply(500, serverErrorPage(500), HTML_TYPE));
      options.log?.(`emulator bug: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  const server = options.tls ? https.createServer(options.tls, onRequest) : http.createServer(onRequest);
  let connections = 0;
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      done(undefined);
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : Number(options.port);
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    port,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get connections() {
      return connections;
    },
    get token() {
      return scenario.token;
    },
    get orgHandle() {
      return scenario.orgHandle;
    },
    get scenario() {
      return scenario;
    },
    fault(spec) {
      faults.push(checkFault(spec));
    },
    clearFaults() {
      faults = [];
    },
    setRun(agent, runId, patch) {
      const run = (scenario.agents[agent] ?? []).find((r) => isObject(r) && r.run_id === runId);
      if (!run) throw new Error(`No run ${runId} for agent "${agent}" in the scenario`);
      Object.assign(run, patch);
    },
    addRun(agent, run) {
      if (!Object.hasOwn(scenario.agents, agent)) scenario.agents[agent] = [];
      scenario.agents[agent]?.push(structuredClone(run));
    },
    tasks(agent) {
      const runs = Object.hasOwn(scenario.agents, agent) ? scenario.agents[agent] : undefined;
      return Array.isArray(runs) ? structuredClone(tasksFor(agent, runs)) : [];
    },
    close() {
      closing ??= new Promise((done) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => done());
        // Hanging and stalled answers would otherwise keep server.close() waiting forever.
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    }
  };
}

/** @param {string[]} argv */
function cliOptions(argv) {
  /** @type {{ port?: number, scenario?: string }} */
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = String(argv[i]);
    const [flag, inline] = arg.split(/=(.*)/s);
    const value = inline ?? argv[++i];
    if (flag === '--port' && value !== undefined && /^\d+$/.test(value)) out.port = Number(value);
    else if (flag === '--scenario' && value) out.scenario = value;
    else
      throw new Error(
        `Usage: node emulator/server.mjs [--port N] [--scenario path]  (bad argument: ${arg}${value === undefined ? '' : ` ${value}`})`
      );
  }
  return out;
}

if (invokedDirectly(import.meta.url)) {
  try {
    const args = cliOptions(process.argv.slice(2));
    const envPort = process.env.PORT && /^\d+$/.test(process.env.PORT) ? Number(process.env.PORT) : undefined;
    const emulator = await startEmulator({
      port: args.port ?? envPort ?? 3001,
      ...(args.scenario ? { scenario: args.scenario } : {}),
      log: (line) => console.error(line)
    });
    console.log(
      `Unpod example server listening on ${emulator.url} (token: ${emulator.token}, org: ${emulator.orgHandle})`
    );
    const stop = () => {
      void emulator.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
