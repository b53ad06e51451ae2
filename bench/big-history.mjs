/**
 * Case 2, a big history: one answer holding N executions (bench/big-server.mjs), for N = 1 000 to
 * 1 000 000, with the wall time and peak RSS of the gate process. The gate caps a body at 32 MiB
 * (src/unpod/transport.ts MAX_BODY_BYTES), so 1 000 000 executions (about 120 MB) must be refused with a
 * clear reason: once announced with a Content-Length (refused on the headers), once chunked (the
 * gate reads up to its cap, then gives up).
 */
import { executionsBody, startBigServer } from './big-server.mjs';
import { BUNDLE, NODE, RSS_METHOD, describeRssMethod, fmtMiB, fmtMs, mark, runStep, stats } from './lib.mjs';

export const BIG_LIMIT_MS = 3000;
export const BIG_LIMIT_KB = 1024 * 1024;

/** @param {{ quick: boolean, progress: (line: string) => void }} ctx */
export async function benchBigHistory(ctx) {
  const reps = ctx.quick ? 2 : 5;
  const sizes = [1000, 10_000, 100_000, 1_000_000];
  /** @type {Map<number, Buffer>} */
  const bodies = new Map();
  for (const n of sizes) {
    ctx.progress(`big history: serialising ${n.toLocaleString('en')} executions`);
    bodies.set(n, executionsBody(n));
  }
  /** @type {{ n: number, mode: 'length' | 'chunked', times: number[], rss: number[], outcomes: Map<string, number>, codes: (number | string | null)[] }[]} */
  const variants = [
    ...sizes.map((n) => ({ n, mode: /** @type {const} */ ('length') })),
    { n: 1_000_000, mode: /** @type {const} */ ('chunked') }
  ].map((v) => ({ ...v, times: [], rss: [], outcomes: new Map(), codes: [] }));

  const server = await startBigServer();
  try {
    const inputs = {
      'agent-handle': 'big-agent',
      'org-handle': 'demo-org',
      token: '0123456789abcdef0123456789abcdef01234567',
      'base-url': server.url,
      threshold: '95'
    };
    for (let round = 0; round < reps; round++) {
      ctx.progress(`big history: round ${round + 1}/${reps}`);
      const order = variants.map(
        (_, i) => /** @type {(typeof variants)[number]} */ (variants[(i + round) % variants.length])
      );
      for (const v of order) {
        server.serve(/** @type {Buffer} */ (bodies.get(v.n)), v.mode);
        const r = await runStep(NODE, [BUNDLE], { inputs, rss: true, killAfterMs: 60_000 });
        v.times.push(r.ms);
        if (r.rssKb !== undefined) v.rss.push(r.rssKb);
        v.codes.push(r.code);
        const outcome = r.timedOut
          ? 'killed after 60 s'
          : `${r.outputs.passed === 'true' ? 'passed' : 'failed'}${r.outputs.reason ? `: ${r.outputs.reason}` : ''}`;
        v.outcomes.set(outcome, (v.outcomes.get(outcome) ?? 0) + 1);
      }
    }
  } finally {
    await server.close();
  }

  const rowsData = variants.map((v) => ({
    n: v.n,
    mode: v.mode,
    bodyBytes: /** @type {Buffer} */ (bodies.get(v.n)).length,
    wall: stats(v.times),
    rssKb: stats(v.rss),
    exitCodes: [...new Set(v.codes)],
    outcomes: Object.fromEntries(v.outcomes)
  }));
  bodies.clear();

  // Linear: the cost per extra execution from 10 000 to 100 000 is no more than twice the cost
  // from 1 000 to 10 000 (each difference floored at 5 ms / 1 MiB so that noise does not count).
  const at = (/** @type {number} */ n) => rowsData.find((r) => r.n === n && r.mode === 'length');
  const t1 = at(1000)?.wall.median ?? NaN;
  const t2 = at(10_000)?.wall.median ?? NaN;
  const t3 = at(100_000)?.wall.median ?? NaN;
  const r1 = at(1000)?.rssKb.median ?? NaN;
  const r2 = at(10_000)?.rssKb.median ?? NaN;
  const r3 = at(100_000)?.rssKb.median ?? NaN;
  const perExecUs = { from1kTo10k: ((t2 - t1) / 9000) * 1000, from10kTo100k: ((t3 - t2) / 90_000) * 1000 };
  const perExecBytes = { from1kTo10k: ((r2 - r1) * 1024) / 9000, from10kTo100k: ((r3 - r2) * 1024) / 90_000 };
  const timeLinear = (t3 - t2) / 90_000 <= (2 * Math.max(t2 - t1, 5)) / 9000;
  const rssLinear = !Number.isFinite(r3) || (r3 - r2) / 90_000 <= (2 * Math.max(r2 - r1, 1024)) / 9000;
  const million = rowsData.filter((r) => r.n === 1_000_000);
  const millionOk = million.every((r) => {
    const outcomes = Object.keys(r.outcomes);
    const clear = outcomes.every((o) => o.startsWith('passed') || /larger than \d+ MiB/.test(o));
    const small = !Number.isFinite(r.rssKb.max) || r.rssKb.max < BIG_LIMIT_KB;
    return clear && r.wall.max < BIG_LIMIT_MS && small;
  });
  const result = {
    reps,
    rssMethod: describeRssMethod(),
    rows: rowsData,
    perExecUs,
    perExecBytes,
    linear: timeLinear && rssLinear,
    millionOk
  };

  /** @type {(string | string[])[]} */
  const rows = [
    `2. Big history: one answer with N executions, ${reps} interleaved runs each; peak RSS by ${RSS_METHOD === 'time' ? 'GNU time -v' : RSS_METHOD === 'proc' ? '/proc VmHWM polling' : '(skipped: no GNU time and no /proc)'}`,
    ['', 'executions', 'body', 'wall median', 'min', 'max', 'peak RSS median', 'outcome']
  ];
  for (const r of rowsData) {
    rows.push([
      '',
      `${r.n.toLocaleString('en')}${r.mode === 'chunked' ? ' (chunked)' : ''}`,
      `${(r.bodyBytes / 1e6).toFixed(1)} MB`,
      fmtMs(r.wall.median),
      fmtMs(r.wall.min),
      fmtMs(r.wall.max),
      RSS_METHOD ? fmtMiB(r.rssKb.median) : 'skipped: no RSS method',
      Object.entries(r.outcomes)
        .map(([o, count]) => (count === reps ? short(o) : `${count}× ${short(o)}`))
        .join(' / ')
    ]);
  }
  rows.push(
    `  per extra execution: ${perExecUs.from1kTo10k.toFixed(2)} µs and ${perExecBytes.from1kTo10k.toFixed(0)} B of RSS from 1,000 to 10,000; ` +
      `${perExecUs.from10kTo100k.toFixed(2)} µs and ${perExecBytes.from10kTo100k.toFixed(0)} B from 10,000 to 100,000: linear ${mark(result.linear)}`
  );
  rows.push(
    `  1,000,000: target < ${BIG_LIMIT_MS / 1000} s and < 1 GiB, and passed or a clear refusal ${mark(millionOk)}`
  );
  return { rows, result };
}

/** @param {string} text */
function short(text) {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
