/**
 * The API client against the example server on loopback, with a clock whose sleeps return at
 * once: retry counts, Retry-After and the time limit without real waiting.
 */
import { describe, expect, it } from '@jest/globals';
import { ApiError, MAX_DEPTH, UnpodApi } from '../../src/unpod/client.js';
import { DataError } from '../../src/unpod/executions.js';
import { TransportError, type GetOptions, type HttpResponse } from '../../src/unpod/transport.js';
import { Cancelled } from '../../src/unpod/cancel.js';
import { readSettings } from '../../src/settings/inputs.js';
import { TOKEN, fakeClock, hex, run, sharedEmulator, withServer } from '../helpers.js';

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
  const settingsOf = (inputs: Record<string, string> = {}) =>
    readSettings(
      (name) =>
        ({ 'agent-handle': 'a', 'org-handle': 'o', token: TOKEN, 'base-url': 'https://unpod.test', ...inputs })[name] ??
        ''
    );
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
