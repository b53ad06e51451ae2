/**
 * Runs the built bundle the way the Actions runner does: inputs as INPUT_* variables, outputs
 * and summary as files, and the exit code as the verdict. Shared by the tests, the demo and the
 * benchmarks, so all three see the action exactly as a workflow would.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLE = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/index.js');
/** The Node.js that runs the bundle: this one, or GATE_NODE (CI runs the suite again on Node 24). */
export const NODE = process.env.GATE_NODE || process.execPath;

/**
 * A fresh temporary directory with empty output and summary files, and the environment a runner
 * gives a step: inputs as INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
 * @param {Record<string, string>} inputs
 * @param {{ env?: Record<string, string>, summaryFile?: boolean }} [options]
 */
export async function prepareStep(inputs, options = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'unpod-gate-'));
  const outputPath = join(dir, 'output');
  const summaryPath = join(dir, 'summary');
  await writeFile(outputPath, '');
  await writeFile(summaryPath, '');
  /** @type {Record<string, string>} */
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputPath,
    ...(options.summaryFile === false ? {} : { GITHUB_STEP_SUMMARY: summaryPath }),
    ...options.env
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return { dir, env, outputPath, summaryPath };
}

/** The debug line src/main.ts writes when it has to end the process itself. */
export const FORCED_EXIT = '::debug::Forced exit';

/** @param {Record<string, string>} inputs @param {import('./run-action.d.mts').RunOptions} [options] */
export async function runAction(inputs, options = {}) {
  const { dir, env, outputPath, summaryPath } = await prepareStep(inputs, options);

  const started = performance.now();
  const child = spawn(options.node ?? NODE, [...(options.nodeArgs ?? []), BUNDLE], {
    env,
    cwd: options.cwd ?? dir,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    stdout += d;
    options.onStdout?.(d);
  });
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 120_000);
  /** @type {number | null} */
  const code = await new Promise((done) => child.on('close', (c) => done(c)));
  clearTimeout(killer);
  const ms = performance.now() - started;

  const outputFile = await readFile(outputPath, 'utf8');
  const summaryText = await readFile(summaryPath, 'utf8');
  await rm(dir, { recursive: true, force: true });
  // Every request and timer is cancelled by the verdict, so the process ends by itself; the
  // forced exit is for sockets the runtime cannot cancel, and a run that needs it is a bug.
  if (stdout.includes(FORCED_EXIT) && !options.allowForcedExit) {
    throw new Error(`The action needed its forced exit to end (exit code ${code}):\n${stdout}`);
  }
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(outputFile),
    summary: summaryText === '' ? undefined : summaryText,
    outputFile,
    annotations: parseAnnotations(stdout),
    ms
  };
}

/** Reads `name<<DELIMITER\nvalue\nDELIMITER` entries, as the runner does. @param {string} text */
export function parseOutputs(text) {
  /** @type {Record<string, string>} */
  const outputs = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match;
    const value = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
    outputs[name] = value.join('\n');
  }
  return outputs;
}

/** Workflow-command annotations in the log. @param {string} stdout */
function parseAnnotations(stdout) {
  const found = [];
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)(?: [^:]*)?::(.*)$/.exec(line);
    if (match) found.push({ level: match[1], message: decodeURIComponent(match[2]) });
  }
  return found;
}

/**
 * Everything the run wrote that a person or a later step could see, minus the masking
 * command itself. Outputs are taken as the runner reads them, without the file's random
 * delimiters, whose hex digits a test looking for planted numbers could otherwise match.
 * @param {Awaited<ReturnType<typeof runAction>>} run
 */
export function visibleText(run) {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const outputs = Object.entries(run.outputs).map(([name, value]) => `${name}=${value}`);
  return [stdout, run.stderr, ...outputs, run.summary ?? ''].join('\n');
}
