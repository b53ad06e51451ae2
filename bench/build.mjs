/**
 * Builds the comparison actions with ncc, the same way package.json's build script bundles the
 * gate (`--minify --target es2022`), into temporary directories outside the repository. Each
 * build directory gets a package.json with "type": "module", a tiny tsconfig.json and a
 * node_modules symlink to the repository's, so that ncc finds @actions/core and TypeScript.
 */
import { spawn } from 'node:child_process';
import { access, cp, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

export const NCC = join(ROOT, 'node_modules', '.bin', 'ncc');

/** Whether ncc is installed (npm ci in the repository). */
export async function haveNcc() {
  try {
    await access(NCC);
    return true;
  } catch {
    return false;
  }
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: true,
    types: ['node']
  }
};

/** (b): only imports @actions/core and sets one output. */
export const MINIMAL_SOURCE = `import * as core from '@actions/core';\n\ncore.setOutput('passed', 'true');\n`;

/**
 * (b1): (b) plus the one thing every gate must do, a GET of the executions page on loopback with
 * the gate's headers, setting the output when the 200 answer has arrived. What the gate is judged
 * against: (b) sends no request, so a ratio to (b) charges the round trip to the gate's code.
 */
export const MINIMAL_REQUEST_SOURCE = `import * as core from '@actions/core';
import * as http from 'node:http';

const url = \`\${core.getInput('base-url')}/api/v2/platform/agents/\${core.getInput('agent-handle')}/executions/?page=1&page_size=50\`;
const headers = { Authorization: \`Token \${core.getInput('token')}\`, 'Org-Handle': core.getInput('org-handle'), Accept: 'application/json' };
http.get(url, { headers }, (res) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk) => chunks.push(chunk));
  res.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    core.setOutput('passed', String(res.statusCode === 200));
  });
});
`;

/**
 * (b2): (b1) doing the gate's part of the runner's I/O as well, in the gate's own shape, read
 * from one gate run by the bench (environment variables): the `::add-mask::` lines before the
 * request, the other log lines, the outputs with their total size, the job summary with its size,
 * and one notice. Every action that masks, logs, sets outputs and writes a summary pays this; the
 * gate must, by its contract. gate / (b2) is what the gate's own code costs on top.
 */
export const SAME_IO_SOURCE = `import * as core from '@actions/core';
import * as http from 'node:http';

const n = (name: string): number => Number(process.env[name] ?? '0');
const token = core.getInput('token');
for (let i = 0; i < n('B2_MASKS'); i++) core.setSecret(i === 0 ? token : \`\${token}-\${i}\`);
const lines = n('B2_LINES');
const before = Math.ceil(lines / 2);
for (let i = 0; i < before; i++) core.info(\`line \${i} before the request\`);
const url = \`\${core.getInput('base-url')}/api/v2/platform/agents/\${core.getInput('agent-handle')}/executions/?page=1&page_size=50\`;
const headers = { Authorization: \`Token \${token}\`, 'Org-Handle': core.getInput('org-handle'), Accept: 'application/json' };
http.get(url, { headers }, (res) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk) => chunks.push(chunk));
  res.on('end', async () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const outputs = Math.max(1, n('B2_OUTPUTS'));
    const value = 'x'.repeat(Math.max(0, Math.floor(n('B2_OUTPUT_BYTES') / outputs) - 60));
    core.setOutput('passed', String(res.statusCode === 200));
    for (let i = 1; i < outputs; i++) core.setOutput(\`output-\${i}\`, value);
    for (let i = before; i < lines; i++) core.info(\`line \${i} after the answer\`);
    await core.summary.addRaw('<p>' + 'x'.repeat(Math.max(0, n('B2_SUMMARY_BYTES') - 8)) + '</p>').write();
    core.notice('passed');
  });
});
`;

/** (b0): no dependency at all; appends the output in the runner's file-command format by hand. */
export const NO_DEPS_SOURCE = `import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

const delimiter = 'ghadelimiter_bench';
appendFileSync(process.env.GITHUB_OUTPUT ?? '', \`passed<<\${delimiter}\${EOL}true\${EOL}\${delimiter}\${EOL}\`);
`;

/**
 * Runs `ncc build`; resolves with the ncc log, rejects with it on failure.
 * @param {string} entry @param {string} outDir @param {{ minify?: boolean, statsOut?: string, cwd?: string }} [options]
 */
export function ncc(entry, outDir, options = {}) {
  const args = ['build', entry, '-o', outDir, '--target', 'es2022'];
  if (options.minify !== false) args.push('--minify');
  if (options.statsOut) args.push('--stats-out', options.statsOut);
  return new Promise((done, fail) => {
    const child = spawn(NCC, args, { cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (log += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (log += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', (error) => {
      clearTimeout(killer);
      fail(new Error(`ncc could not start: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(killer);
      if (code === 0) done(log);
      else fail(new Error(`ncc build ${entry} exited with ${String(code)}:\n${log.slice(-2000)}`));
    });
  });
}

/**
 * Writes `source` as index.ts into `dir` with what ncc needs next to it, and bundles it into
 * `dir`/dist. Returns the bundle's path.
 * @param {string} dir @param {string} source
 */
export async function buildAction(dir, source) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.ts'), source);
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await ncc(join(dir, 'index.ts'), join(dir, 'dist'), { cwd: dir });
  return join(dir, 'dist', 'index.js');
}

/**
 * The gate as it would be without undici: a copy of src/ bundled with the same flags against a
 * node_modules where @actions/* are real copies and `undici` is a stub whose ProxyAgent throws
 * (the gate never uses it: src/unpod/transport.ts takes the agents of getAgent(), which come from `tunnel`).
 * Everything else is the repository's node_modules, linked. Returns the bundle's path.
 * @param {string} dir
 */
export async function buildGateWithoutUndici(dir) {
  const modules = join(dir, 'node_modules');
  await mkdir(join(modules, '@actions'), { recursive: true });
  for (const name of await readdir(join(ROOT, 'node_modules'))) {
    if (name === '@actions' || name === 'undici' || name === '.bin') continue;
    await symlink(join(ROOT, 'node_modules', name), join(modules, name));
  }
  for (const name of await readdir(join(ROOT, 'node_modules', '@actions'))) {
    await cp(join(ROOT, 'node_modules', '@actions', name), join(modules, '@actions', name), { recursive: true });
  }
  await mkdir(join(modules, 'undici'));
  await writeFile(
    join(modules, 'undici', 'package.json'),
    '{ "name": "undici", "version": "0.0.0-stub", "main": "index.js" }\n'
  );
  await writeFile(
    join(modules, 'undici', 'index.js'),
    "'use strict';\nclass ProxyAgent {\n  constructor() {\n    throw new Error('undici is stubbed out in this benchmark build');\n  }\n}\nmodule.exports = { ProxyAgent };\n"
  );
  await cp(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, include: ['src'] }));
  await ncc(join(dir, 'src', 'index.ts'), join(dir, 'dist'), { cwd: dir });
  return join(dir, 'dist', 'index.js');
}
