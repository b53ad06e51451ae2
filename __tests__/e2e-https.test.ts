/**
 * The built bundle over HTTPS on loopback, as users reach Unpod: certificates from a test CA
 * (__tests__/fixtures/tls, made by its make.sh), trusted only through NODE_EXTRA_CA_CERTS, and a
 * CONNECT proxy that resolves a name the runner cannot. A certificate the runner refuses is a
 * configuration failure: one request, no retry, and no pass under `on-api-error: warn`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../emulator/server.mjs';
import { runAction, visibleText, type ActionRun } from '../scripts/run-action.mjs';
import { TOKEN, startConnectProxy, withServer } from './helpers.js';

const fixture = (file: string): string => fileURLToPath(new URL(`fixtures/tls/${file}`, import.meta.url));
const CA = fixture('ca.pem');
const KEY = readFileSync(fixture('server-key.pem'));
const pem = (...files: string[]): string => files.map((file) => readFileSync(fixture(file), 'utf8')).join('');
const TRUST_CA = { NODE_EXTRA_CA_CERTS: CA };

/** An HTTPS example server presenting `cert` (a PEM chain) for the test's work. */
async function withTlsServer<T>(cert: string, work: (server: Emulator) => Promise<T>): Promise<T> {
  const server = await startEmulator({ tls: { key: KEY, cert } });
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

/** The gate with room to retry and leave to pass on API errors: neither may apply to TLS. */
function gate(baseUrl: string, env: Record<string, string>): Promise<ActionRun> {
  return runAction(
    {
      'agent-handle': 'sales-agent',
      'org-handle': 'demo-org',
      token: TOKEN,
      'base-url': baseUrl,
      retries: '3',
      'request-timeout': '10s',
      'on-api-error': 'warn'
    },
    { env }
  );
}

/** The gate's own count of requests sent, from its debug line. */
function requestsSent(r: ActionRun): number {
  const match = /^::debug::(\d+) request\(s\) sent/m.exec(r.stdout);
  if (!match) throw new Error(`no request count in:\n${r.stdout}`);
  return Number(match[1]);
}

/** A refused certificate: one request and one connection, a failed step, the reason, no secret. */
function expectRefused(r: ActionRun, server: Emulator, reason: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.outputs.passed).toBe('false');
  expect(r.outputs.reason).toMatch(reason);
  expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([r.outputs.reason]);
  expect(r.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  expect(r.stdout).not.toContain('retrying');
  expect(requestsSent(r)).toBe(1);
  expect(server.connections).toBe(1);
  expect(server.requests).toHaveLength(0);
  expect(visibleText(r)).not.toContain(TOKEN);
}

describe('HTTPS on loopback', () => {
  it.concurrent('passes with a certificate the runner trusts through NODE_EXTRA_CA_CERTS', async () => {
    await withTlsServer(pem('server.pem'), async (server) => {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const r = await gate(server.url, TRUST_CA);
      expect(r.code).toBe(0);
      expect(r.outputs.passed).toBe('true');
      expect(requestsSent(r)).toBe(1);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.headers.authorization).toBe(`Token ${TOKEN}`);
    });
  });

  it.concurrent.each([
    ['the certificate alone', ['server.pem'], 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['the chain up to its CA', ['server.pem', 'ca.pem'], 'SELF_SIGNED_CERT_IN_CHAIN']
  ])('fails at once when the runner does not trust the CA (server sends %s)', async (_what, files, code) => {
    await withTlsServer(pem(...files), async (server) => {
      const r = await gate(server.url, {});
      expectRefused(
        r,
        server,
        new RegExp(
          `^The runner does not trust the TLS certificate of ${server.url.replace(/\./g, '\\.')} \\(${code}\\): .*add that CA on the runner with NODE_EXTRA_CA_CERTS`
        )
      );
    });
  });

  it.concurrent('fails at once on a trusted certificate for another host name, pointing at base-url', async () => {
    await withTlsServer(pem('mismatch.pem'), async (server) => {
      const r = await gate(server.url, TRUST_CA);
      expectRefused(
        r,
        server,
        /^The TLS certificate of https:\/\/127\.0\.0\.1:\d+ is for another host name: check 'base-url', .*\(ERR_TLS_CERT_ALTNAME_INVALID: .*IP: 127\.0\.0\.1 is not in the cert's list/
      );
    });
  });

  it.concurrent('fails at once on a trusted certificate that has expired, saying so', async () => {
    await withTlsServer(pem('expired.pem'), async (server) => {
      const r = await gate(server.url, TRUST_CA);
      expectRefused(
        r,
        server,
        /^The TLS certificate of https:\/\/127\.0\.0\.1:\d+ has expired \(CERT_HAS_EXPIRED\): the server's certificate must be renewed/
      );
    });
  });

  it.concurrent('fails at once when https:// points at a plain-HTTP port', async () => {
    await withServer(async (server) => {
      const url = server.url.replace(/^http:/, 'https:');
      const r = await gate(url, {});
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toMatch(
        /^The server at https:\/\/127\.0\.0\.1:\d+ does not speak TLS \(ERR_SSL_[A-Z_]+\): check 'base-url'/
      );
      expect(r.stdout).not.toContain('retrying');
      expect(requestsSent(r)).toBe(1);
    });
  });
});

describe('HTTPS through a CONNECT proxy (HTTPS_PROXY), as on a self-hosted runner', () => {
  it.concurrent('passes to a name only the proxy resolves, with the token only inside the tunnel', async () => {
    await withTlsServer(pem('server.pem'), async (server) => {
      const proxy = await startConnectProxy((host, port) => (host === 'unpod.test' && port === 443 ? server.port : 0));
      try {
        const r = await gate('https://unpod.test', { ...TRUST_CA, HTTPS_PROXY: proxy.url });
        expect(r.code).toBe(0);
        expect(r.outputs.passed).toBe('true');
        expect(proxy.connects).toEqual(['CONNECT unpod.test:443']);
        expect(server.requests).toHaveLength(1);
        expect(server.requests[0]?.headers.host).toBe('unpod.test');
        expect(server.requests[0]?.headers.authorization).toBe(`Token ${TOKEN}`);
        // The proxy saw the CONNECT without credentials and only ciphertext after it.
        expect(JSON.stringify(proxy.headers)).not.toContain(TOKEN);
        expect(proxy.headers[0]?.authorization).toBeUndefined();
        const inside = proxy.tunnelled();
        expect(inside.length).toBeGreaterThan(0);
        expect(inside.includes(TOKEN)).toBe(false);
        expect(inside.includes('sales-agent')).toBe(false);
        expect(visibleText(r)).not.toContain(TOKEN);
      } finally {
        await proxy.close();
      }
    });
  });

  it.concurrent('fails at once, naming the fix, when the runner does not trust what the tunnel presents', async () => {
    await withTlsServer(pem('server.pem'), async (server) => {
      const proxy = await startConnectProxy(() => server.port);
      try {
        const r = await gate('https://unpod.test', { HTTPS_PROXY: proxy.url });
        expect(r.code).toBe(1);
        expect(r.outputs.reason).toMatch(
          /^The runner does not trust the TLS certificate of https:\/\/unpod\.test \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): .*NODE_EXTRA_CA_CERTS/
        );
        expect(r.stdout).not.toContain('retrying');
        expect(requestsSent(r)).toBe(1);
        expect(proxy.connects).toEqual(['CONNECT unpod.test:443']);
        expect(server.requests).toHaveLength(0);
      } finally {
        await proxy.close();
      }
    });
  });
});
