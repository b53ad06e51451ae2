/**
 * A tiny server for the big-history case: every request, whatever its path or query, gets one
 * executions envelope holding N executions (the example server caps page_size at 100, as the
 * real API does, so it cannot send one big page). Each body is serialised once per N and kept;
 * it is sent either with an exact Content-Length, as a Django response is, or chunked (no length
 * announced, so a client has to read up to its own cap before it can refuse).
 */
import * as http from 'node:http';

/** Executions newest first; the newest is a healthy 25/25 run, the rest vary. @param {number} n */
export function executionsBody(n) {
  const base = Date.UTC(2026, 10, 27, 10, 0, 0);
  const head = Buffer.from(`{"count":${n},"status_code":200,"message":"Executions fetched successfully.","data":[`);
  /** @type {Buffer[]} */
  const parts = [head];
  const batch = 10_000;
  for (let from = 0; from < n; from += batch) {
    /** @type {string[]} */
    const items = [];
    for (let i = from; i < Math.min(n, from + batch); i++) {
      const runId = `R${i.toString(16).padStart(32, '0')}`;
      const completed = i === 0 ? 25 : 20 + (i % 6);
      const status = i % 97 === 5 ? 'failed' : 'completed';
      const created = new Date(base - i * 60_000).toISOString();
      items.push(
        `{"run_id":"${runId}","status":"${status}","total_tasks":25,"completed_tasks":${completed},"created":"${created}"}`
      );
    }
    parts.push(Buffer.from((from === 0 ? '' : ',') + items.join(',')));
  }
  parts.push(Buffer.from(']}'));
  return Buffer.concat(parts);
}

/**
 * @returns {Promise<{ url: string, requests: number, serve(body: Buffer, mode: 'length' | 'chunked'): void, close(): Promise<void> }>}
 */
export async function startBigServer() {
  /** @type {{ body: Buffer, mode: 'length' | 'chunked' } | undefined} */
  let current;
  let requests = 0;
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();

  const server = http.createServer((req, res) => {
    requests++;
    req.resume();
    res.on('error', () => {});
    if (!current) {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end('{"message":"no body configured"}');
      return;
    }
    const { body, mode } = current;
    if (mode === 'length') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const slice = 64 * 1024;
    let at = 0;
    const pump = () => {
      while (at < body.length && !res.destroyed) {
        const chunk = body.subarray(at, at + slice);
        at += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  let closing;
  return {
    url: `http://127.0.0.1:${address.port}`,
    get requests() {
      return requests;
    },
    serve(body, mode) {
      current = { body, mode };
    },
    close() {
      closing ??= new Promise((done) => {
        server.close(() => done(undefined));
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    }
  };
}
