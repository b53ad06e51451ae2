/**
 * One bounded HTTP request (a GET, or a small JSON POST or PATCH for GitHub): a time limit from connect to last byte, a cap on the body, and the
 * proxy routing of @actions/http-client (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { HttpClient } from '@actions/http-client';
import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';
import { formatDuration } from '../values/duration.js';
import { cancellation } from './cancel.js';

/** Larger than any real executions page can be; a bigger body is refused, not buffered. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** The request did not complete: no connection, a reset, a timeout, or a body over the cap. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    /** `timeout` and `network` are worth retrying; `too-large`, `proxy` and `tls` are not. */
    readonly kind: 'timeout' | 'network' | 'too-large' | 'proxy' | 'tls'
  ) {
    super(message);
  }
}

export interface GetOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxBytes?: number;
  /** Aborting it destroys the request and its socket, and rejects with Cancelled. */
  readonly signal?: AbortSignal;
}

export interface RequestOptions extends GetOptions {
  /** Sent as is; its Content-Type is the caller's header. */
  readonly body?: string;
}

/** Sends GET requests through agents that @actions/http-client chose for the proxy settings. */
export class Transport {
  private readonly client: HttpClient;

  constructor(userAgent: string) {
    this.client = new HttpClient(userAgent, [], { keepAlive: true });
  }

  get(url: string, options: GetOptions): Promise<HttpResponse> {
    return this.request('GET', url, options);
  }

  request(method: 'GET' | 'POST' | 'PATCH', url: string, options: RequestOptions): Promise<HttpResponse> {
    const target = new URL(url);
    const problem = proxyProblem(target);
    if (problem !== undefined) throw new TransportError(problem, 'proxy');
    const agent = this.client.getAgent(url);
    const request = target.protocol === 'https:' ? https.request : http.request;
    const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancellation(signal));

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        if (signal) finish(cancellation(signal));
      };
      const finish = (error: Error | undefined, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          req.destroy();
          reject(error);
        } else if (response) {
          resolve(response);
        }
      };
      const timer = setTimeout(() => {
        finish(new TransportError(`no complete answer within ${formatDuration(options.timeoutMs)}`, 'timeout'));
      }, options.timeoutMs);

      const headers: Record<string, string | number> = { ...options.headers };
      if (options.body !== undefined) headers['Content-Length'] = Buffer.byteLength(options.body);
      const req = request(target, { method, headers, agent }, (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          finish(tooLarge(maxBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) finish(tooLarge(maxBytes));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          finish(undefined, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8')
          });
        });
        res.on('error', (error) => {
          finish(network(error, target));
        });
        res.on('close', () => {
          if (!res.complete)
            finish(new TransportError('the connection closed before the answer was complete', 'network'));
        });
      });
      req.on('error', (error) => {
        finish(network(error, target));
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end(options.body);
    });
  }

  /** Closes kept-alive connections so the process can exit at once. */
  dispose(): void {
    this.client.dispose();
  }
}

/**
 * Why the proxy variable for this URL cannot be used, if it cannot. http-client would throw on
 * some bad values and silently connect directly on others; a gate must do neither. The value
 * itself is not shown: it may carry credentials.
 */
export function proxyProblem(target: URL): string | undefined {
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const name = names.find((n) => (process.env[n] ?? '') !== '');
  if (name === undefined || checkBypass(target)) return undefined;
  let proxy: URL | undefined;
  try {
    proxy = getProxyUrl(target);
  } catch {
    // reported below
  }
  // `proxy.example:3128` parses as a URL with the scheme `proxy.example:` and no host, which
  // http-client would then bypass.
  if (proxy !== undefined && (proxy.protocol === 'http:' || proxy.protocol === 'https:') && proxy.hostname !== '') {
    return undefined;
  }
  return `The proxy variable ${name} is set but is not a usable proxy URL (write it as http://host:port)`;
}

function tooLarge(maxBytes: number): TransportError {
  return new TransportError(
    `the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB, far more than an executions page can be`,
    'too-large'
  );
}

function network(error: Error, target: URL): TransportError {
  const code = (error as NodeJS.ErrnoException).code;
  const tls = classifyTls(code, error.message);
  if (tls !== undefined) return new TransportError(explainTls(tls, target.origin, error.message), 'tls');
  const detail = code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  return new TransportError(detail, 'network');
}

/**
 * Why a TLS connection was refused. Each names a setting to fix (the runner's trust store,
 * base-url, the server's certificate or the runner's clock), never a passing network fault: a
 * retry cannot help, and an intercepted connection looks exactly like `untrusted`, so
 * `on-api-error: warn` must not let it pass.
 */
export type TlsProblem = 'untrusted' | 'name-mismatch' | 'expired' | 'not-yet-valid' | 'rejected' | 'not-tls';

// OpenSSL's verification results as Node names them (X509_V_ERR_* without the prefix), and
// Node's own host-name check.
const TLS_PROBLEMS: Readonly<Record<string, TlsProblem>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'name-mismatch',
  HOSTNAME_MISMATCH: 'name-mismatch',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  CERT_REVOKED: 'rejected',
  CERT_REJECTED: 'rejected',
  CERT_SIGNATURE_FAILURE: 'rejected',
  CERT_CHAIN_TOO_LONG: 'rejected',
  INVALID_CA: 'rejected',
  INVALID_PURPOSE: 'rejected',
  PATH_LENGTH_EXCEEDED: 'rejected',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'rejected',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'rejected',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'rejected',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'rejected',
  // TLS to a port that speaks plain HTTP.
  ERR_SSL_WRONG_VERSION_NUMBER: 'not-tls',
  ERR_SSL_HTTP_REQUEST: 'not-tls'
};

/**
 * The TLS problem behind a request error, from its code (and, for Node's EPROTO, the OpenSSL
 * reason in its message), with the code to show; undefined when it is not a TLS refusal.
 */
export function classifyTls(
  code: string | undefined,
  message: string
): { readonly problem: TlsProblem; readonly code: string } | undefined {
  if (code !== undefined && Object.hasOwn(TLS_PROBLEMS, code)) {
    const problem = TLS_PROBLEMS[code];
    if (problem !== undefined) return { problem, code };
  }
  // Node reports OpenSSL's record-layer failures as `write EPROTO …:wrong version number:…`.
  const reason = /:(wrong version number|http request):/i.exec(message)?.[1];
  if (code === 'EPROTO' && reason !== undefined) {
    return { problem: 'not-tls', code: `ERR_SSL_${reason.toUpperCase().replace(/ /g, '_')}` };
  }
  return undefined;
}

/** The reason a person reads: what was refused, and what to change. */
export function explainTls(
  { problem, code }: { readonly problem: TlsProblem; readonly code: string },
  origin: string,
  detail: string
): string {
  switch (problem) {
    case 'untrusted':
      return `The runner does not trust the TLS certificate of ${origin} (${code}): if your network, proxy or server uses your organisation's own CA, add that CA on the runner with NODE_EXTRA_CA_CERTS (the path of its PEM file); otherwise something between the runner and ${origin} is presenting a certificate it should not.`;
    case 'name-mismatch':
      // The fix goes before Node's detail, which lists every name of the certificate and may be cut.
      return `The TLS certificate of ${origin} is for another host name: check 'base-url', whose host must be a name the certificate lists (${code}: ${detail}).`;
    case 'expired':
      return `The TLS certificate of ${origin} has expired (${code}): the server's certificate must be renewed (or your proxy's, if it presents its own); if it should still be valid, check the runner's clock.`;
    case 'not-yet-valid':
      return `The TLS certificate of ${origin} is not valid yet (${code}): check the runner's clock.`;
    case 'rejected':
      return `The TLS certificate of ${origin} was rejected: check 'base-url' and the server's certificate (${code}: ${detail}).`;
    case 'not-tls':
      return `The server at ${origin} does not speak TLS (${code}): check 'base-url', perhaps http:// or another port.`;
  }
}
