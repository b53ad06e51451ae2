/**
 * The transport's TLS classification: which request errors are refusals a setting must fix
 * (never retried), and what their reasons tell a person; then the real thing against an HTTPS
 * server on loopback whose CA this process does not trust.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { TransportError, Transport, classifyTls, explainTls, type TlsProblem } from '../../src/unpod/transport.js';
import { Cancelled } from '../../src/unpod/cancel.js';
import { listenOnLoopback } from '../helpers.js';

const fixture = (file: string): Buffer =>
  readFileSync(fileURLToPath(new URL(`../fixtures/tls/${file}`, import.meta.url)));

describe('classifyTls', () => {
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'untrusted'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'untrusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'untrusted'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'untrusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'name-mismatch'],
    ['CERT_HAS_EXPIRED', 'expired'],
    ['CERT_NOT_YET_VALID', 'not-yet-valid'],
    ['CERT_REVOKED', 'rejected'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'not-tls']
  ] as const)('reads %s as %s', (code, problem) => {
    expect(classifyTls(code, 'whatever Node said')).toEqual({ problem, code });
  });

  it("reads Node's EPROTO with OpenSSL's 'wrong version number' as TLS to a plain port", () => {
    const message =
      'write EPROTO 807C64FAF17F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:';
    expect(classifyTls('EPROTO', message)).toEqual({ problem: 'not-tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
  });

  it.each([
    ['ECONNRESET', 'read ECONNRESET'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'],
    ['ETIMEDOUT', 'connect ETIMEDOUT'],
    ['EPROTO', 'write EPROTO …:SSL routines::sslv3 alert handshake failure:…'],
    [undefined, 'socket hang up'],
    ['constructor', 'not a TLS code, though an object key'],
    ['cert_has_expired', 'codes are matched exactly']
  ])('leaves %s (%s) to the network rules', (code, message) => {
    expect(classifyTls(code, message)).toBeUndefined();
  });
});

describe('explainTls', () => {
  const origin = 'https://unpod.corp.example';
  const reason = (problem: TlsProblem, code = 'CODE', detail = 'detail'): string =>
    explainTls({ problem, code }, origin, detail);

  it('names the origin and the code in every reason', () => {
    for (const problem of ['untrusted', 'name-mismatch', 'expired', 'not-yet-valid', 'rejected', 'not-tls'] as const) {
      expect(reason(problem)).toContain(origin);
      expect(reason(problem)).toContain('CODE');
    }
  });

  it('tells an untrusted certificate to add the CA with NODE_EXTRA_CA_CERTS', () => {
    expect(reason('untrusted', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toMatch(
      /^The runner does not trust the TLS certificate of https:\/\/unpod\.corp\.example \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): .*organisation's own CA, add that CA on the runner with NODE_EXTRA_CA_CERTS/
    );
  });

  it("sends a name mismatch to 'base-url', before Node's list of the certificate's names", () => {
    const text = reason(
      'name-mismatch',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      "Host: x. is not in the cert's altnames: DNS:y"
    );
    expect(text.indexOf("check 'base-url'")).toBeGreaterThan(-1);
    expect(text.indexOf("check 'base-url'")).toBeLessThan(text.indexOf('altnames'));
  });

  it('says an expired certificate has expired, and a future one points at the clock', () => {
    expect(reason('expired', 'CERT_HAS_EXPIRED')).toContain('has expired (CERT_HAS_EXPIRED)');
    expect(reason('not-yet-valid')).toContain("check the runner's clock");
  });
});

describe('Transport.get over HTTPS', () => {
  it('turns a certificate this process does not trust into a TransportError of kind tls', async () => {
    let served = 0;
    const server = createServer({ key: fixture('server-key.pem'), cert: fixture('server.pem') }, (_req, res) => {
      served++;
      res.end('{}');
    });
    const port = await listenOnLoopback(server);
    const transport = new Transport('unpod-gate-action/test');
    try {
      const failure = transport.get(`https://127.0.0.1:${port}/`, { headers: {}, timeoutMs: 10_000 });
      await expect(failure).rejects.toBeInstanceOf(TransportError);
      await expect(failure).rejects.toMatchObject({
        kind: 'tls',
        message: expect.stringMatching(/^The runner does not trust the TLS certificate of https:\/\/127\.0\.0\.1:\d+ /)
      });
      expect(served).toBe(0);
    } finally {
      transport.dispose();
      await new Promise((done) => server.close(done));
    }
  });
});

describe('Transport.get with a signal', () => {
  it('destroys the request and its socket when aborted, rejecting with the cancellation', async () => {
    const closed: string[] = [];
    let arrived: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (arrived = resolve));
    // A server that takes the request and never answers.
    const server = createHttpServer((req) => {
      req.socket.on('close', () => closed.push(req.url ?? ''));
      arrived();
    });
    const port = await listenOnLoopback(server);
    const transport = new Transport('unpod-gate-action/test');
    try {
      const controller = new AbortController();
      const pending = transport.get(`http://127.0.0.1:${port}/stalled`, {
        headers: {},
        timeoutMs: 600_000,
        signal: controller.signal
      });
      await asked;
      const reason = new Cancelled('step-timeout 3s');
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await new Promise<void>((done) => {
        const check = (): void => {
          if (closed.length > 0) done();
          else setImmediate(check);
        };
        check();
      });
      expect(closed).toEqual(['/stalled']);
    } finally {
      transport.dispose();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it('sends nothing for a signal already aborted', async () => {
    let connections = 0;
    const server = createHttpServer((_req, res) => res.end('{}'));
    server.on('connection', () => connections++);
    const port = await listenOnLoopback(server);
    const transport = new Transport('unpod-gate-action/test');
    try {
      const controller = new AbortController();
      controller.abort(new Cancelled('step-timeout 3s'));
      await expect(
        transport.get(`http://127.0.0.1:${port}/`, { headers: {}, timeoutMs: 10_000, signal: controller.signal })
      ).rejects.toBeInstanceOf(Cancelled);
      // A request that is sent afterwards is the first the server sees.
      await transport.get(`http://127.0.0.1:${port}/`, { headers: {}, timeoutMs: 10_000 });
      expect(connections).toBe(1);
    } finally {
      transport.dispose();
      await new Promise((done) => server.close(done));
    }
  });
});
