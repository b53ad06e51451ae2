/**
 * The API client against the example server on loopback, with a clock whose sleeps return at
 * once: retry counts, Retry-After and the time limit without real waiting. Answers the server
 * cannot give (transport errors, a clock that moves while a request runs, pages without a count)
 * come from a scripted transport.
 */
import { describe, expect, it } from '@jest/globals';
import { ApiError, MAX_DEPTH, UnpodApi } from '../../src/unpod/client.js';
import { DataError } from '../../src/unpod/executions.js';
import { TransportError, type GetOptions, type HttpResponse } from '../../src/unpod/transport.js';
import { Cancelled } from '../../src/unpod/cancel.js';
import { readSettings } from '../../src/settings/inputs.js';
import { TOKEN, fakeClock, hex, run, sharedEmulator, withServer } from '../helpers.js';
import type { Run } from '../../emulator/server.mjs';
import { USER_AGENT } from '../../src/unpod/version.js';

const shared = sharedEmulator('api-agent');
const { transport } = shared;

function client(inputs: Record<string, string> = {}) {
  const settings = readSettings(
    (name) =>
      ({
        'agent-handle': 'sales-agent',
        'org-handle': 'demo-org',
        token: TOKEN,
        'base-url': shared.server.url,
        ...inputs
      })[name] ?? ''
  );
  const lines: string[] = [];
  const clock = fakeClock();
  const api = new UnpodApi(settings, transport, { info: (line) => lines.push(line), debug: () => undefined }, clock);
  return { api, lines, clock };
}

const BASE = 'https://unpod.test';
/** A real epoch: a time measured from the wrong end (now + started) is then far off. */
const EPOCH = Date.UTC(2026, 11, 4);

const settingsOf = (inputs: Record<string, string> = {}) =>
  readSettings(
    (name) => ({ 'agent-handle': 'a', 'org-handle': 'o', token: TOKEN, 'base-url': BASE, ...inputs })[name] ?? ''
  );

/** A fake clock at EPOCH that `advance` moves, as a slow request does, and whose sleeps overrun by `overrunMs`. */
function epochClock(overrunMs = 0) {
  let now = EPOCH;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms: number) => {
      slept.push(ms);
      now += ms + overrunMs;
      return Promise.resolve();
    },
    random: () => 0.5,
    advance: (ms: number) => {
      now += ms;
    }
  };
}

const answer = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body
});
const pageOf = (runs: Run[], count?: number): HttpResponse =>
  answer(200, JSON.stringify(count === undefined ? { data: runs } : { count, data: runs }));
const pageNumber = (url: string): number => Number(new URL(url).searchParams.get('page'));

/**
 * A client whose transport answers each request with `reply(url)`: a response, or an error it
 * throws. Every request is kept with its options, every log line by level.
 */
function scripted(
  reply: (url: string) => HttpResponse | Error | Promise<HttpResponse | Error>,
  inputs: Record<string, string> = {},
  clock: ReturnType<typeof epochClock> = epochClock()
) {
  const sent: { url: string; options: GetOptions }[] = [];
  const info: string[] = [];
  const debug: string[] = [];
  const transport = {
    get: async (url: string, options: GetOptions): Promise<HttpResponse> => {
      sent.push({ url, options });
      const result = await reply(url);
      if (result instanceof Error) throw result;
      return result;
    }
  };
  const log = { info: (line: string) => info.push(line), debug: (line: string) => debug.push(line) };
  const api = new UnpodApi(settingsOf(inputs), transport, log, clock);
  return { api, sent, info, debug, clock };
}

describe('UnpodApi.fetchPage', () => {
  it('honours a Retry-After longer than any backoff when the time limit allows it', async () => {
    const { api, clock, lines } = client({ retries: '2', 'request-timeout': '60s' });
    expect(api.budgetMs).toBe(3 * 61_000 + 500 + 1000);
    shared.server.fault({ kind: 'status', status: 429, retryAfter: '90', agent: 'sales-agent', times: 1 });
    const page = await api.fetchPage('sales-agent', 1);
    expect(page.executions.length).toBeGreaterThan(0);
    expect(clock.slept).toEqual([90_000]);
    expect(lines).toEqual([
      'Attempt 1 of 3 for "sales-agent" page 1 failed: the API is rate-limiting requests (HTTP 429 "Too many requests"); retrying in 1m 30s.'
    ]);
    expect(api.requests).toBe(2);
  });

  it('gives up at once when Retry-After leaves no room for a full attempt within the time limit', async () => {
    const { api, clock } = client({ retries: '2', 'request-timeout': '30s' });
    shared.server.fault({ kind: 'status', status: 429, retryAfter: '90', agent: 'sales-agent', times: 1 });
    const failure = api.fetchPage('sales-agent', 1);
    await expect(failure).rejects.toThrow(ApiError);
    await expect(failure).rejects.toThrow("the server asked to wait 1m 30s, past the gate's time limit.");
    expect(clock.slept).toEqual([]);
  });

  it('makes retries + 1 attempts with growing backoff, then reports them all', async () => {
    const { api, clock } = client({ retries: '3' });
    shared.server.fault({ kind: 'status', status: 502, agent: 'sales-agent', times: 4 });
    await expect(api.fetchPage('sales-agent', 1)).rejects.toMatchObject({
      kind: 'unavailable',
      status: 502,
      message: 'The API is failing (HTTP 502), after 4 attempts.'
    });
    expect(clock.slept).toEqual([375, 750, 1500]);
    expect(api.requests).toBe(4);
  });

  it('does not retry a configuration error', async () => {
    const { api, clock } = client({ token: 'f'.repeat(40) });
    await expect(api.fetchPage('sales-agent', 1)).rejects.toMatchObject({ kind: 'config', status: 401 });
    expect(clock.slept).toEqual([]);
    expect(api.requests).toBe(1);
  });
});

describe('UnpodApi and TLS', () => {
  it('reports a refused certificate as a configuration error at once, without a retry', async () => {
    const settings = readSettings(
      (name) =>
        ({ 'agent-handle': 'a', 'org-handle': 'o', token: TOKEN, 'base-url': 'https://unpod.test', retries: '3' })[
          name
        ] ?? ''
    );
    const refusal =
      'The runner does not trust the TLS certificate of https://unpod.test (SELF_SIGNED_CERT_IN_CHAIN): …';
    let sent = 0;
    const refusing = {
      get: () => {
        sent++;
        return Promise.reject(new TransportError(refusal, 'tls'));
      }
    };
    const clock = fakeClock();
    const api = new UnpodApi(settings, refusing, { info: () => undefined, debug: () => undefined }, clock);
    await expect(api.fetchPage('a', 1)).rejects.toMatchObject({ kind: 'config', message: refusal });
    expect(sent).toBe(1);
    expect(api.requests).toBe(1);
    expect(clock.slept).toEqual([]);
  });
});

describe('UnpodApi request slots', () => {
  it('keeps at most concurrency requests in flight across agents', async () => {
    await withServer(async (local) => {
      const settings = readSettings(
        (name) =>
          ({ 'agent-handle': 'a', 'org-handle': 'demo-org', token: TOKEN, 'base-url': local.url, concurrency: '2' })[
            name
          ] ?? ''
      );
      const api = new UnpodApi(settings, transport, { info: () => undefined, debug: () => undefined }, fakeClock());
      local.fault({ kind: 'latency', ms: 100, times: Infinity });
      const pages = await Promise.all(Array.from({ length: 6 }, () => api.fetchPage('sales-agent', 1)));
      expect(pages).toHaveLength(6);
      expect(local.maxInFlight).toBe(2);
    });
  });
});

describe('UnpodApi.scan and findRun', () => {
  const runs = Array.from({ length: 120 }, (_, i) => run(120 - i));

  it('reads a page whole before asking whether it has enough, and fetches no page after', async () => {
    const { agent, pages } = shared.agentWith(runs);
    const { api } = client();
    const asked: [number, number][] = [];
    const scan = await api.scan(agent, { page: await api.fetchPage(agent, 1), number: 1 }, (read, page) => {
      asked.push([read.length, page.length]);
      return read.length >= 60;
    });
    expect(asked).toEqual([
      [50, 50],
      [100, 50]
    ]);
    expect(scan).toMatchObject({ pages: 2, stoppedAt: 2 });
    expect(scan.executions.map((e) => e.runId)).toEqual(runs.slice(0, 100).map((r) => r.run_id));
    expect(pages()).toEqual(['1', '2']);
  });

  it('finds a run on the page it is on, having read that page whole', async () => {
    const { agent, pages } = shared.agentWith(runs);
    const { api } = client();
    const search = await api.findRun(agent, hex(60), { page: await api.fetchPage(agent, 1), number: 1 });
    expect(search).toMatchObject({ searched: 100, pages: 2, page: 2 });
    expect(search.execution?.runId).toBe(hex(60));
    const missing = await api.findRun(agent, hex(999), { page: await api.fetchPage(agent, 1), number: 1 });
    expect(missing).toEqual({ execution: undefined, searched: 120, pages: 3, page: undefined });
    expect(pages()).toEqual(['1', '2', '1', '2', '3']);
  });
});

describe('UnpodApi cut short by its signal', () => {
  const quiet = { info: () => undefined, debug: () => undefined };
  const limit = new Cancelled('step-timeout 10s');

  /** A transport that answers 503, or with `stall` never answers until its signal aborts. */
  function fakeTransport(stall = false) {
    const sent: string[] = [];
    return {
      sent,
      get: (url: string, options: GetOptions): Promise<HttpResponse> => {
        sent.push(url);
        if (!stall) return Promise.resolve({ status: 503, headers: {}, body: '' });
        return new Promise((_resolve, reject) => {
          options.signal?.addEventListener('abort', () => {
            reject(options.signal?.reason as Error);
          });
        });
      }
    };
  }

  /** A fake clock whose sleeps honour their signal the way systemClock's do. */
  function clockThat(onSleep: () => void) {
    const clock = fakeClock();
    return {
      ...clock,
      sleep: (ms: number, signal?: AbortSignal) => {
        onSleep();
        return signal?.aborted ? Promise.reject(signal.reason as Error) : clock.sleep(ms);
      }
    };
  }

  it('sends no retry once aborted during the backoff', async () => {
    const controller = new AbortController();
    const transport = fakeTransport();
    const clock = clockThat(() => {
      controller.abort(limit);
    });
    const api = new UnpodApi(settingsOf({ retries: '3' }), transport, quiet, clock, controller.signal);
    await expect(api.fetchPage('a', 1)).rejects.toBe(limit);
    expect(transport.sent).toHaveLength(1);
    expect(api.requests).toBe(1);
  });

  it('passes its signal to the transport: a stalled request ends as Cancelled, never retried or an ApiError', async () => {
    const controller = new AbortController();
    const transport = fakeTransport(true);
    const clock = clockThat(() => undefined);
    const api = new UnpodApi(settingsOf({ retries: '3' }), transport, quiet, clock, controller.signal);
    const pending = api.fetchTasksPage('a', 1);
    controller.abort(limit);
    await expect(pending).rejects.toBe(limit);
    expect(transport.sent).toHaveLength(1);
    expect(clock.slept).toEqual([]);
  });

  it('takes requests queued for a slot out of the queue, unsent', async () => {
    const controller = new AbortController();
    const transport = fakeTransport(true);
    const api = new UnpodApi(
      settingsOf({ concurrency: '1' }),
      transport,
      quiet,
      clockThat(() => undefined),
      controller.signal
    );
    const pages = [api.fetchPage('a', 1), api.fetchPage('b', 1), api.fetchPage('c', 1)];
    controller.abort(limit);
    for (const page of pages) await expect(page).rejects.toBe(limit);
    expect(transport.sent).toEqual(['https://unpod.test/api/v2/platform/agents/a/executions/?page=1&page_size=50']);
  });

  it('sends nothing at all once its signal has aborted', async () => {
    const controller = new AbortController();
    controller.abort(limit);
    const transport = fakeTransport();
    const api = new UnpodApi(
      settingsOf(),
      transport,
      quiet,
      clockThat(() => undefined),
      controller.signal
    );
    await expect(api.fetchPage('a', 1)).rejects.toBe(limit);
    expect(transport.sent).toEqual([]);
    expect(api.requests).toBe(0);
  });
});

describe('UnpodApi and bodies nested deeper than the gate reads', () => {
  /** A client whose every answer is HTTP 200 with `body`. */
  function answering(body: string) {
    const settings = readSettings(
      (name) => ({ 'agent-handle': 'a', 'org-handle': 'o', token: TOKEN, 'base-url': 'https://unpod.test' })[name] ?? ''
    );
    const transport200 = { get: () => Promise.resolve({ status: 200, headers: {}, body }) };
    return new UnpodApi(settings, transport200, { info: () => undefined, debug: () => undefined }, fakeClock());
  }
  const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const item = (extra: string): string =>
    `{"run_id":"R1","status":"completed","created":"2026-02-07T05:57:45Z","total_tasks":1,"completed_tasks":1${extra}}`;

  it('refuses an executions page as data naming the field, at any depth past MAX_DEPTH', async () => {
    for (const levels of [MAX_DEPTH, 2_000, 1_000_000]) {
      const api = answering(`{"count":2,"data":[${item('')},${item(`,"tags":${deep(levels)}`)}]}`);
      const failure = api.fetchPage('a', 1);
      await expect(failure).rejects.toThrow(DataError);
      await expect(failure).rejects.toThrow(
        `The API answered HTTP 200 for "a" with the field 'tags' of execution #2 nested more than ${MAX_DEPTH} levels deep: the gate reads no data nested so deep.`
      );
    }
  });

  it('reads a page nested exactly as deep as it accepts, and names no key that is not a code', async () => {
    // The envelope, data and the item are 3 levels: the field may hold MAX_DEPTH - 3 more.
    const page = await answering(`{"data":[${item(`,"tags":${deep(MAX_DEPTH - 3)}`)}]}`).fetchPage('a', 1);
    expect(page.executions).toHaveLength(1);
    await expect(
      answering(`{"data":[${item(`,"Ann Lee +1 415":${deep(MAX_DEPTH)}`)}]}`).fetchTasksPage('a', 1)
    ).rejects.toThrow(/with a field of task #1 nested/);
    await expect(answering(`{"meta":${deep(MAX_DEPTH)},"data":[]}`).fetchTasksPage('a', 1)).rejects.toThrow(
      /with the field 'meta' of the answer nested/
    );
  });
});

describe('UnpodApi: the time limit of a page', () => {
  it('gives the last attempt only what is left of the time limit after backoffs that overran', async () => {
    // retries 3, request-timeout 10s: 4 × (10s + 1s slack) + 0.5s + 1s + 2s = 47.5s.
    const clock = epochClock(20_000);
    const { api, sent } = scripted(() => answer(503, ''), { retries: '3', 'request-timeout': '10s' }, clock);
    expect(api.budgetMs).toBe(47_500);
    await expect(api.fetchPage('a', 1)).rejects.toMatchObject({
      name: 'ApiError',
      kind: 'unavailable',
      status: 503,
      message:
        "The API is failing (HTTP 503), after 3 attempts; no time was left for another attempt within the gate's time limit."
    });
    // Attempt 3 starts at 41.125s of 47.5s; attempt 4 (1.5s backoff + 10s) would end past the limit.
    expect(sent.map((s) => s.options.timeoutMs)).toEqual([10_000, 10_000, 6_375]);
    expect(clock.slept).toEqual([375, 750]);
  });

  it('does not count the time a retry waits for a slot against the time limit', async () => {
    // concurrency 1, retries 1, request-timeout 10s: a time limit of 22.5s per page.
    const clock = epochClock();
    let tries = 0;
    const { api, sent } = scripted(
      async (url) => {
        if (url.includes('/agents/a/')) return tries++ === 0 ? answer(503, '') : pageOf([run(1)]);
        // Agent b holds the only slot for a minute while a's retry waits for it.
        await new Promise((done) => setImmediate(done));
        clock.advance(60_000);
        return pageOf([run(2)]);
      },
      { concurrency: '1', retries: '1', 'request-timeout': '10s' },
      clock
    );
    const [a, b] = await Promise.all([api.fetchPage('a', 1), api.fetchPage('b', 1)]);
    expect(a.executions.map((e) => e.runId)).toEqual([hex(1)]);
    expect(b.executions.map((e) => e.runId)).toEqual([hex(2)]);
    const ofA = sent.filter((s) => s.url.includes('/agents/a/')).map((s) => s.options.timeoutMs);
    expect(ofA).toEqual([10_000, 10_000]);
  });
});

describe('UnpodApi requests', () => {
  it('sends the token, the organisation, JSON as the wanted answer and its User-Agent, and logs each answer', async () => {
    const clock = epochClock();
    const body = JSON.stringify({ data: [run(1)] });
    const { api, sent, debug } = scripted(
      () => {
        clock.advance(250);
        return answer(200, body);
      },
      {},
      clock
    );
    await api.fetchPage('a', 2);
    const url = `${BASE}/api/v2/platform/agents/a/executions/?page=2&page_size=50`;
    expect(sent).toEqual([
      {
        url,
        options: {
          timeoutMs: 30_000,
          headers: {
            Authorization: `Token ${TOKEN}`,
            'Org-Handle': 'o',
            Accept: 'application/json',
            'User-Agent': USER_AGENT
          }
        }
      }
    ]);
    expect(debug).toEqual([`GET ${url}: HTTP 200, ${body.length} bytes in 250 ms.`]);
  });

  it('names the tasks page in a retry line', async () => {
    let tries = 0;
    const { api, info } = scripted(
      () => (tries++ === 0 ? answer(503, '') : answer(200, JSON.stringify({ data: [] }))),
      { retries: '1' }
    );
    await api.fetchTasksPage('a', 3);
    expect(info).toEqual([
      'Attempt 1 of 2 for "a" tasks page 3 failed: the API is failing (HTTP 503); retrying in 375ms.'
    ]);
  });
});

describe('UnpodApi when a request gets no answer', () => {
  it('retries a request that got no answer, logging how long it waited, and names the origin when it gives up', async () => {
    const clock = epochClock();
    const { api, sent, debug } = scripted(
      () => {
        clock.advance(10_000);
        return new TransportError('no complete answer within 10s', 'timeout');
      },
      { retries: '1', 'request-timeout': '10s' },
      clock
    );
    const failure = api.fetchPage('a', 1);
    await expect(failure).rejects.toThrow(ApiError);
    await expect(failure).rejects.toMatchObject({
      kind: 'unavailable',
      status: undefined,
      message: 'The request to https://unpod.test failed: no complete answer within 10s, after 2 attempts.'
    });
    const url = `${BASE}/api/v2/platform/agents/a/executions/?page=1&page_size=50`;
    expect(sent.map((s) => s.url)).toEqual([url, url]);
    expect(debug).toEqual([
      `GET ${url}: no answer after 10000 ms (no complete answer within 10s).`,
      `GET ${url}: no answer after 10000 ms (no complete answer within 10s).`
    ]);
  });

  it('logs how long a TLS refusal took', async () => {
    const clock = epochClock();
    const { api, sent, debug } = scripted(
      () => {
        clock.advance(1500);
        return new TransportError('The server at https://unpod.test does not speak TLS (ERR_SSL_HTTP_REQUEST)', 'tls');
      },
      { retries: '3' },
      clock
    );
    await expect(api.fetchPage('a', 1)).rejects.toMatchObject({
      kind: 'config',
      message: 'The server at https://unpod.test does not speak TLS (ERR_SSL_HTTP_REQUEST)'
    });
    expect(sent).toHaveLength(1);
    expect(debug).toEqual([
      `GET ${BASE}/api/v2/platform/agents/a/executions/?page=1&page_size=50: TLS refused after 1500 ms; not retried.`
    ]);
  });

  it('reports an unusable proxy variable as a configuration error, without a retry', async () => {
    const problem =
      'The proxy variable HTTPS_PROXY is set but is not a usable proxy URL (write it as http://host:port)';
    const { api, sent, clock } = scripted(() => new TransportError(problem, 'proxy'), { retries: '3' });
    await expect(api.fetchPage('a', 1)).rejects.toMatchObject({
      name: 'ApiError',
      kind: 'config',
      message: `${problem}: fix the runner's proxy variables.`
    });
    expect(sent).toHaveLength(1);
    expect(clock.slept).toEqual([]);
  });

  it('refuses an answer too large as data, without a retry', async () => {
    const tooLarge = 'the answer is larger than 32 MiB, far more than an executions page can be';
    const { api, sent } = scripted(() => new TransportError(tooLarge, 'too-large'), { retries: '3' });
    const failure = api.fetchPage('a', 1);
    await expect(failure).rejects.toThrow(DataError);
    await expect(failure).rejects.toThrow(`The API's answer for "a" was refused: ${tooLarge}.`);
    expect(sent).toHaveLength(1);
  });

  it('lets a Cancelled from the transport through, never retried', async () => {
    const limit = new Cancelled('step-timeout 10s');
    const { api, sent, clock } = scripted(() => limit, { retries: '3' });
    await expect(api.fetchPage('a', 1)).rejects.toBe(limit);
    expect(sent).toHaveLength(1);
    expect(clock.slept).toEqual([]);
  });
});

describe('UnpodApi and the statuses it does not accept', () => {
  const refused = async (endpoint: 'executions' | 'tasks', response: HttpResponse) => {
    const { api, sent } = scripted(() => response, { retries: '3' });
    const failure = endpoint === 'tasks' ? api.fetchTasksPage('a', 1) : api.fetchPage('a', 1);
    const error = await failure.then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(sent).toHaveLength(1);
    return error as ApiError;
  };
  const invalidToken = JSON.stringify({ detail: 'Invalid token for Ann Lee.' });

  it("shows the server's message for executions, and never for tasks, whose errors may quote a contact", async () => {
    expect((await refused('executions', answer(401, invalidToken))).message).toBe(
      `The API refused the token (HTTP 401 "Invalid token for Ann Lee."): check 'token' (a key from Unpod, with or without its 'Token ' prefix).`
    );
    expect((await refused('tasks', answer(401, invalidToken))).message).toBe(
      `The API refused the token (HTTP 401): check 'token' (a key from Unpod, with or without its 'Token ' prefix).`
    );
  });

  it("names a redirect's target for executions, and never for tasks", async () => {
    const moved = answer(302, '', { location: 'https://elsewhere.test/login' });
    expect(await refused('executions', moved)).toMatchObject({
      kind: 'config',
      status: 302,
      message: `The API redirected (HTTP 302 to "https://elsewhere.test/login"): check 'base-url'; the gate does not follow redirects, so the token goes nowhere else.`
    });
    expect((await refused('tasks', moved)).message).toBe(
      `The API redirected (HTTP 302): check 'base-url'; the gate does not follow redirects, so the token goes nowhere else.`
    );
  });

  it('tells a 404 from the API (JSON) from one of another server, and takes a body nested too deep for not JSON', async () => {
    expect((await refused('executions', answer(404, JSON.stringify({ detail: 'Not found.' })))).message).toBe(
      `Agent "a" not found (HTTP 404 "Not found."): check 'agent-handle' and 'base-url'.`
    );
    const elsewhere = `The server at ${BASE} has no executions endpoint (HTTP 404, not JSON): check 'base-url'.`;
    expect((await refused('executions', answer(404, '<html><body>Not Found</body></html>'))).message).toBe(elsewhere);
    const deep = `{"detail":"Not found.","trace":${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}}`;
    expect(await refused('executions', answer(404, deep))).toMatchObject({ kind: 'config', message: elsewhere });
  });

  it('reports a server error it does not retry as the API being unavailable', async () => {
    expect(await refused('executions', answer(501, ''))).toMatchObject({
      kind: 'unavailable',
      status: 501,
      message: 'The API is failing (HTTP 501).'
    });
  });
});

describe('UnpodApi and HTTP 200 bodies it cannot use', () => {
  const failing = async (body: string, endpoint: 'executions' | 'tasks' = 'executions') => {
    const { api } = scripted(() => answer(200, body));
    const error = await (endpoint === 'tasks' ? api.fetchTasksPage('a', 1) : api.fetchPage('a', 1)).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(DataError);
    return (error as DataError).message;
  };
  const where = 'The API answered HTTP 200 for "a"';

  it('names an empty or blank body', async () => {
    for (const body of ['', ' \n\t ']) {
      expect(await failing(body)).toBe(`${where} with an empty body instead of JSON.`);
    }
  });

  it('tells an HTML page from a body cut short', async () => {
    const html = `${where} with an HTML page instead of JSON: check 'base-url'.`;
    const cut = `${where} with a body that is not valid JSON (perhaps cut short) instead of JSON: check 'base-url'.`;
    expect(await failing('<!doctype html><html></html>')).toBe(html);
    expect(await failing('\n  <html></html>')).toBe(html);
    expect(await failing('{"data":[{"run_id":"R1","note":"<b>')).toBe(cut);
    expect(await failing('ok<')).toBe(cut);
  });

  it('redacts the token from the data it keeps', async () => {
    const { api } = scripted(() => pageOf([run(1, { status: `failed for Token ${TOKEN}` })]));
    const page = await api.fetchPage('a', 1);
    expect(page.executions[0]?.status).toBe('failed for ***');
  });
});

describe('UnpodApi.scan stopping', () => {
  const runs = Array.from({ length: 200 }, (_, i) => run(200 - i));
  /** Full pages of 50 distinct runs, newest first, with no count; `override` replaces a page's answer. */
  const pages = (override: (page: number) => HttpResponse | Error | undefined = () => undefined) => {
    return (url: string) => {
      const page = pageNumber(url);
      return override(page) ?? pageOf(runs.slice((page - 1) * 50, page * 50));
    };
  };
  const scanFrom1 = async (api: UnpodApi) =>
    api.scan('a', { page: await api.fetchPage('a', 1), number: 1 }, () => false);
  const asked = (sent: { url: string }[]) => sent.map((s) => pageNumber(s.url));

  it('stops at a short page, without a count', async () => {
    const { api, sent } = scripted(pages((page) => (page === 2 ? pageOf(runs.slice(50, 70)) : undefined)));
    const scan = await scanFrom1(api);
    expect(scan).toMatchObject({ pages: 2, stoppedAt: undefined });
    expect(scan.executions).toHaveLength(70);
    expect(asked(sent)).toEqual([1, 2]);
  });

  it('stops at a page with no run not seen before (a server ignoring page), without a count', async () => {
    const { api, sent } = scripted(pages((page) => (page > 1 ? pageOf(runs.slice(0, 50)) : undefined)));
    const scan = await scanFrom1(api);
    expect(scan).toMatchObject({ pages: 2, stoppedAt: undefined });
    expect(scan.executions.map((e) => e.runId)).toEqual(runs.slice(0, 50).map((r) => r.run_id));
    expect(asked(sent)).toEqual([1, 2]);
  });

  it('reads no page past max-pages', async () => {
    const { api, sent } = scripted(pages(), { 'max-pages': '3' });
    const scan = await scanFrom1(api);
    expect(scan).toMatchObject({ pages: 3, stoppedAt: undefined });
    expect(scan.executions).toHaveLength(150);
    expect(asked(sent)).toEqual([1, 2, 3]);
  });

  it('stops at a 404 past the first page (Django\'s "Invalid page.")', async () => {
    const invalid = answer(404, JSON.stringify({ detail: 'Invalid page.' }));
    const { api, sent } = scripted(pages((page) => (page === 3 ? invalid : undefined)));
    const scan = await scanFrom1(api);
    expect(scan).toMatchObject({ pages: 2, stoppedAt: undefined });
    expect(scan.executions).toHaveLength(100);
    expect(asked(sent)).toEqual([1, 2, 3]);
  });

  it('lets any other error past the first page through', async () => {
    const denied = answer(403, JSON.stringify({ detail: 'Denied.' }));
    const { api } = scripted(pages((page) => (page === 2 ? denied : undefined)));
    await expect(scanFrom1(api)).rejects.toMatchObject({ name: 'ApiError', status: 403 });
    const tooLarge = new TransportError('the answer is larger than 32 MiB', 'too-large');
    const { api: api2 } = scripted(pages((page) => (page === 2 ? tooLarge : undefined)));
    await expect(scanFrom1(api2)).rejects.toThrow(DataError);
  });
});
