/**
 * One bounded HTTP GET: a time limit from connect to last byte, a cap on the body, and the
 * proxy routing of @actions/http-client (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { HttpClient } from '@actions/http-client';
import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';
import { formatDuration } from './duration.js';

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
    /** `timeout` and `network` are worth retrying; `too-large` and `proxy` are not. */
    readonly kind: 'timeout' | 'network' | 'too-large' | 'proxy'
  ) {
    super(message);
  }
}

export interface GetOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxBytes?: number;
}

/** Sends GET requests through agents that @actions/http-client chose for the proxy settings. */
export class Transport {
  private readonly client: HttpClient;

  constructor(userAgent: string) {
    this.client = new HttpClient(userAgent, [], { keepAlive: true });
  }

  get(url: string, options: GetOptions): Promise<HttpResponse> {
    const target = new URL(url);
    const problem = proxyProblem(target);
    if (problem !== undefined) throw new TransportError(problem, 'proxy');
    const agent = this.client.getAgent(url);
    const request = target.protocol === 'https:' ? https.request : http.request;
    const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, response?: HttpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
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

      const req = request(target, { method: 'GET', headers: { ...options.headers }, agent }, (res) => {
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
          finish(network(error));
        });
        res.on('close', () => {
          if (!res.complete)
            finish(new TransportError('the connection closed before the answer was complete', 'network'));
        });
      });
      req.on('error', (error) => {
        finish(network(error));
      });
      req.end();
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

function network(error: Error): TransportError {
  const code = (error as NodeJS.ErrnoException).code;
  const detail = code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  return new TransportError(detail, 'network');
}
