/**
 * The fault-injection suite: the built bundle against the example server misbehaving in every
 * way the real API can. Each test asserts the exit code, the reason, how many requests the
 * server saw, and that the token appears nowhere. No timing is asserted beyond generous bounds.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import type { Emulator, FaultSpec } from '../emulator/server.mjs';
import { runAction, visibleText, type ActionRun } from '../scripts/run-action.mjs';
import { TOKEN, hex, listenOnLoopback, run, startConnectProxy, stepInputs, withServer } from './helpers.js';

function gate(
  server: Emulator,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): Promise<ActionRun> {
  return runAction(stepInputs(server.url, { 'request-timeout': '2s', ...inputs }), { env });
}

/** The executions requests the server saw: what these tests bound (explain's task requests have their own suite). */
const listed = (server: Emulator): Emulator['requests'] => server.requests.filter((q) => q.endpoint === 'executions');

async function faulted(
  fault: FaultSpec,
  inputs: Record<string, string> = {}
): Promise<{ run: ActionRun; requests: number }> {
  return withServer(async (server) => {
    server.fault(fault);
    const run = await gate(server, inputs);
    expect(visibleText(run)).not.toContain(TOKEN);
    return { run, requests: listed(server).length };
  });
}

describe('transient failures are retried, then reported', () => {
  it.concurrent('a slow answer within request-timeout passes', async () => {
    const { run: r, requests } = await faulted({ kind: 'latency', ms: 300 }, { 'request-timeout': '10s' });
    expect(r.code).toBe(0);
    expect(requests).toBe(1);
  });

  it.concurrent.each([
    ['hang', 'no complete answer within 1s'],
    ['stall-body', 'no complete answer within 1s']
  ] as const)('a server that %s is cut off by request-timeout and retried', async (kind, message) => {
    const { run: r, requests } = await faulted({ kind, times: Infinity }, { 'request-timeout': '1s' });
    expect(r.code).toBe(1);
    expect(requests).toBe(2);
    expect(r.outputs.passed).toBe('false');
    expect(r.outputs.reason).toMatch(
      new RegExp(`^The request to http://127\\.0\\.0\\.1:\\d+ failed: ${message}, after 2 attempts\\.$`)
    );
    expect(r.stdout).toMatch(/Attempt 1 of 2 for "sales-agent" page 1 failed: .*; retrying in \d+ms\./);
  });

  it.concurrent.each(['close', 'reset'] as const)('a connection that is %s is retried', async (kind) => {
    const { run: r, requests } = await faulted({ kind, times: Infinity }, { retries: '2' });
    expect(r.code).toBe(1);
    expect(requests).toBe(3);
    expect(r.outputs.reason).toMatch(/^The request to http:\/\/127\.0\.0\.1:\d+ failed: .+, after 3 attempts\.$/);
  });

  it.concurrent('a connection error once, then success, passes', async () => {
    const { run: r, requests } = await faulted({ kind: 'close', times: 1 });
    expect(r.code).toBe(0);
    expect(requests).toBe(2);
  });

  it.concurrent('429 with Retry-After is honoured, then the gate passes', async () => {
    const { run: r, requests } = await faulted({ kind: 'status', status: 429, retryAfter: '1', times: 1 });
    expect(r.code).toBe(0);
    expect(requests).toBe(2);
    expect(r.stdout).toContain('the API is rate-limiting requests (HTTP 429 "Too many requests"); retrying in 1s.');
  });

  it.concurrent('429 asking for longer than the gate may wait fails at once', async () => {
    const { run: r, requests } = await faulted({ kind: 'status', status: 429, retryAfter: '600', times: Infinity });
    expect(r.code).toBe(1);
    expect(requests).toBe(1);
    expect(r.outputs.reason).toBe(
      `The API is rate-limiting requests (HTTP 429 "Too many requests"), after 1 attempt; the server asked to wait 10m 0s, past the gate's time limit.`
    );
  });

  it.concurrent.each([500, 502, 503, 504])('HTTP %d is retried, then fails the step', async (status) => {
    const { run: r, requests } = await faulted({ kind: 'status', status, times: Infinity });
    expect(r.code).toBe(1);
    expect(requests).toBe(2);
    expect(r.outputs.reason).toBe(`The API is failing (HTTP ${status}), after 2 attempts.`);
    expect(r.summary).toContain('❌ Unpod gate failed');
  });

  it.concurrent('retries: 0 makes one attempt', async () => {
    const { run: r, requests } = await faulted({ kind: 'status', status: 503, times: Infinity }, { retries: '0' });
    expect(r.code).toBe(1);
    expect(requests).toBe(1);
    expect(r.outputs.reason).toBe('The API is failing (HTTP 503), after 1 attempt.');
  });
});

describe('configuration and data errors are never retried', () => {
  it.concurrent.each([
    [
      { kind: 'status', status: 206 },
      /^Unpod denied access \(HTTP 206 "You Don't have Access to this Space"; an error despite being 2xx\)/
    ],
    [{ kind: 'status', status: 400 }, /^The API rejected the request \(HTTP 400 .*\): check 'org-handle'\.$/],
    [
      { kind: 'status', status: 403 },
      /^The API denied access \(HTTP 403 "You do not have permission to perform this action\."\)/
    ],
    [
      { kind: 'status', status: 404, body: '<html>Not Found</html>', contentType: 'text/html' },
      /has no executions endpoint \(HTTP 404, not JSON\): check 'base-url'\.$/
    ],
    [{ kind: 'status', status: 501 }, /^The API is failing \(HTTP 501\)\.$/],
    [{ kind: 'status', status: 301 }, /^The API redirected \(HTTP 301\): check 'base-url'/],
    [{ kind: 'html' }, /with an HTML page instead of JSON: check 'base-url'\.$/],
    [{ kind: 'empty' }, /with an empty body instead of JSON\.$/],
    [{ kind: 'truncated' }, /with a body that is not valid JSON \(perhaps cut short\) instead of JSON/],
    [{ kind: 'huge', bytes: 40 * 1024 * 1024 }, /was refused: the answer is larger than 32 MiB/],
    [{ kind: 'wrong-types' }, /with 'total_tasks' the string "25": expected a non-negative integer\.$/]
  ] as [FaultSpec, RegExp][])('%j fails after one request', async (fault, reason) => {
    // A generous request-timeout: reading 32 MiB must not time out on a slow, busy machine.
    const { run: r, requests } = await faulted({ ...fault, times: Infinity }, { 'request-timeout': '2m' });
    expect(r.code).toBe(1);
    expect(requests).toBe(1);
    expect(r.outputs.passed).toBe('false');
    expect(r.outputs.reason).toMatch(reason);
    expect(r.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\(.*:\d+:\d+\)/); // no stack trace
  });

  it.concurrent('a huge body without Content-Length is cut off at the cap too', async () => {
    const { run: r, requests } = await faulted(
      { kind: 'huge', bytes: 200 * 1024 * 1024, times: Infinity },
      { 'request-timeout': '2m' }
    );
    expect(r.code).toBe(1);
    expect(requests).toBe(1);
    expect(r.outputs.reason).toContain('larger than 32 MiB');
  });

  it.concurrent('a page that repeats every run still gates the latest', async () => {
    // Generous, as above: the 32 MiB tests beside it can keep this one's server from answering in 2s.
    const { run: r, requests } = await faulted({ kind: 'duplicates', times: Infinity }, { 'request-timeout': '2m' });
    expect(r.code).toBe(0);
    expect(requests).toBe(1);
    expect(r.outputs['run-id']).toBe('Rfe7950db30649c90886dc3980007786d');
  });
});

describe('on-api-error', () => {
  it.concurrent('warn lets an unavailable API pass the step, saying the gate could not decide', async () => {
    const { run: r } = await faulted({ kind: 'status', status: 503, times: Infinity }, { 'on-api-error': 'warn' });
    expect(r.code).toBe(0);
    expect(r.outputs.passed).toBe('false');
    expect(r.outputs.reason).toBe('The API is failing (HTTP 503), after 2 attempts.');
    expect(r.annotations).toEqual([{ level: 'warning', message: 'The API is failing (HTTP 503), after 2 attempts.' }]);
    expect(r.summary).toContain('could not decide');
  });

  it.concurrent('warn does not excuse a configuration error', async () => {
    const { run: r } = await faulted({ kind: 'status', status: 401, times: Infinity }, { 'on-api-error': 'warn' });
    expect(r.code).toBe(1);
    expect(r.outputs.reason).toContain('HTTP 401');
  });
});

describe('pagination', () => {
  const many = (server: Emulator): void => {
    for (let n = 1; n <= 120; n++) server.addRun('busy-agent', run(n));
  };

  it.concurrent('finds a run-id on a later page', async () => {
    await withServer(async (server) => {
      many(server);
      const r = await gate(server, { 'agent-handle': 'busy-agent', 'run-id': hex(5) });
      expect(r.code).toBe(0);
      expect(r.outputs['run-id']).toBe(hex(5));
      expect(listed(server).map((q) => q.query.page)).toEqual(['1', '2', '3']);
    });
  });

  it.concurrent('stops at max-pages, saying how many executions were searched', async () => {
    await withServer(async (server) => {
      many(server);
      const r = await gate(server, { 'agent-handle': 'busy-agent', 'run-id': hex(5), 'max-pages': '2' });
      expect(r.code).toBe(1);
      expect(listed(server)).toHaveLength(2);
      expect(r.outputs.reason).toContain(
        'was not found among the 100 most recent executions of agent "busy-agent" (2 pages searched)'
      );
    });
  });

  it.concurrent('stops at count for a run that is not there, without asking for an empty page', async () => {
    await withServer(async (server) => {
      for (let n = 1; n <= 100; n++) server.addRun('busy-agent', run(n)); // exactly two full pages
      const r = await gate(server, { 'agent-handle': 'busy-agent', 'run-id': hex(999) });
      expect(r.code).toBe(1);
      expect(listed(server)).toHaveLength(2);
      expect(r.outputs.reason).toContain('not found among the 100 most recent executions');
    });
  });

  it.concurrent('does not loop on a server that ignores page', async () => {
    await withServer(async (server) => {
      many(server);
      server.fault({ kind: 'ignore-page', times: Infinity });
      const r = await gate(server, { 'agent-handle': 'busy-agent', 'run-id': hex(5) });
      expect(r.code).toBe(1);
      expect(listed(server)).toHaveLength(2);
      expect(r.outputs.reason).toContain(
        'not found among the 50 most recent executions of agent "busy-agent" (2 pages searched)'
      );
    });
  });
});

describe('waiting for a run', () => {
  it.concurrent('polls until the run finishes, then judges it', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'agent-handle': 'survey-agent', 'wait-timeout': '60s', 'poll-interval': '1s' });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ passed: 'true', status: 'completed', 'completion-rate': '100' });
      expect(listed(server)).toHaveLength(3);
      expect(r.stdout).toContain('::group::Waiting for run "R78bb61b32934a2c0d4b8513aadfd299d" of "survey-agent"');
      expect(r.stdout).toMatch(/Poll 1: "in_progress", 10 of 25 tasks done, \d+s waited\./);
      expect(r.stdout).toMatch(/Poll 2: "completed", 25 of 25 tasks done, \d+s waited\./);
      expect(r.stdout).toContain('::endgroup::');
    });
  });

  it.concurrent(
    'gives up at the deadline, saying which run, its last status and counts, and how long it waited',
    async () => {
      await withServer(async (server) => {
        server.addRun('slow-agent', run(1, { status: 'processing', completed_tasks: 7 }));
        const r = await gate(server, {
          'agent-handle': 'slow-agent',
          'wait-timeout': '3s',
          'poll-interval': '1s',
          explain: 'never'
        });
        expect(r.code).toBe(1);
        expect(r.outputs.reason).toMatch(
          new RegExp(
            `^Run "${hex(1)}" is still "processing" \\(7 of 25 tasks done\\): it has not finished, so it cannot be judged yet\\. The gate waited (\\d+ms|\\ds) \\(wait-timeout 3s\\)\\.$`
          )
        );
        // At most ceil(wait / poll) + 1 requests.
        expect(listed(server).length).toBeGreaterThanOrEqual(2);
        expect(listed(server).length).toBeLessThanOrEqual(4);
      });
    }
  );

  it.concurrent('a run that fails while waited for ends the wait at once', async () => {
    await withServer(async (server) => {
      server.addRun(
        'flaky-agent',
        run(1, { status: 'running', completed_tasks: 3, timeline: [{ afterRequests: 1, status: 'failed' }] })
      );
      const r = await gate(server, {
        'agent-handle': 'flaky-agent',
        'wait-timeout': '10m',
        'poll-interval': '1s',
        explain: 'never'
      });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toBe(`Run "${hex(1)}" failed.`);
      expect(listed(server)).toHaveLength(2);
    });
  });

  it.concurrent('follows the chosen run by id even when a newer run appears', async () => {
    await withServer(async (server) => {
      server.addRun(
        'busy-agent',
        run(1, {
          status: 'in_progress',
          completed_tasks: 1,
          timeline: [{ afterRequests: 2, status: 'completed', completed_tasks: 20 }]
        })
      );
      const pending = gate(server, { 'agent-handle': 'busy-agent', 'wait-timeout': '60s', 'poll-interval': '1s' });
      for (let i = 0; i < 500 && server.requests.length === 0; i++) await new Promise((done) => setTimeout(done, 10));
      server.addRun('busy-agent', run(2)); // newer, and perfect
      const r = await pending;
      expect(r.code).toBe(1);
      expect(r.outputs['run-id']).toBe(hex(1));
      expect(r.outputs.reason).toContain('completed 20 of 25 tasks (80%)');
    });
  });
});

describe('waiting through an unreliable API', () => {
  it.concurrent(
    'an API that fails during the wait ends in "still running", never in a pass, even with on-api-error warn',
    async () => {
      await withServer(async (server) => {
        server.addRun('slow-agent', run(1, { status: 'processing', completed_tasks: 7 }));
        const pending = gate(server, {
          'agent-handle': 'slow-agent',
          'wait-timeout': '3s',
          'poll-interval': '1s',
          retries: '0',
          'on-api-error': 'warn'
        });
        for (let i = 0; i < 500 && server.requests.length === 0; i++) await new Promise((done) => setTimeout(done, 10));
        server.fault({ kind: 'status', status: 503, times: Infinity });
        const r = await pending;
        expect(r.code).toBe(1);
        expect(r.outputs.passed).toBe('false');
        expect(r.outputs.status).toBe('processing');
        expect(r.outputs.reason).toMatch(
          new RegExp(
            `^Run "${hex(1)}" is still "processing" \\(7 of 25 tasks done\\): .* The gate waited .*\\. Its last poll failed: The API is failing \\(HTTP 503\\), after 1 attempt\\.$`
          )
        );
        expect(r.stdout).toMatch(/Poll 1 failed: The API is failing \(HTTP 503\), after 1 attempt\./);
      });
    }
  );

  it.concurrent('a Retry-After within the time limit is honoured while waiting', async () => {
    await withServer(async (server) => {
      server.addRun(
        'limited-agent',
        run(1, {
          status: 'running',
          completed_tasks: 1,
          timeline: [{ afterRequests: 1, status: 'completed', completed_tasks: 25 }]
        })
      );
      const pending = gate(server, { 'agent-handle': 'limited-agent', 'wait-timeout': '20s', 'poll-interval': '1s' });
      for (let i = 0; i < 500 && server.requests.length === 0; i++) await new Promise((done) => setTimeout(done, 10));
      server.fault({ kind: 'status', status: 429, retryAfter: '2', times: 1 });
      const r = await pending;
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('retrying in 2s.');
      expect(listed(server).map((q) => q.status)).toEqual([200, 429, 200]);
    });
  });

  it.concurrent('polls the page the run is on, keeping to ceil(wait / poll) + 1 requests', async () => {
    await withServer(async (server) => {
      for (let n = 2; n <= 120; n++) server.addRun('busy-agent', run(n));
      server.addRun('busy-agent', run(1, { status: 'processing', completed_tasks: 3 }));
      const r = await gate(server, {
        'agent-handle': 'busy-agent',
        'run-id': hex(1),
        'wait-timeout': '3s',
        'poll-interval': '1s'
      });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toContain('is still "processing"');
      const pages = listed(server).map((q) => q.query.page);
      // Finding it takes pages 1-3; each poll then asks for page 3 only.
      expect(pages.slice(0, 3)).toEqual(['1', '2', '3']);
      expect(pages.slice(3).every((p) => p === '3')).toBe(true);
      expect(pages.length - 3).toBeLessThanOrEqual(3);
    });
  });

  it.concurrent('never prints a workflow command smuggled in a run id or status, even in a fleet', async () => {
    await withServer(async (server) => {
      server.addRun('evil-agent', {
        run_id: 'Rx\n::error title=INJECTED::pwned',
        status: 'in_progress\n::warning::from status',
        total_tasks: 2,
        completed_tasks: 1,
        created: new Date().toISOString()
      });
      const r = await gate(server, {
        'agent-handle': 'evil-agent\nsales-agent',
        'wait-timeout': '2s',
        'poll-interval': '1s'
      });
      expect(r.code).toBe(1);
      const commands = r.stdout.split('\n').filter((line) => line.startsWith('::'));
      expect(commands.some((line) => /INJECTED|from status/.test(line.split('::')[1] ?? ''))).toBe(false);
      expect(commands.filter((line) => line.startsWith('::warning'))).toEqual([]);
      expect(
        r.annotations
          .filter((a) => a.level === 'error')
          .some((a) => a.message.includes('"Rx ::error title=INJECTED::pwned"'))
      ).toBe(true);
    });
  });
});

describe('never hanging', () => {
  it.concurrent('ends the step within its time limit when every attempt hangs', async () => {
    const { run: r, requests } = await faulted(
      { kind: 'hang', times: Infinity },
      { 'request-timeout': '1s', retries: '2' }
    );
    expect(r.code).toBe(1);
    expect(requests).toBe(3);
    // The page's limit is 3 × (1s + 1s) + 0.5s + 1s of backoff; the bound below is generous.
    expect(r.ms).toBeLessThan(7_500 + 20_000);
  });

  it.concurrent('exits after its verdict even when a proxy accepts the connection and never answers', async () => {
    const sockets = new Set<Socket>();
    // Plain TCP: the connection is accepted and nothing is ever said.
    const silent = createNetServer((socket) => sockets.add(socket));
    const port = await listenOnLoopback(silent);
    try {
      const inputs = {
        'agent-handle': 'sales-agent',
        'org-handle': 'demo-org',
        token: TOKEN,
        'base-url': 'http://unpod.example.test',
        'allow-insecure-http': 'true',
        'request-timeout': '1s',
        retries: '0'
      };
      const options = { env: { HTTP_PROXY: `http://127.0.0.1:${port}` }, killAfterMs: 60_000 };
      const r = await runAction(inputs, { ...options, allowForcedExit: true });
      expect(r.code).toBe(1); // not null: the process ended by itself
      // A socket the runtime cannot cancel: the forced exit is the last resort, and says so.
      expect(r.stdout).toContain('::debug::Forced exit: something still held the process 2000 ms after the verdict.');
      expect(r.outputs.reason).toBe(
        'The request to http://unpod.example.test failed: no complete answer within 1s, after 1 attempt.'
      );
      // Every other end-to-end run must end by itself: runAction refuses one that did not.
      await expect(runAction(inputs, options)).rejects.toThrow(
        'The action needed its forced exit to end (exit code 1)'
      );
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((done) => silent.close(done));
    }
  });

  it.concurrent('stops waiting at once when the server asks for quiet past the wait', async () => {
    await withServer(async (server) => {
      server.addRun('quiet-agent', run(1, { status: 'running', completed_tasks: 2 }));
      const pending = gate(server, { 'agent-handle': 'quiet-agent', 'wait-timeout': '30s', 'poll-interval': '1s' });
      for (let i = 0; i < 500 && server.requests.length === 0; i++) await new Promise((done) => setTimeout(done, 10));
      server.fault({ kind: 'status', status: 429, retryAfter: '600', times: Infinity });
      const r = await pending;
      expect(r.code).toBe(1);
      expect(listed(server)).toHaveLength(2);
      expect(r.outputs.reason).toMatch(
        /is still "running" \(2 of 25 tasks done\).* Its last poll failed: The API is rate-limiting requests .*the server asked to wait 10m 0s, past the gate's time limit\.$/
      );
      expect(r.ms).toBeLessThan(25_000);
    });
  });
});

describe('a fleet waiting for its runs', () => {
  it.concurrent('waits for every agent, however many there are beyond concurrency', async () => {
    await withServer(async (server) => {
      const agents = Array.from({ length: 6 }, (_, i) => `wait-${i}`);
      for (const [i, agent] of agents.entries()) {
        server.addRun(
          agent,
          run(i + 1, {
            status: 'in_progress',
            completed_tasks: 1,
            timeline: [{ afterRequests: 1, status: 'completed', completed_tasks: 25 }]
          })
        );
      }
      const r = await gate(server, {
        'agent-handle': agents.join(','),
        concurrency: '2',
        'wait-timeout': '20s',
        'poll-interval': '1s'
      });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.outputs.results!) as { passed: boolean }[]).every((x) => x.passed)).toBe(true);
      expect(listed(server)).toHaveLength(12);
      expect(server.maxInFlight).toBeLessThanOrEqual(2);
    });
  });
});

describe('a token echoed in escaped JSON', () => {
  it.concurrent('is redacted after parsing, so no output, summary or report shows it', async () => {
    const escaped = Array.from(TOKEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const body = `{"count":1,"data":[{"run_id":"R-${escaped}","status":"completed","total_tasks":2,"completed_tasks":2,"created":"2026-11-28T00:00:00Z"}]}`;
    const echo: Server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(body)
    );
    const port = await listenOnLoopback(echo);
    try {
      expect(body).not.toContain(TOKEN);
      const r = await runAction({
        'agent-handle': 'a',
        'org-handle': 'o',
        token: TOKEN,
        'base-url': `http://127.0.0.1:${port}`
      });
      expect(r.code).toBe(0);
      expect(r.outputs['run-id']).toBe('R-***');
      expect(visibleText(r)).not.toContain(TOKEN);
    } finally {
      await new Promise((done) => echo.close(done));
    }
  });
});

describe('a Django-style server that pages without count', () => {
  it.concurrent('stops at the short last page, and reads a 404 past the end as the end of the list', async () => {
    const runs = Array.from({ length: 60 }, (_, i) => run(i + 1));
    const seen: string[] = [];
    const drf: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const page = Number(url.searchParams.get('page') ?? '1');
      seen.push(String(page));
      const size = Number(url.searchParams.get('page_size') ?? '10');
      const data = [...runs].reverse().slice((page - 1) * size, page * size);
      if (data.length === 0) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Invalid page."}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
    const port = await listenOnLoopback(drf);
    try {
      const missing = await runAction({
        'agent-handle': 'a',
        'org-handle': 'o',
        token: TOKEN,
        'base-url': `http://127.0.0.1:${port}`,
        'run-id': hex(999)
      });
      expect(missing.code).toBe(1);
      expect(missing.outputs.reason).toContain(
        `Run "${hex(999)}" was not found among the 60 most recent executions of agent "a" (2 pages searched)`
      );
      expect(seen).toEqual(['1', '2']);
      seen.length = 0;
      runs.push(...Array.from({ length: 40 }, (_, i) => run(61 + i))); // exactly two full pages
      const past = await runAction({
        'agent-handle': 'a',
        'org-handle': 'o',
        token: TOKEN,
        'base-url': `http://127.0.0.1:${port}`,
        'run-id': hex(999)
      });
      expect(past.outputs.reason).toContain(
        'not found among the 100 most recent executions of agent "a" (2 pages searched)'
      );
      expect(seen).toEqual(['1', '2', '3']);
    } finally {
      await new Promise((done) => drf.close(done));
    }
  });
});

describe('secrets the server sends back', () => {
  it.concurrent('are redacted from data before anything uses it', async () => {
    await withServer(async (server) => {
      server.addRun('leaky-agent', run(1, { run_id: `R-${TOKEN}`, status: `completed` }));
      const r = await gate(server, { 'agent-handle': 'leaky-agent' });
      expect(r.code).toBe(0);
      expect(r.outputs['run-id']).toBe('R-***');
      expect(visibleText(r)).not.toContain(TOKEN);
    });
  });
});

describe('proxy settings that cannot work', () => {
  it.concurrent.each(['not a url', 'http://[bad', 'proxy.corp.example:3128', 'localhost:3128'])(
    'HTTP_PROXY=%j is a configuration error, not a retry',
    async (value) => {
      await withServer(async (server) => {
        const r = await gate(
          server,
          { 'base-url': 'http://unpod.example.test', 'allow-insecure-http': 'true', 'on-api-error': 'warn' },
          { HTTP_PROXY: value }
        );
        expect(r.code).toBe(1);
        expect(r.outputs.reason).toBe(
          "The proxy variable HTTP_PROXY is set but is not a usable proxy URL (write it as http://host:port): fix the runner's proxy variables."
        );
        expect(listed(server)).toHaveLength(0);
        expect(r.stdout).not.toContain('retrying');
      });
    }
  );
});

describe('proxies', () => {
  it.concurrent('routes a request for a non-loopback host through HTTP_PROXY', async () => {
    await withServer(async (server) => {
      // Every tunnel goes to the example server, whatever the host.
      const proxy = await startConnectProxy(() => server.port);
      try {
        const r = await gate(
          server,
          { 'base-url': 'http://unpod.example.test', 'allow-insecure-http': 'true' },
          { HTTP_PROXY: proxy.url }
        );
        expect(r.code).toBe(0);
        expect(proxy.connects).toEqual(['CONNECT unpod.example.test:80']);
        expect(listed(server)).toHaveLength(1);
        expect(server.requests[0]?.headers.authorization).toBe(`Token ${TOKEN}`);
      } finally {
        await proxy.close();
      }
    });
  });
});
