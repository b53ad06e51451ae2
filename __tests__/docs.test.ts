/**
 * The documentation agrees with action.yml and the sources: the README's generated tables, the
 * defaults (action.yml, src/settings/inputs.ts DEFAULTS and the prose of README.md and docs/*.md),
 * the troubleshooting messages, the links between the pages, the README's size, the action's
 * metadata, and the version in package.json and src/unpod/version.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { marked, type Tokens } from 'marked';
import {
  defaultOf,
  extractSection,
  isRequired,
  oneLine,
  parseActionMetadata,
  renderInputsTable,
  renderOutputsTable,
  renderCallsNeededTable,
  renderReadme,
  replaceSection
} from '../scripts/docs.mjs';
import { callsNeeded } from '../src/rules/wilson.js';
import { parseThreshold } from '../src/values/percent.js';
import { givenUp, refusal, retryReason, statusText } from '../src/unpod/answers.js';
import { classifyTls, explainTls } from '../src/unpod/transport.js';
import { DEFAULTS } from '../src/settings/inputs.js';
import { ACTION_VERSION } from '../src/unpod/version.js';
import { readAnswer } from '../src/github/answers.js';
import { apiUrl } from '../src/github/context.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

const actionText = read('action.yml');
const action = parseActionMetadata(actionText);
const readme = read('README.md');
/** The front page and the pages the depth moved to, by path from the repository root. */
const pages: Record<string, string> = Object.fromEntries(
  ['README.md', ...readdirSync(join(ROOT, 'docs')).flatMap((f) => (f.endsWith('.md') ? [`docs/${f}`] : []))].map(
    (file) => [file, read(file)]
  )
);
const troubleshooting = read('docs/troubleshooting.md');
const inputNames = Object.keys(action.inputs);
const outputNames = Object.keys(action.outputs);

/** The cells of the first table in a piece of Markdown, as text. */
function tableCells(markdown: string): { header: string[]; rows: string[][] } {
  const table = marked.lexer(markdown).find((token): token is Tokens.Table => token.type === 'table');
  if (table === undefined) throw new Error(`no table in:\n${markdown}`);
  return {
    header: table.header.map((c) => c.text),
    rows: table.rows.map((row) => row.map((c) => c.text))
  };
}

/** A page without fenced code and without the generated sections: what people wrote. */
function prose(markdown: string): string {
  let text = ['inputs', 'outputs']
    .filter((name) => markdown.includes(`<!-- ${name}:start -->`))
    .reduce((all, name) => replaceSection(all, name, ''), markdown);
  void marked.walkTokens(marked.lexer(text), (token) => {
    if (token.type === 'code') text = text.replace(token.raw, '\n');
  });
  return text;
}

interface DefaultMention {
  readonly name: string;
  readonly value: string;
  readonly text: string;
}

/**
 * Statements of an input's default in prose: "`retries` (default `3`)", "(default: 3)",
 * "`summary` defaults to `true`", "`enforce: true` (the default)", "`enforce` is `true` by default".
 */
function defaultMentions(text: string): DefaultMention[] {
  const value = '`([^`]+)`|([^\\s`),.;]+)';
  const patterns = [
    new RegExp(`\`([a-z][a-z0-9-]*)\`\\s*\\((?:the\\s+)?default(?:s to|:|\\s+is)?\\s*(?:${value})`, 'gi'),
    new RegExp(`\`([a-z][a-z0-9-]*)\`(?:,?\\s+which)?\\s+defaults\\s+to\\s+(?:${value})`, 'gi'),
    new RegExp(`\`([a-z][a-z0-9-]*)\`\\s+is\\s+(?:${value})\\s+by\\s+default`, 'gi'),
    /`([a-z][a-z0-9-]*):\s*([^`]+)`\s*\((?:the\s+)?default\)/gi
  ];
  return patterns.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((m) => ({
      name: m[1] ?? '',
      value: (m[2] ?? m[3] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2'),
      text: m[0]
    }))
  );
}

describe('(a) the README tables are generated from action.yml', () => {
  it('the inputs section is what scripts/docs.mjs renders', () => {
    expect(extractSection(readme, 'inputs')).toBe(renderInputsTable(action.inputs));
  });

  it('the outputs section is what scripts/docs.mjs renders', () => {
    expect(extractSection(readme, 'outputs')).toBe(renderOutputsTable(action.outputs));
  });

  it('rendering the whole README changes nothing (blank lines around the tables included)', () => {
    expect(renderReadme(readme, actionText)).toBe(readme);
  });

  it('the rendered inputs table lists every input in order: name, required, default, description', () => {
    const { header, rows } = tableCells(renderInputsTable(action.inputs));
    expect(header).toEqual(['input', 'required', 'default', 'description']);
    expect(rows).toEqual(
      Object.entries(action.inputs).map(([name, input]) => {
        const fallback = defaultOf(input);
        return [
          `\`${name}\``,
          isRequired(input) ? 'yes' : 'no',
          fallback === undefined ? '' : `\`${fallback}\``,
          oneLine(input.description)
        ];
      })
    );
  });

  it('the rendered outputs table lists every output in order: name, description', () => {
    const { header, rows } = tableCells(renderOutputsTable(action.outputs));
    expect(header).toEqual(['output', 'description']);
    expect(rows).toEqual(Object.entries(action.outputs).map(([name, o]) => [`\`${name}\``, oneLine(o.description)]));
  });

  it('keeps each row on one line and escapes | so a description cannot break the table', () => {
    const table = renderInputsTable({
      'a-b': { description: 'first line\n  second | third', required: false, default: 'x|y' },
      c: { description: 'plain', required: true }
    });
    expect(table.split('\n')).toHaveLength(4);
    const { rows } = tableCells(table);
    expect(rows).toEqual([
      ['`a-b`', 'no', '`x|y`', 'first line second | third'],
      ['`c`', 'yes', '', 'plain']
    ]);
  });

  it('refuses a README without the markers instead of writing somewhere else', () => {
    expect(() => extractSection('# no markers', 'inputs')).toThrow(/inputs:start/);
    expect(() => replaceSection('<!-- inputs:end --> <!-- inputs:start -->', 'inputs', 'x')).toThrow(/before/);
  });

  it("docs/trend.md's calls-needed table is what scripts/docs.mjs renders from wilson.ts's callsNeeded", () => {
    const needed = (threshold: string, confidence: '90' | '95' | '99') =>
      callsNeeded(parseThreshold('threshold', threshold), confidence);
    const section = extractSection(read('docs/trend.md'), 'calls-needed');
    expect(section).toBe(renderCallsNeededTable(needed));
    const { header, rows } = tableCells(section);
    expect(header).toEqual(['threshold', '90 % confidence', '95 % confidence', '99 % confidence']);
    expect(rows.map((row) => row[0])).toEqual(['90 %', '95 %', '98 %', '99 %']);
    expect(rows[1]?.[2]).toBe('73');
    expect(renderCallsNeededTable(() => undefined)).toMatch(/\| never \|/);
  });

  describe('node scripts/docs.mjs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-test-'));
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const docs = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'scripts/docs.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

    it('--check passes on the committed README', () => {
      const run = docs('--check');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    });

    it('--check exits 1 with a clear message on a stale README and writes nothing; without --check it fixes it', () => {
      const stale = join(dir, 'README.md');
      const staleText = readme.replace('| `org-handle`', '| `org-handle-renamed`');
      expect(staleText).not.toBe(readme);
      writeFileSync(stale, staleText);

      const check = docs('--check', '--readme', stale);
      expect(check.status).toBe(1);
      expect(check.stderr).toMatch(/out of date with action\.yml \(the inputs table\): run 'npm run docs'/);
      expect(readFileSync(stale, 'utf8')).toBe(staleText);

      const fix = docs('--readme', stale);
      expect(fix.status).toBe(0);
      expect(readFileSync(stale, 'utf8')).toBe(readme);
    });

    it('--check exits 1 on a stale calls-needed table in docs/trend.md; without --check it fixes it', () => {
      const trend = read('docs/trend.md');
      const stale = join(dir, 'trend.md');
      const staleText = trend.replace('| 95 % | 52 | 73 |', '| 95 % | 52 | 72 |');
      expect(staleText).not.toBe(trend);
      writeFileSync(stale, staleText);
      const check = docs('--check', '--trend', stale);
      expect(check.status).toBe(1);
      expect(check.stderr).toMatch(/out of date with src\/rules\/wilson\.ts \(the calls-needed table\)/);
      expect(docs('--trend', stale).status).toBe(0);
      expect(readFileSync(stale, 'utf8')).toBe(trend);
    });
  });
});

describe('(b) defaults: action.yml and DEFAULTS in src/settings/inputs.ts', () => {
  const declared = Object.fromEntries(
    Object.entries(action.inputs).flatMap(([name, input]) => {
      const fallback = defaultOf(input);
      return fallback === undefined ? [] : [[name, fallback]];
    })
  );

  it('every action.yml default is in DEFAULTS with the same value, and DEFAULTS has nothing else', () => {
    expect(declared).toEqual({ ...DEFAULTS });
  });

  it('every DEFAULTS key is an action.yml input', () => {
    expect(Object.keys(DEFAULTS).filter((name) => !inputNames.includes(name))).toEqual([]);
  });

  it('the inputs without a default are exactly the required ones plus the optional rules, report-path and step-timeout', () => {
    const withoutDefault = inputNames.filter((name) => !(name in declared)).sort();
    const required = inputNames.filter((name) => isRequired(action.inputs[name]!));
    expect(required).toEqual(['agent-handle', 'org-handle', 'token']);
    // step-timeout's default depends on wait-timeout, so action.yml can only describe it.
    expect(withoutDefault).toEqual(
      [
        ...required,
        'run-id',
        'max-age',
        'report-path',
        'thresholds',
        'max-drop',
        'warn-below',
        'confidence',
        'step-timeout',
        'pr-number'
      ].sort()
    );
  });
});

describe('(c) the prose of README.md and docs/*.md and the tables agree with action.yml', () => {
  const text = Object.values(pages).map(prose).join('\n');

  it('reads the README and the docs pages that hold the depth', () => {
    expect(Object.keys(pages)).toEqual(
      expect.arrayContaining(['README.md', 'docs/rules.md', 'docs/trend.md', 'docs/troubleshooting.md'])
    );
  });

  it('the README inputs table, read as Markdown, shows each input with its required flag and default', () => {
    const { rows } = tableCells(extractSection(readme, 'inputs'));
    const shown = Object.fromEntries(rows.map(([name = '', required, fallback]) => [name, { required, fallback }]));
    expect(shown).toEqual(
      Object.fromEntries(
        Object.entries(action.inputs).map(([name, input]) => [
          `\`${name}\``,
          {
            required: isRequired(input) ? 'yes' : 'no',
            fallback: defaultOf(input) === undefined ? '' : `\`${defaultOf(input)}\``
          }
        ])
      )
    );
  });

  it('finds default statements in prose (so the next test is not vacuous)', () => {
    expect(
      defaultMentions(
        'Set `retries` (default `3`), `history` (default: 10) and `summary`, which defaults to `true`. ' +
          '`enforce: true` (the default) fails the step; `threshold` is `100` by default.'
      ).map(({ name, value }) => `${name}=${value}`)
    ).toEqual(['retries=3', 'history=10', 'summary=true', 'threshold=100', 'enforce=true']);
    expect(defaultMentions('`summary` defaults to `true`')).toEqual([
      { name: 'summary', value: 'true', text: '`summary` defaults to `true`' }
    ]);
  });

  it('every default the prose states is action.yml default for that input', () => {
    const wrong = defaultMentions(text)
      .filter(({ name, value }) => {
        const input = action.inputs[name];
        return input === undefined || defaultOf(input) !== value;
      })
      .map(({ name, value, text: where }) => {
        const input = action.inputs[name];
        const actual = input === undefined ? 'no such input' : `default ${String(defaultOf(input))}`;
        return `${where} says ${name} defaults to ${value}; action.yml: ${actual}`;
      });
    expect(wrong).toEqual([]);
  });

  it("the troubleshooting page's example reasons name the default base-url's origin", () => {
    const origins = [...troubleshooting.matchAll(/`The request to (\S+) failed/g)].map((m) => m[1]);
    expect(origins.length).toBeGreaterThan(0);
    expect(new Set(origins)).toEqual(new Set([defaultOf(action.inputs['base-url']!)]));
  });

  it('the HTTP status rows of the troubleshooting page say what the gate says (src/unpod/answers.ts)', () => {
    const rows = [...troubleshooting.matchAll(/`([^`]*\(HTTP (\d{3})(?: "([^"]*)")?[^`]*)`/g)];
    const statuses = new Set<number>();
    for (const [, text = '', code = '', said = ''] of rows) {
      const status = Number(code);
      statuses.add(status);
      const shown = statusText(status, said);
      const attempts = /, after (\d+) attempts?\.$/.exec(text)?.[1];
      const expected =
        attempts === undefined
          ? refusal({
              status,
              shown,
              agent: /agent "([^"]+)"/i.exec(text)?.[1] ?? 'sales-agent',
              orgHandle: /organisation "([^"]+)"/.exec(text)?.[1] ?? 'my-org',
              origin: /The server at (\S+)/.exec(text)?.[1] ?? 'https://unpod.ai',
              endpoint: 'executions',
              isJson: !text.includes('not JSON'),
              location: / to "([^"]+)"/.exec(text)?.[1]
            })
          : givenUp(retryReason(status, shown), Number(attempts), 'retries spent', undefined);
      expect(text).toBe(expected);
    }
    expect([...statuses].sort()).toEqual([206, 301, 400, 401, 403, 404, 429, 501, 503]);
  });

  it('the TLS troubleshooting rows say what the gate says (explainTls in src/unpod/transport.ts)', () => {
    const rows = [
      ...troubleshooting.matchAll(/`(The [^`]*?(https:\/\/[^\s)]+)[^`]*?\(([A-Z][A-Z_]+)(?:: ([^`]*))?\)[^`]*)`/g)
    ]
      .map(([, text = '', origin = '', code = '', detail = '']) => ({
        text,
        origin,
        tls: classifyTls(code, ''),
        detail: detail.replace(/\)\.$/, '')
      }))
      .filter((row) => row.tls !== undefined);
    expect(new Set(rows.map((row) => row.tls?.problem))).toEqual(
      new Set(['untrusted', 'name-mismatch', 'expired', 'not-tls'])
    );
    for (const { text, origin, tls, detail } of rows) {
      if (tls !== undefined) expect(text).toBe(explainTls(tls, origin, detail));
    }
  });

  it('every hyphenated name the prose quotes as `name` or `name: value` is an input or output', () => {
    const quoted = [...text.matchAll(/`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)(?::[^`]*)?`/g)].map((m) => m[1] ?? '');
    expect(quoted.length).toBeGreaterThan(0);
    const known = new Set([...inputNames, ...outputNames]);
    expect([...new Set(quoted)].filter((name) => !known.has(name))).toEqual([]);
  });

  it('every `input: true|false` in the prose sets an input whose default is a boolean', () => {
    const settings = [...text.matchAll(/`([a-z][a-z0-9-]*):\s*(true|false)`/g)].map((m) => m[1] ?? '');
    expect(settings.length).toBeGreaterThan(0);
    const notBoolean = settings.filter(
      (name) => !['true', 'false'].includes(defaultOf(action.inputs[name] ?? {}) ?? '')
    );
    expect(notBoolean).toEqual([]);
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown page's headings, a repeated heading numbered as GitHub does. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  void marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type !== 'heading') return;
    const plain = (token as Tokens.Heading).text.replace(/[`*_]/g, '');
    const base = slug(plain);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  });
  return out;
}

/**
 * Every relative link (and image) of the pages that does not resolve: a file or folder that does
 * not exist, or an #anchor that is no heading of the page it points into.
 */
function brokenLinks(all: Readonly<Record<string, string>>, exists: (path: string) => boolean): string[] {
  const broken: string[] = [];
  for (const [page, markdown] of Object.entries(all)) {
    void marked.walkTokens(marked.lexer(markdown), (token) => {
      if (token.type !== 'link' && token.type !== 'image') return;
      const href = (token as Tokens.Link).href;
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return;
      const [path = '', anchor] = href.split('#');
      const target = path === '' ? page : normalize(join(dirname(page), decodeURIComponent(path)));
      if (target.startsWith('..') || !exists(target)) broken.push(`${page}: ${href} (no ${target})`);
      else if (anchor !== undefined && target.endsWith('.md')) {
        const text = all[target] ?? read(target);
        if (!anchors(text).has(anchor)) broken.push(`${page}: ${href} (no heading #${anchor} in ${target})`);
      }
    });
  }
  return broken;
}

describe('(f) the pages: the README is a front page, the depth is in docs/, every link resolves', () => {
  it('README.md is at most 25,000 bytes', () => {
    expect(Buffer.byteLength(readme, 'utf8')).toBeLessThanOrEqual(25_000);
  });

  it("the README's first lines are the two commands a new user runs, and both are package scripts", () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(readme.split('\n').slice(0, 6).join('\n')).toMatch(
      /^# .+\n\n```sh\nnpm ci && npm run demo +# .+\nnpm test +# .+\n```$/
    );
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['demo', 'test']));
  });

  it('every relative link and #anchor in README.md and docs/*.md resolves', () => {
    const links = Object.values(pages).flatMap((markdown) => markdown.match(/\]\((?![a-z]+:)[^)]+\)/g) ?? []);
    expect(links.length).toBeGreaterThan(20);
    expect(brokenLinks(pages, (path) => existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('every docs/*.md page is linked from the README', () => {
    const unlinked = Object.keys(pages).filter((page) => page !== 'README.md' && !readme.includes(`](${page}`));
    expect(unlinked).toEqual([]);
  });

  it('finds a missing file, a missing anchor and a link out of the repository, and knows GitHub anchors', () => {
    const fake = {
      'README.md': '# Top\n\n## Why a run missed: `explain`\n\n## Top\n\n[a](docs/a.md#one) [b](docs/b.md) [c](#top-1)',
      'docs/a.md': '# One\n\n[up](../README.md#why-a-run-missed-explain) [bad](#two) [out](../../x.md) [img](i.png)'
    };
    expect(brokenLinks(fake, (path) => path in fake)).toEqual([
      'README.md: docs/b.md (no docs/b.md)',
      'docs/a.md: #two (no heading #two in docs/a.md)',
      'docs/a.md: ../../x.md (no ../x.md)',
      'docs/a.md: i.png (no docs/i.png)'
    ]);
  });
});

describe('(d) action.yml metadata', () => {
  it('has a name, a description and branding', () => {
    expect(oneLine(action.name)).not.toBe('');
    expect(oneLine(action.description)).not.toBe('');
    expect(oneLine(action.branding?.icon)).not.toBe('');
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(
      action.branding?.color
    );
  });

  it('runs dist/index.js on node24, and dist/index.js exists', () => {
    expect(action.runs?.using).toBe('node24');
    expect(action.runs?.main).toBe('dist/index.js');
    expect(statSync(join(ROOT, 'dist/index.js')).isFile()).toBe(true);
  });

  it('every input and output has a description', () => {
    const missing = [
      ...Object.entries(action.inputs).map(([name, entry]) => ['input', name, entry.description] as const),
      ...Object.entries(action.outputs).map(([name, entry]) => ['output', name, entry.description] as const)
    ]
      .filter(([, , description]) => oneLine(description) === '')
      .map(([kind, name]) => `${kind} ${name}`);
    expect(missing).toEqual([]);
  });

  it('inputs use only the keys GitHub reads, and names are kebab-case', () => {
    const allowed = new Set(['description', 'required', 'default', 'deprecationMessage']);
    const unknown = Object.entries(action.inputs).flatMap(([name, input]) =>
      Object.keys(input)
        .filter((key) => !allowed.has(key))
        .map((key) => `${name}.${key}`)
    );
    expect(unknown).toEqual([]);
    const kebab = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
    expect([...inputNames, ...outputNames].filter((name) => !kebab.test(name))).toEqual([]);
  });
});

describe('(e) versions', () => {
  const pkg = JSON.parse(read('package.json')) as { version: string };

  it('package.json version equals ACTION_VERSION in src/unpod/version.ts', () => {
    expect(ACTION_VERSION).toBe(pkg.version);
  });

  it('CHANGELOG.md has an Unreleased section and a section for that version', () => {
    const changelog = read('CHANGELOG.md');
    expect(changelog).toMatch(/^## \[Unreleased\]$/m);
    expect(changelog).toMatch(
      new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm')
    );
  });
});

describe('(g) the pull-request comment page says what the gate says (src/github)', () => {
  const page = read('docs/pr-comment.md');
  const table = page.slice(
    page.indexOf('<!-- pr-comment-troubleshooting:start -->'),
    page.indexOf('<!-- pr-comment-troubleshooting:end -->')
  );
  const said = [...table.matchAll(/`([^`]*\(HTTP (\d{3}) "([^"]*)"\)[^`]*)`/g)];

  it('each refusal row is the message readAnswer gives for that answer', () => {
    const refusals = said.filter(([, text = '']) => !text.includes(', after '));
    expect(refusals.map(([, , status]) => status).sort()).toEqual(['401', '403', '404', '422']);
    for (const [, text = '', status = '', message = ''] of refusals) {
      const answer = readAnswer(
        { status: Number(status), headers: {}, body: JSON.stringify({ message }) },
        { repository: 'octo-org/voice-agents', pullNumber: 7 },
        0
      );
      expect(answer).toEqual({ kind: 'refused', message: text });
    }
  });

  it('each retried row starts with the reason readAnswer gives', () => {
    const retried = said.filter(([, text = '']) => text.includes(', after '));
    expect(retried.length).toBe(2);
    for (const [, text = '', status = '', message = ''] of retried) {
      const headers = message.includes('secondary rate limit') ? { 'retry-after': '3600' } : {};
      const answer = readAnswer(
        { status: Number(status), headers, body: JSON.stringify({ message }) },
        { repository: 'o/r', pullNumber: 7 },
        0
      );
      expect(answer.kind).toBe('retry');
      if (answer.kind === 'retry') expect(text.startsWith(answer.why)).toBe(true);
    }
  });

  it('the GITHUB_API_URL row is what apiUrl says', () => {
    const row = /`(GITHUB_API_URL "http:\/\/ghe\.example\.com"[^`]*)`/.exec(table)?.[1];
    expect(apiUrl('http://ghe.example.com')).toEqual({ problem: row, warn: true });
  });
});
