/**
 * `npm run bench`: the gate's performance, measured end to end on loopback. Prints one table and
 * writes it as JSON to bench/results/<timestamp>.json and bench/results/latest.json.
 *
 *   npm run bench                  # everything, about 3 minutes on 2 cores
 *   npm run bench -- --quick       # fewer repetitions, about a minute
 *   npm run bench -- --only cold,bundle
 *
 * Cases: cold (the whole step vs an empty process, a minimal @actions/core action and a curl+jq
 * step), big (one answer of 1 000 to 1 000 000 executions: time, peak RSS, refusal), fleet (1 to
 * 50 agents at 100 ms latency), wait (polls and how soon a finished run is noticed), bundle
 * (bytes, and which packages they come from), trend (a window of 50 and a baseline of 50), explain
 * (task requests and time to explain a failing run of 25, 500 and 5 000 tasks). See bench/README.md.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchBigHistory } from './big-history.mjs';
import {
  MINIMAL_REQUEST_SOURCE,
  MINIMAL_SOURCE,
  NO_DEPS_SOURCE,
  SAME_IO_SOURCE,
  buildAction,
  haveNcc,
  ncc
} from './build.mjs';
import { benchBundle } from './bundle.mjs';
import { benchCold } from './cold.mjs';
import { benchExplain } from './explain.mjs';
import { benchFleet } from './fleet.mjs';
import { BENCH, BUNDLE, ROOT, killAll, machine, mark, table } from './lib.mjs';
import { benchTrend } from './trend.mjs';
import { benchWaiting } from './waiting.mjs';

const CASES = ['cold', 'big', 'fleet', 'wait', 'trend', 'explain', 'bundle'];
/** Whatever happens, the bench stops by itself. */
const GLOBAL_LIMIT_MS = 15 * 60_000;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false }
  }
});
if (values.help) {
  console.log('usage: npm run bench [-- --quick] [-- --only cold,big,fleet,wait,trend,explain,bundle]');
  process.exit(0);
}
const only = values.only ? values.only.split(',').map((s) => s.trim()) : CASES;
const unknown = only.filter((c) => !CASES.includes(c));
if (unknown.length > 0) {
  console.error(`unknown case(s): ${unknown.join(', ')}; known: ${CASES.join(', ')}`);
  process.exit(2);
}
const quick = values.quick ?? false;

const tty = process.stderr.isTTY;
/** @param {string} line */
const progress = (line) => {
  if (tty) process.stderr.write(`\r\x1b[2K${line}`);
  else process.stderr.write(`${line}\n`);
};
const endProgress = () => {
  if (tty) process.stderr.write('\r\x1b[2K');
};

/** @type {string | undefined} */
let tmp;
const cleanup = async () => {
  killAll();
  if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
};
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    endProgress();
    console.error(`\nbench: ${signal}, stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}
process.on('exit', killAll);
const watchdog = setTimeout(() => {
  endProgress();
  console.error(`bench: still running after ${GLOBAL_LIMIT_MS / 60_000} minutes, giving up`);
  void cleanup().finally(() => process.exit(2));
}, GLOBAL_LIMIT_MS);
watchdog.unref();

const started = Date.now();
/** @type {(string | string[])[]} */
const rows = [];
/** @type {Record<string, any>} */
const results = {};
const info = machine();

try {
  if (!existsSync(BUNDLE)) throw new Error('dist/index.js is missing: run `npm run build` first');
  tmp = await mkdtemp(join(tmpdir(), 'unpod-bench-build-'));

  // The comparison actions and the unminified build for the bundle's attribution, in parallel.
  const nccReady = await haveNcc();
  const needBuilds = only.includes('cold');
  const needRaw = only.includes('bundle');
  /** @type {{ minimal?: string, minimalRequest?: string, sameIo?: string, noDeps?: string, raw?: string, stats?: string, buildError?: string }} */
  const builds = {};
  if (!nccReady && (needBuilds || needRaw)) builds.buildError = 'ncc not installed (npm ci)';
  else if (needBuilds || needRaw) {
    progress('building the comparison actions with ncc');
    const dir = /** @type {string} */ (tmp);
    const jobs = [];
    if (needBuilds) {
      jobs.push(buildAction(join(dir, 'minimal'), MINIMAL_SOURCE).then((path) => (builds.minimal = path)));
      jobs.push(buildAction(join(dir, 'no-deps'), NO_DEPS_SOURCE).then((path) => (builds.noDeps = path)));
      jobs.push(
        buildAction(join(dir, 'minimal-request'), MINIMAL_REQUEST_SOURCE).then((path) => (builds.minimalRequest = path))
      );
      jobs.push(buildAction(join(dir, 'same-io'), SAME_IO_SOURCE).then((path) => (builds.sameIo = path)));
    }
    if (needRaw) {
      const out = join(dir, 'raw');
      jobs.push(
        ncc(join(ROOT, 'src', 'index.ts'), out, { minify: false, statsOut: join(out, 'stats.json') }).then(() => {
          builds.raw = join(out, 'index.js');
          builds.stats = join(out, 'stats.json');
        })
      );
    }
    const settled = await Promise.allSettled(jobs);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) builds.buildError = `ncc build failed: ${String(failed.reason).split('\n')[0]}`;
  }

  const cases = {
    cold: () =>
      benchCold({
        quick,
        progress,
        minimal: builds.minimal,
        minimalRequest: builds.minimalRequest,
        sameIo: builds.sameIo,
        noDeps: builds.noDeps,
        buildError: builds.buildError
      }),
    big: () => benchBigHistory({ quick, progress }),
    fleet: () => benchFleet({ quick, progress }),
    wait: () => benchWaiting({ quick, progress }),
    trend: () => benchTrend({ quick, progress }),
    explain: () => benchExplain({ quick, progress }),
    bundle: () => benchBundle({ raw: builds.raw, stats: builds.stats, buildError: builds.buildError })
  };
  for (const name of CASES) {
    if (!only.includes(name)) continue;
    const t = Date.now();
    try {
      const out = await cases[/** @type {keyof typeof cases} */ (name)]();
      results[name] = { ...out.result, seconds: (Date.now() - t) / 1000 };
      rows.push('', ...out.rows);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results[name] = { error: message };
      rows.push('', `${name}: skipped: ${message.split('\n')[0]}`);
    }
    endProgress();
  }
} catch (error) {
  endProgress();
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}

if (rows.length > 0) {
  const targets = [
    ['cold step: loading within 1.15× of (b), and ≤ 20 ms from the answer to exit', results.cold?.target?.ok],
    ['big history linear', results.big?.linear],
    ['1,000,000 executions: < 3 s and < 1 GiB, or a clear refusal', results.big?.millionOk],
    ['fleet: time above the latency floor, 20 agents within 2.5× of 1', results.fleet?.target?.ok],
    [
      'waiting: requests ≤ ceil(wait/poll)+1 and noticed within one poll interval',
      results.wait?.rows ? results.wait.rows.every((/** @type {any} */ r) => r.ok) : undefined
    ],
    ['trend: window 50 + baseline 50 read only the pages that hold them (and the next, for ties)', results.trend?.ok],
    ['explain: task requests ≤ ceil(total / 50) + 1, every task read', results.explain?.target?.ok]
  ].filter(([, ok]) => ok !== undefined);
  const header = [
    `Unpod gate bench${quick ? ' (--quick)' : ''}: ${new Date(started).toISOString()}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    `machine: ${info.nproc} × ${info.cpu}, ${info.memGiB} GiB, Linux ${info.kernel}; gate on Node ${info.gateNode}; ${info.jq}; ${info.curl}`
  ];
  console.log(
    [
      ...header,
      table(rows),
      '',
      'Targets',
      ...targets.map(([t, ok]) => `  ${mark(/** @type {boolean} */ (ok))} ${t}`)
    ].join('\n')
  );
  const json = {
    generatedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    quick,
    cases: only,
    machine: info,
    results,
    targets: Object.fromEntries(targets),
    table: table(rows)
  };
  const dir = join(BENCH, 'results');
  await mkdir(dir, { recursive: true });
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const text = `${JSON.stringify(json, null, 2)}\n`;
  await writeFile(join(dir, `${stamp}.json`), text);
  await writeFile(join(dir, 'latest.json'), text);
  console.log(`\nwritten: bench/results/${stamp}.json and bench/results/latest.json`);
}
