/**
 * A loopback server for the invariant suite: it serves one generated history per `Org-Handle`,
 * newest first across pages as the README trusts, each page in a scrambled order, at the page
 * size the case gives (a server that caps `page_size`, or one that ignores it), and the agent's
 * tasks fast, slow, failing or stalled. Standard library only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HistoryRun } from './model.js';

export type TasksKind = 'fast' | 'slow' | 'failing' | 'stalled';

/** How one bundle run's server behaves. */
export interface Serving {
  /** The largest page: what a server that caps `page_size` allows, or its only size when it ignores it. */
  readonly pageSize: number;
  readonly ignoresPageSize: boolean;
  /** Seeds the order of runs created at the same instant across the list and the order inside each page. */
  readonly scramble: number;
  readonly tasks: TasksKind;
  /** Each page newest first too, instead of scrambled. */
  readonly sortedPages?: boolean;
}

/** How long a slow tasks page takes. */
export const SLOW_TASKS_MS = 500;

/** A small deterministic generator (an LCG), so that a case replays exactly. */
export function lcg(seed: number): () => number {
  let h = seed >>> 0 || 1;
  return () => {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    return h / 2 ** 32;
  };
}

function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The list as this server sorts it: newest first by instant; runs created at the same instant
 * in an order of the server's own (seeded), as a database's may be.
 */
export function serverOrder(runs: readonly HistoryRun[], scramble: number): HistoryRun[] {
  const next = lcg(scramble ^ 0x5bd1e995);
  const rank = new Map(runs.map((r) => [r.run_id, next()]));
  return [...runs].sort((a, b) => b.at - a.at || (rank.get(a.run_id) ?? 0) - (rank.get(b.run_id) ?? 0));
}

/** Page `page` (from 1) of `size` runs, in its scrambled order. */
export function pageOf(runs: readonly HistoryRun[], serving: Serving, requested: number, page: number): HistoryRun[] {
  const size = serving.ignoresPageSize ? serving.pageSize : Math.min(requested, serving.pageSize);
  const slice = serverOrder(runs, serving.scramble).slice((page - 1) * size, page * size);
  return serving.sortedPages ? slice : shuffle(slice, lcg(serving.scramble + page * 7919));
}

/** The run's fields as the API sends them. */
const listed = (r: HistoryRun) => ({
  run_id: r.run_id,
  status: r.status,
  total_tasks: r.total_tasks,
  completed_tasks: r.completed_tasks,
  created: r.created
});

const END_REASONS = ['no_answer', 'busy', 'voicemail', 'call_failed'];

/** Task `i` of every task of the agent, newest run first, each run's tasks in a row; undefined past the end. */
function taskAt(order: readonly HistoryRun[], index: number): Record<string, unknown> | undefined {
  let i = index;
  for (const run of order) {
    if (i >= run.total_tasks) {
      i -= run.total_tasks;
      continue;
    }
    const done = i < run.completed_tasks;
    const unfinished = !['completed', 'partially_completed', 'failed'].includes(run.status);
    return {
      task_id: `T${run.run_id.slice(1, 25)}${i.toString(16).padStart(8, '0')}`,
      run_id: run.run_id,
      status: done ? 'completed' : unfinished ? 'pending' : 'failed',
      retry_attempt: 0,
      last_failure_reason: null,
      input: { name: 'Ada Example', contact_number: '+1 415 555 0100' },
      output: done
        ? { call_status: 'completed', call_end_reason: 'caller_hangup' }
        : unfinished
          ? {}
          : { call_status: 'failed', call_end_reason: END_REASONS[i % END_REASONS.length] }
    };
  }
  return undefined;
}

export interface HistoryServer {
  readonly url: string;
  readonly token: string;
  /** Serves `runs` to requests with this Org-Handle, as `serving` says, until `forget`. */
  serve(org: string, runs: readonly HistoryRun[], serving: Serving): void;
  forget(org: string): void;
  /** Requests per org: `executions p` or `tasks p`. */
  requests(org: string): readonly string[];
  close(): Promise<void>;
}

const ROUTE = /^\/api\/v2\/platform\/agents\/([^/]+)\/(executions|tasks)\/$/;

export async function startHistoryServer(): Promise<HistoryServer> {
  const token = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';
  const cases = new Map<string, { runs: readonly HistoryRun[]; serving: Serving; log: string[] }>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    res.on('error', () => undefined);
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = ROUTE.exec(url.pathname);
    const org = String(req.headers['org-handle'] ?? '');
    const served = cases.get(org);
    if (!route || served === undefined) {
      json(res, 404, { message: 'Agent not found.' });
      return;
    }
    if (req.headers.authorization !== `Token ${token}`) {
      json(res, 401, { message: 'Invalid token.' });
      return;
    }
    const page = Number(url.searchParams.get('page') ?? '1');
    const size = Number(url.searchParams.get('page_size') ?? '10');
    if (!Number.isSafeInteger(page) || page < 1 || !Number.isSafeInteger(size) || size < 1) {
      json(res, 400, { message: 'Bad page.' });
      return;
    }
    served.log.push(`${route[2] ?? ''} ${page}`);
    if (route[2] === 'executions') {
      const data = pageOf(served.runs, served.serving, size, page).map(listed);
      json(res, 200, { count: served.runs.length, status_code: 200, message: 'ok', data });
      return;
    }
    const kind = served.serving.tasks;
    if (kind === 'stalled') return; // the socket stays open until the client leaves or close()
    if (kind === 'failing') {
      res.writeHead(503, { 'Content-Type': 'text/html' });
      res.end('<html><body>Service Unavailable</body></html>');
      return;
    }
    const order = serverOrder(served.runs, served.serving.scramble);
    const all = order.reduce((sum, r) => sum + r.total_tasks, 0);
    const start = (page - 1) * size;
    const answer = (): void => {
      if (start > 0 && start >= all) {
        json(res, 404, { detail: 'Invalid page.' });
        return;
      }
      const data: unknown[] = [];
      for (let i = start; i < Math.min(all, start + size); i++) data.push(taskAt(order, i));
      json(res, 200, { count: all, status_code: 200, message: 'ok', data });
    };
    if (kind === 'fast') {
      answer();
      return;
    }
    const t = setTimeout(() => {
      timers.delete(t);
      answer();
    }, SLOW_TASKS_MS);
    timers.add(t);
  };
  const server = createServer(onRequest);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the history server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    token,
    serve: (org, runs, serving) => cases.set(org, { runs, serving, log: [] }),
    forget: (org) => cases.delete(org),
    requests: (org) => cases.get(org)?.log ?? [],
    close: () =>
      new Promise<void>((done) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => {
          done();
        });
        for (const socket of sockets) socket.destroy();
      })
  };
}
