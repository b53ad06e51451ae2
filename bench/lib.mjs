/**
 * Shared helpers for the benchmarks: spawning a step exactly as scripts/run-action.mjs does (same
 * environment, same temporary files, timed from spawn to close), peak-RSS measurement, tool
 * detection, statistics, the machine's description and table formatting. Every child runs in its
 * own process group with a kill timer, and killAll() ends whatever is still running.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE, NODE, prepareStep } from '../scripts/run-action.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH = join(ROOT, 'bench');
export { BUNDLE, NODE };

/** Process groups still running. @type {Set<number>} */
const live = new Set();
/** Temporary directories of steps still running. @type {Set<string>} */
const liveDirs = new Set();

/** Kills every child process group the bench started that is still running, and removes their files. */
export function killAll() {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

/** The full path of an executable on PATH, or undefined. @param {string} name */
export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** GNU time, when it is there and speaks `-v` (BusyBox and the shell keyword do not). */
export const GNU_TIME = (() => {
  const path = '/usr/bin/time';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return undefined;
  }
  const probe = spawnSync(path, ['-v', 'true'], { encoding: 'utf8', timeout: 5000 });
  return /Maximum resident set size/.test(probe.stderr ?? '') ? path : undefined;
})();

/**
 * How peak RSS is measured: 'time' (GNU time -v), 'proc' (VmHWM polling) or undefined; the
 * first available, or BENCH_RSS=proc|none to try the fallbacks.
 * @type {'time' | 'proc' | undefined}
 */
export const RSS_METHOD = (() => {
  const forced = process.env.BENCH_RSS;
  if (forced === 'none') return undefined;
  if (GNU_TIME && forced !== 'proc') return 'time';
  return readableProc() ? 'proc' : undefined;
})();

function readableProc() {
  try {
    return /VmHWM/.test(readFileSync('/proc/self/status', 'utf8'));
  } catch {
    return false;
  }
}

export function describeRssMethod() {
  if (RSS_METHOD === 'time') return 'GNU time -v, "Maximum resident set size" of the gate process';
  if (RSS_METHOD === 'proc') return '/proc/<pid>/status VmHWM polled every 5 ms until exit (a lower bound)';
  return 'unavailable';
}

const OUTPUT_CAP = 1 << 20;

/**
 * Runs one step as the Actions runner does: inputs as INPUT_* variables, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files in a fresh temporary directory, timed from spawn() to 'close', like
 * runAction() in scripts/run-action.mjs; but for any command, so that every variant pays the
 * same overhead.
 * @param {string} command
 * @param {string[]} args
 * @param {{ inputs?: Record<string, string>, env?: Record<string, string>, killAfterMs?: number, rss?: boolean, cwd?: string }} [options]
 */
export async function runStep(command, args, options = {}) {
  const { dir, env, outputPath, summaryPath } = await prepareStep(options.inputs ?? {}, { env: options.env });
  liveDirs.add(dir);
  const timePath = join(dir, 'time');

  const wrap = options.rss === true && RSS_METHOD === 'time';
  const file = wrap ? /** @type {string} */ (GNU_TIME) : command;
  const argv = wrap ? ['-v', '-o', timePath, command, ...args] : args;

  const started = performance.now();
  const child = spawn(file, argv, { env, cwd: options.cwd ?? dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined) live.add(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    if (stdout.length < OUTPUT_CAP) stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d) => {
    if (stderr.length < OUTPUT_CAP) stderr += d;
  });
  let hwmKb = 0;
  /** @type {NodeJS.Timeout | undefined} */
  let poller;
  if (options.rss === true && RSS_METHOD === 'proc' && child.pid !== undefined) {
    const statusFile = `/proc/${child.pid}/status`;
    poller = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(statusFile, 'utf8'));
        if (match) hwmKb = Math.max(hwmKb, Number(match[1]));
      } catch {
        // exited
      }
    }, 5);
  }
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }, options.killAfterMs ?? 120_000);
  /** @type {number | string | null} */
  const code = await new Promise((done) => {
    child.on('error', (error) => done(`spawn error: ${error.message}`));
    child.on('close', (c, signal) => done(c ?? signal));
  });
  const ended = performance.now();
  clearTimeout(killer);
  clearInterval(poller);
  if (child.pid !== undefined) live.delete(child.pid);

  const outputFile = await readFile(outputPath, 'utf8').catch(() => '');
  const summaryFile = await readFile(summaryPath, 'utf8').catch(() => '');
  /** @type {number | undefined} */
  let rssKb;
  if (wrap) {
    const report = await readFile(timePath, 'utf8').catch(() => '');
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
    rssKb = match ? Number(match[1]) : undefined;
  } else if (poller) {
    rssKb = hwmKb || undefined;
  }
  await rm(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
  return {
    code,
    ms: ended - started,
    startedAt: started,
    endedAt: ended,
    stdout,
    stderr,
    outputs: parseOutputFile(outputFile),
    outputBytes: Buffer.byteLength(outputFile),
    summaryBytes: Buffer.byteLength(summaryFile),
    rssKb,
    timedOut
  };
}

/** @param {number[]} values */
export function stats(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n: 0, median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? /** @type {number} */ (sorted[mid]) : (sorted[mid - 1] + sorted[mid]) / 2;
  return { n, median, min: sorted[0], max: sorted[n - 1] };
}

/** Milliseconds, readable. @param {number} ms */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** Kibibytes as MiB. @param {number | undefined} kb */
export function fmtMiB(kb) {
  return kb === undefined || !Number.isFinite(kb) ? '–' : `${(kb / 1024).toFixed(1)} MiB`;
}

/** @param {number} bytes */
export function fmtKB(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/** @param {number} ratio */
export function fmtRatio(ratio) {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
}

/** @param {boolean | undefined} ok */
export function mark(ok) {
  return ok === undefined ? '' : ok ? '✅' : '❌';
}

/** The machine and software the figures come from. */
export function machine() {
  let model = 'unknown';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // not Linux
  }
  const version = (/** @type {string} */ cmd, /** @type {string[]} */ args) => {
    const path = which(cmd);
    if (!path) return 'not installed';
    const r = spawnSync(path, args, { encoding: 'utf8', timeout: 5000 });
    return (r.stdout || r.stderr || '').split('\n')[0]?.trim() ?? '';
  };
  const gate = spawnSync(NODE, ['--version'], { encoding: 'utf8', timeout: 5000 });
  let kernel = '';
  try {
    kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    // not Linux
  }
  return {
    nproc: availableParallelism(),
    cpu: model,
    memGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    kernel,
    benchNode: process.version,
    gateNode: gate.stdout.trim(),
    jq: version('jq', ['--version']),
    curl: version('curl', ['--version']).split(' ').slice(0, 2).join(' '),
    rss: describeRssMethod()
  };
}

/**
 * Aligns rows in columns, block by block; a row that is a string (a heading or a note) is printed
 * as is and starts a new block.
 * @param {(string | string[])[]} rows
 */
export function table(rows) {
  /** @type {string[]} */
  const out = [];
  /** @type {string[][]} */
  let block = [];
  const flush = () => {
    /** @type {number[]} */
    const widths = [];
    for (const row of block) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
    for (const row of block)
      out.push(
        row
          .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
          .join('  ')
          .trimEnd()
      );
    block = [];
  };
  for (const row of rows) {
    if (typeof row === 'string') {
      flush();
      out.push(row);
    } else block.push(row);
  }
  flush();
  return out.join('\n');
}

/**
 * Reads a GITHUB_OUTPUT file as the runner does: `name<<DELIMITER` blocks and `name=value` lines.
 * @param {string} text
 */
export function parseOutputFile(text) {
  /** @type {Record<string, string>} */
  const outputs = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const block = /^([^<=]+)<<(.+)$/.exec(line);
    if (block) {
      const [, name, end] = block;
      const value = [];
      for (i++; i < lines.length && lines[i] !== end; i++) value.push(lines[i]);
      outputs[/** @type {string} */ (name)] = value.join('\n');
      continue;
    }
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

/** Waits `ms`. @param {number} ms */
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Why the curl + jq baseline cannot run here, or undefined when it can. */
export function shellBaselineMissing() {
  for (const tool of ['bash', 'curl', 'jq']) if (!which(tool)) return `${tool} not installed`;
  return undefined;
}
