/** Shared by the test suites: the example server's credentials, servers per test, fake time, fixtures. */
import { afterAll, beforeAll } from '@jest/globals';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { connect, type Server, type Socket } from 'node:net';
import { startEmulator, type Emulator, type Run } from '../emulator/server.mjs';
import type { Clock } from '../src/unpod/client.js';
import type { AgentResult, FailureKind } from '../src/check/agent.js';
import { parseExecutionsPage, type Execution } from '../src/unpod/executions.js';
import { Transport } from '../src/unpod/transport.js';
import { readSettings, type Settings } from '../src/settings/inputs.js';
import { parseThreshold } from '../src/values/percent.js';
import type { Task } from '../src/unpod/tasks.js';

/** The example server's public demo token (emulator/scenario.json). */
export const TOKEN = '0123456789abcdef0123456789abcdef01234567';

/** Serving the scenario's dates as written (by default they move with the clock). */
export const AS_WRITTEN = Date.parse('2026-11-28T12:00:00Z');

/** A fresh server per test, so that tests can run at once and count their own requests. */
export async function withServer<T>(work: (server: Emulator) => Promise<T>): Promise<T> {
  const server = await startEmulator({ now: AS_WRITTEN });
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

/** The example server and one transport, shared by a suite's tests. */
export interface SharedEmulator {
  /** The server, once the suite has started it. */
  readonly server: Emulator;
  readonly transport: Transport;
  /** A fresh agent with `runs`, so that each test counts its own requests: `pages()` are the executions pages asked for it. */
  readonly agentWith: (runs: Run[]) => { agent: string; pages: () => string[] };
}

/** Starts the example server before a suite's tests and closes it (and the transport) after them. */
export function sharedEmulator(prefix: string): SharedEmulator {
  let server: Emulator | undefined;
  let agents = 0;
  const transport = new Transport('unpod-gate-action/test');
  beforeAll(async () => {
    server = await startEmulator();
  });
  afterAll(async () => {
    transport.dispose();
    await server?.close();
  });
  const started = (): Emulator => {
    if (server === undefined) throw new Error('The shared example server starts in beforeAll: use it inside a test.');
    return server;
  };
  return {
    get server() {
      return started();
    },
    transport,
    agentWith: (runs) => {
      const agent = `${prefix}-${agents++}`;
      for (const r of runs) started().addRun(agent, r);
      const pages = () =>
        started()
          .requests.filter((q) => q.agent === agent && q.endpoint === 'executions')
          .map((q) => q.query.page ?? '?');
      return { agent, pages };
    }
  };
}

/** A clock that starts at 0 and moves only when slept. */
export function fakeClock(start = 0): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => 0.5
  };
}

/**
 * The inputs every end-to-end step starts from: one agent of the example server's org, the
 * test token, threshold 95 and one retry. A suite overrides what its test is about.
 */
export function stepInputs(baseUrl: string, inputs: Record<string, string> = {}): Record<string, string> {
  return {
    'agent-handle': 'sales-agent',
    'org-handle': 'demo-org',
    token: TOKEN,
    'base-url': baseUrl,
    threshold: '95',
    retries: '1',
    'request-timeout': '5s',
    ...inputs
  };
}

/** Run number `n`'s id: `R` and 32 hex digits, as the real server's. */
export const hex = (n: number): string => `R${n.toString(16).padStart(32, '0')}`;

/** A completed 25-of-25 run created `n` minutes into November 2026, with fields overridden. */
export const run = (n: number, over: Partial<Run> = {}): Run => ({
  run_id: hex(n),
  status: 'completed',
  total_tasks: 25,
  completed_tasks: 25,
  created: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(),
  ...over
});

/** Starts a test's own server on a free port of 127.0.0.1 and returns the port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the test server has no port');
  return address.port;
}

/** A validated execution, as the gate sees it after parsing: completed 25 of 25 unless overridden. */
export function execution(runId: string, over: Record<string, unknown> = {}): Execution {
  const page = parseExecutionsPage({
    data: [
      {
        run_id: runId,
        status: 'completed',
        total_tasks: 25,
        completed_tasks: 25,
        created: '2026-11-28T10:00:00Z',
        ...over
      }
    ]
  });
  return page.executions[0]!;
}

/** A task as the gate keeps it: a completed call of run R1 unless overridden. */
export const task = (over: Partial<Task> = {}): Task => ({
  taskId: undefined,
  runId: 'R1',
  status: 'completed',
  created: undefined,
  retries: 0,
  lastFailureReason: undefined,
  callStatus: 'completed',
  callEndReason: 'caller_hangup',
  outcome: 'interested',
  ...over
});

/** A failed task whose call ended for `endReason`. */
export const missed = (endReason: string, over: Partial<Task> = {}): Task =>
  task({ status: 'failed', callStatus: 'no-answer', callEndReason: endReason, outcome: undefined, ...over });

/** Settings of one agent, sales-agent, at threshold 95, with inputs overridden. */
export const gateSettings = (over: Record<string, string> = {}): Settings =>
  readSettings(
    (name) =>
      ({ 'agent-handle': 'sales-agent', 'org-handle': 'demo-org', token: TOKEN, threshold: '95', ...over })[name] ?? ''
  );

/**
 * An agent's result: a 25-of-25 pass, or with `failure` a 23-of-25 breach (or other failure),
 * with two runs of history, fields overridden.
 */
export const agentResult = (agent: string, failure?: FailureKind, over: Partial<AgentResult> = {}): AgentResult => {
  const run = execution(`R${agent.length.toString().padStart(32, '0')}`, failure ? { completed_tasks: 23 } : {});
  const counts = failure ? { completed: 23, total: 25 } : { completed: 25, total: 25 };
  return {
    agent,
    passed: failure === undefined,
    reason: failure ? `Run "${run.runId}" completed 23 of 25 tasks (92%), below the threshold of 95%.` : '',
    failure,
    run,
    counts,
    rate: failure ? '92' : '100',
    executionCount: 12,
    history: [run, execution('Rold', { completed_tasks: 10, created: '2026-11-27T10:00:00Z' })],
    verdict: failure ? 'fail' : 'pass',
    warning: '',
    threshold: parseThreshold('threshold', '95'),
    judged: { window: { runs: [run], counts, rate: failure ? '92' : '100' }, notes: [] },
    ...over
  };
};

/** sales-agent passed early: 24 of 25 done at a poll while the run was still in progress. */
export const earlyPassResult = (): AgentResult => {
  const early = {
    status: 'in_progress',
    completed: 24,
    total: 25,
    note: 'decided early: 24 of 25 done; even if the last task fails, 96% ≥ 95%',
    verdict: { passed: true, verdict: 'pass', reason: '', warning: '', notes: [] }
  } as const;
  return agentResult('sales-agent', undefined, { early, rate: '96', counts: { completed: 24, total: 25 } });
};

export interface ConnectProxy {
  readonly url: string;
  /** `CONNECT host:port` per tunnel asked for, in order. */
  readonly connects: string[];
  /** The headers of each CONNECT request. */
  readonly headers: IncomingHttpHeaders[];
  /** Every byte the client sent inside its tunnels. */
  tunnelled(): Buffer;
  close(): Promise<void>;
}

/**
 * A CONNECT proxy on loopback that resolves names itself: `route` gives the loopback port a
 * tunnel to `host:port` goes to, as a corporate proxy reaches hosts the runner cannot resolve.
 */
export async function startConnectProxy(route: (host: string, port: number) => number): Promise<ConnectProxy> {
  const connects: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const inside: Buffer[] = [];
  const sockets = new Set<Socket>();
  const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    connects.push(`${req.method ?? ''} ${req.url ?? ''}`);
    headers.push(req.headers);
    const target = new URL(`http://${req.url ?? ''}`);
    const upstream = connect(route(target.hostname, Number(target.port)), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      inside.push(head);
      upstream.write(head);
      client.on('data', (chunk: Buffer) => inside.push(chunk));
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
    }
  });
  const port = await listenOnLoopback(proxy);
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    headers,
    tunnelled: () => Buffer.concat(inside),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((done) => {
        proxy.close(() => {
          done();
        });
      });
    }
  };
}
