/**
 * examples/wait-for-run.yml exercised end to end against the example server: its start step's
 * own script (bash, curl and jq, as on GitHub's runners) starts a run at the documented
 * endpoint, and the built bundle then waits for that run with the step's own inputs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { Emulator } from '../emulator/server.mjs';
import { DEFAULTS } from '../src/settings/inputs.js';
import { parseOutputs, runAction } from '../scripts/run-action.mjs';
import { TOKEN, withServer } from './helpers.js';

interface Step {
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
  run?: string;
  shell?: string;
}
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const example = parse(
  readFileSync(fileURLToPath(new URL('../examples/wait-for-run.yml', import.meta.url)), 'utf8')
) as Workflow;
const steps = Object.values(example.jobs).flatMap((job) => job.steps);
const step = (id: string): Step => {
  const found = steps.find((s) => s.id === id);
  if (found === undefined) throw new Error(`examples/wait-for-run.yml has no step ${id}`);
  return found;
};

/** Two test phones, in the secret's documented shape. */
const CONTACTS = [
  { name: 'QA phone 1', contact_number: '+15550100001' },
  { name: 'QA phone 2', contact_number: '+15550100002' }
];

/** The `${{ … }}` expressions the example uses, and nothing else (an unknown one fails the test). */
function evaluate(value: string | number, context: Record<string, string>): string {
  return String(value).replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_all, name: string) => {
    const found = context[name];
    if (found === undefined) throw new Error(`the test does not know the expression ${name}`);
    return found;
  });
}

/** The workflow env with the example server instead of Unpod, and the secrets. */
function contextFor(server: Emulator, secrets: Record<string, string>): Record<string, string> {
  const env = { ...example.env, UNPOD_BASE_URL: server.url, UNPOD_ORG: server.orgHandle };
  return {
    ...Object.fromEntries(Object.entries(env).map(([k, v]) => [`env.${k}`, v])),
    ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [`secrets.${k}`, v]))
  };
}

/** Runs a `run:` step as GitHub does for `shell: bash`, with the step's env and GITHUB_OUTPUT. */
async function runStep(
  s: Step,
  server: Emulator,
  secrets: Record<string, string>
): Promise<{ code: number | null; stdout: string; stderr: string; outputs: Record<string, string> }> {
  expect(s.shell).toBe('bash');
  const dir = await mkdtemp(join(tmpdir(), 'example-step-'));
  const outputPath = join(dir, 'output');
  await writeFile(outputPath, '');
  const context = contextFor(server, secrets);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_OUTPUT: outputPath,
    ...Object.fromEntries(Object.entries(context).flatMap(([k, v]) => (k.startsWith('env.') ? [[k.slice(4), v]] : []))),
    ...Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, evaluate(v, context)]))
  };
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run ?? ''], { env, cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const outputs = parseKeyValues(await readFile(outputPath, 'utf8'));
  await rm(dir, { recursive: true, force: true });
  return { code, stdout, stderr, outputs };
}

/** GITHUB_OUTPUT lines `name=value` (the step writes that form) and `name<<EOF` blocks. */
function parseKeyValues(text: string): Record<string, string> {
  const simple = Object.fromEntries(
    text.split('\n').flatMap((line) => (/^[\w-]+=/.test(line) ? [line.split(/=(.*)/s).slice(0, 2)] : []))
  ) as Record<string, string>;
  return { ...simple, ...parseOutputs(text) };
}

const haveTools = spawnSync('bash', ['-c', 'command -v curl && command -v jq'], { encoding: 'utf8' }).status === 0;
if (!haveTools) console.warn('e2e-example-run: skipped, the example needs bash, curl and jq on PATH');

(haveTools ? describe : describe.skip)('examples/wait-for-run.yml', () => {
  it("points at the gate's default server, which the test swaps for the example server", () => {
    expect(example.env.UNPOD_BASE_URL).toBe(DEFAULTS['base-url']);
    expect(step('gate').with?.['base-url']).toBe('${{ env.UNPOD_BASE_URL }}');
  });

  it.concurrent('starts a run at tasks/create/, then the gate waits for that run and passes', async () => {
    await withServer(async (server) => {
      const secrets = {
        UNPOD_TOKEN: TOKEN,
        UNPOD_SPACE_TOKEN: server.scenario.spaceToken ?? '',
        UNPOD_TEST_CONTACTS: JSON.stringify(CONTACTS)
      };
      const started = await runStep(step('start'), server, secrets);
      expect(started.stderr).toBe('');
      expect(started.code).toBe(0);
      const runId = started.outputs['run-id'] ?? '';
      expect(runId).toMatch(/^R[0-9a-f]{32}$/);
      expect(started.stdout).toBe(`Started run ${runId}.\n`);
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `POST /api/v2/platform/spaces/${secrets.UNPOD_SPACE_TOKEN}/tasks/create/`
      ]);
      expect(server.requests[0]?.headers).toMatchObject({
        authorization: `Token ${TOKEN}`,
        'org-handle': server.orgHandle,
        'content-type': 'application/json'
      });
      // One pending task per contact, for the agent the example names.
      const created = server.scenario.agents[example.env.AGENT ?? '']?.find((r) => r.run_id === runId);
      expect(created).toMatchObject({ status: 'pending', total_tasks: CONTACTS.length, completed_tasks: 0 });

      const context = { ...contextFor(server, secrets), 'steps.start.outputs.run-id': runId };
      const inputs = Object.fromEntries(
        Object.entries(step('gate').with ?? {}).map(([k, v]) => [k, evaluate(v, context)])
      );
      expect(inputs).toMatchObject({ 'run-id': runId, 'wait-timeout': '20m' });
      // The example polls every 30s; the test polls every second so that it takes seconds.
      const gated = await runAction({ ...inputs, 'poll-interval': '1s' });
      expect(gated.code).toBe(0);
      expect(gated.outputs).toMatchObject({
        passed: 'true',
        'run-id': runId,
        status: 'completed',
        'completed-tasks': String(CONTACTS.length),
        'completion-rate': '100'
      });
      expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
    });
  });

  it.concurrent('fails the start step, printing neither the answer nor a contact, when Unpod refuses', async () => {
    await withServer(async (server) => {
      const secrets = {
        UNPOD_TOKEN: TOKEN,
        UNPOD_SPACE_TOKEN: 'not-our-space',
        UNPOD_TEST_CONTACTS: JSON.stringify(CONTACTS)
      };
      const runsBefore = server.scenario.agents[example.env.AGENT ?? '']?.length ?? 0;
      const started = await runStep(step('start'), server, secrets);
      expect(started.code).toBe(1);
      expect(started.stdout).toMatch(/^::error::Unpod started no run \(no run_id in its answer\): check /);
      expect(started.outputs).toEqual({});
      expect(server.requests.map((r) => r.status)).toEqual([206]);
      for (const secret of [TOKEN, ...CONTACTS.map((c) => c.contact_number)]) {
        expect(started.stdout + started.stderr).not.toContain(secret);
      }
      expect(server.scenario.agents[example.env.AGENT ?? '']).toHaveLength(runsBefore);
    });
  });
});

describe('the example server starting a run', () => {
  it.concurrent("answers the server code's tasks/ route too, and refuses what it cannot use", async () => {
    await withServer(async (server) => {
      const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
        const res = await fetch(`${server.url}/api/v2/platform/spaces/${server.scenario.spaceToken ?? ''}/${path}`, {
          method: 'POST',
          headers: { Authorization: `Token ${TOKEN}`, 'Org-Handle': server.orgHandle, ...headers },
          body: JSON.stringify(body)
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      const ok = await post('tasks/', { pilot: 'sales-agent', documents: CONTACTS });
      expect(ok.status).toBe(200);
      expect(ok.json.data).toMatchObject({ status: 'pending', task_ids: [expect.any(String), expect.any(String)] });
      const failed = { status: 206, json: expect.objectContaining({ message: 'Task creation failed' }) };
      expect(await post('tasks/create/', { pilot: 'no-such-agent', documents: CONTACTS })).toEqual(failed);
      expect(await post('tasks/create/', { pilot: 'sales-agent', documents: [] })).toEqual(failed);
      expect(await post('tasks/create/', { pilot: 'sales-agent', documents: [{ name: 'x' }] })).toEqual(failed);
      expect((await post('tasks/create/', {}, { Authorization: 'Token nope' })).status).toBe(401);
      expect((await post('tasks/create/', {}, { 'Org-Handle': 'other-org' })).status).toBe(206);
      expect(server.scenario.agents['sales-agent']?.filter((r) => r.status === 'pending')).toHaveLength(1);
    });
  });
});
