// @ts-check
/**
 * `npm run docs`: rewrites the README's input and output tables from action.yml, so the two
 * cannot drift apart. Only the text between the marker comments is touched:
 *
 *   <!-- inputs:start --> … <!-- inputs:end -->
 *   <!-- outputs:start --> … <!-- outputs:end -->
 *
 * Each pair sits inside <!-- prettier-ignore-start --> … <!-- prettier-ignore-end -->, because the
 * tables are written one row a line without padding (padded, they were two thirds of the README).
 *
 * `node scripts/docs.mjs --check` writes nothing and exits 1 when README.md differs from what it
 * would write. `--readme <file>` and `--action <file>` point at other files (for tests).
 * The rendering functions are pure and exported; their types live in docs.d.mts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { invokedDirectly } from './invoked.mjs';

/** @typedef {import('./docs.d.mts').ActionMetadata} ActionMetadata */
/** @typedef {import('./docs.d.mts').ActionInput} ActionInput */
/** @typedef {import('./docs.d.mts').ActionOutput} ActionOutput */
/** @typedef {import('./docs.d.mts').SectionName} SectionName */

/** @type {readonly SectionName[]} */
export const SECTIONS = ['inputs', 'outputs'];

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Parses action.yml and checks the parts the tables need.
 * @param {string} text
 * @returns {ActionMetadata}
 */
export function parseActionMetadata(text) {
  /** @type {unknown} */
  const action = parse(text);
  if (!isRecord(action)) throw new Error('action.yml is not a YAML mapping.');
  for (const key of /** @type {const} */ (['inputs', 'outputs'])) {
    const entries = action[key];
    if (!isRecord(entries)) throw new Error(`action.yml has no '${key}' mapping.`);
    for (const [name, entry] of Object.entries(entries)) {
      if (!isRecord(entry)) throw new Error(`action.yml: ${key}.${name} is not a mapping.`);
    }
  }
  return /** @type {ActionMetadata} */ (action);
}

/**
 * Whether an input is required; GitHub reads `required: true` (a YAML boolean or the string).
 * @param {ActionInput} input
 */
export function isRequired(input) {
  return input.required === true || String(input.required).toLowerCase() === 'true';
}

/**
 * The input's default as the runner sees it (a string), or undefined when it has none.
 * @param {ActionInput} input
 * @returns {string | undefined}
 */
export function defaultOf(input) {
  return input.default === undefined || input.default === null ? undefined : String(input.default);
}

/**
 * Text on one line: every run of white space (folded YAML, line breaks) becomes one space.
 * @param {unknown} text
 */
export function oneLine(text) {
  return (typeof text === 'string' ? text : text === undefined || text === null ? '' : String(text))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A Markdown code span that survives backticks in the value.
 * @param {string} value
 */
export function codeSpan(value) {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || value.startsWith(' ') || value.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/**
 * A table cell: one line, with `|` escaped (also inside code spans, as GFM tables require).
 * @param {string} text
 */
export function cell(text) {
  return oneLine(text).replace(/\|/g, '\\|');
}

/**
 * A Markdown table, one row a line and no padding: the README sits between prettier-ignore
 * comments, since padding every row to the longest description would double the tables' bytes.
 * @param {readonly string[]} header
 * @param {readonly (readonly string[])[]} rows
 */
export function renderTable(header, rows) {
  /** @param {readonly string[]} cells */
  const line = (cells) => `| ${header.map((_, i) => cells[i] ?? '').join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * The inputs table: name, required, default, description, in action.yml's order.
 * @param {Readonly<Record<string, ActionInput>>} inputs
 */
export function renderInputsTable(inputs) {
  const rows = Object.entries(inputs).map(([name, input]) => {
    const fallback = defaultOf(input);
    return [
      cell(codeSpan(name)),
      isRequired(input) ? 'yes' : 'no',
      fallback === undefined || fallback === '' ? '' : cell(codeSpan(fallback)),
      cell(input.description ?? '')
    ];
  });
  return renderTable(['input', 'required', 'default', 'description'], rows);
}

/**
 * The outputs table: name, description, in action.yml's order.
 * @param {Readonly<Record<string, ActionOutput>>} outputs
 */
export function renderOutputsTable(outputs) {
  const rows = Object.entries(outputs).map(([name, output]) => [cell(codeSpan(name)), cell(output.description ?? '')]);
  return renderTable(['output', 'description'], rows);
}

/**
 * What goes between each pair of markers.
 * @param {ActionMetadata} action
 * @returns {Record<SectionName, string>}
 */
export function renderSections(action) {
  return { inputs: renderInputsTable(action.inputs), outputs: renderOutputsTable(action.outputs) };
}

/**
 * Where a section's content lies: after its start marker, before its end marker.
 * @param {string} text
 * @param {string} name
 */
function sectionBounds(text, name) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) {
    throw new Error(`README.md lacks the '${start}' and '${end}' markers.`);
  }
  if (text.indexOf(start, from + 1) !== -1 || text.indexOf(end, to + 1) !== -1) {
    throw new Error(`README.md has the '${name}' markers more than once.`);
  }
  if (to < from) throw new Error(`README.md has '${end}' before '${start}'.`);
  return { from: from + start.length, to };
}

/**
 * The text between a section's markers, without the surrounding blank lines.
 * @param {string} text
 * @param {string} name
 */
export function extractSection(text, name) {
  const { from, to } = sectionBounds(text, name);
  return text.slice(from, to).trim();
}

/**
 * The text with a section's content replaced, one blank line on each side.
 * @param {string} text
 * @param {string} name
 * @param {string} content
 */
export function replaceSection(text, name, content) {
  const { from, to } = sectionBounds(text, name);
  return `${text.slice(0, from)}\n\n${content}\n\n${text.slice(to)}`;
}

/**
 * The README with both tables rendered from action.yml's text.
 * @param {string} readme
 * @param {string} actionText
 */
export function renderReadme(readme, actionText) {
  const sections = renderSections(parseActionMetadata(actionText));
  return SECTIONS.reduce((text, name) => replaceSection(text, name, sections[name]), readme);
}

/** The thresholds and confidences of the calls-needed table in docs/trend.md. */
export const CALLS_NEEDED_THRESHOLDS = ['90', '95', '98', '99'];
export const CALLS_NEEDED_CONFIDENCES = /** @type {const} */ (['90', '95', '99']);

/**
 * The calls-needed table: for each threshold and confidence, the fewest calls that, all completed,
 * prove the threshold. `needed` is src/rules/wilson.ts's callsNeeded, so the table comes from the
 * rule's own integer decision.
 * @param {(threshold: string, confidence: '90' | '95' | '99') => number | undefined} needed
 */
export function renderCallsNeededTable(needed) {
  const rows = CALLS_NEEDED_THRESHOLDS.map((threshold) => [
    `${threshold} %`,
    ...CALLS_NEEDED_CONFIDENCES.map((confidence) => String(needed(threshold, confidence) ?? 'never'))
  ]);
  return renderTable(['threshold', ...CALLS_NEEDED_CONFIDENCES.map((c) => `${c} % confidence`)], rows);
}

/**
 * src/rules/wilson.ts and src/values/percent.ts, transpiled by TypeScript into a temporary
 * directory and imported: the script runs on plain Node, and the table must come from the rule.
 * @returns {Promise<(threshold: string, confidence: '90' | '95' | '99') => number | undefined>}
 */
async function loadCallsNeeded() {
  const ts = (await import('typescript')).default;
  const dir = mkdtempSync(join(tmpdir(), 'unpod-docs-'));
  try {
    for (const file of ['values/percent.ts', 'rules/wilson.ts']) {
      const source = readFileSync(join(ROOT, 'src', file), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
      });
      mkdirSync(join(dir, dirname(file)), { recursive: true });
      writeFileSync(join(dir, file.replace(/\.ts$/, '.js')), outputText);
    }
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const percent = await import(pathToFileURL(join(dir, 'values/percent.js')).href);
    const wilson = await import(pathToFileURL(join(dir, 'rules/wilson.js')).href);
    return (threshold, confidence) => wilson.callsNeeded(percent.parseThreshold('threshold', threshold), confidence);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {readonly string[]} args */
function parseArgs(args) {
  const options = {
    check: false,
    readme: resolve(ROOT, 'README.md'),
    action: resolve(ROOT, 'action.yml'),
    trend: resolve(ROOT, 'docs', 'trend.md')
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--check') options.check = true;
    else if ((arg === '--readme' || arg === '--action' || arg === '--trend') && value !== undefined) {
      options[/** @type {'readme' | 'action' | 'trend'} */ (arg.slice(2))] = resolve(value);
      i++;
    } else {
      throw new Error(
        `Unknown argument ${JSON.stringify(arg)}. Usage: node scripts/docs.mjs [--check] [--readme FILE] [--action FILE] [--trend FILE]`
      );
    }
  }
  return options;
}

/**
 * The calls-needed table of docs/trend.md, like the README's tables: checked, or rewritten.
 * @param {{ check: boolean, trend: string }} options
 */
async function callsNeededSection(options) {
  const shown = relative(process.cwd(), options.trend) || options.trend;
  const text = readFileSync(options.trend, 'utf8');
  const expected = replaceSection(text, 'calls-needed', renderCallsNeededTable(await loadCallsNeeded()));
  if (expected === text) {
    console.log(`${shown}: the calls-needed table matches src/rules/wilson.ts.`);
  } else if (options.check) {
    console.error(
      `${shown} is out of date with src/rules/wilson.ts (the calls-needed table): run 'npm run docs' and commit ${shown}.`
    );
    process.exitCode = 1;
  } else {
    writeFileSync(options.trend, expected);
    console.log(`${shown}: rewrote the calls-needed table from src/rules/wilson.ts.`);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  await callsNeededSection(options);
  const shown = relative(process.cwd(), options.readme) || options.readme;
  const readme = readFileSync(options.readme, 'utf8');
  const expected = renderReadme(readme, readFileSync(options.action, 'utf8'));
  const stale = SECTIONS.filter((name) => extractSection(readme, name) !== extractSection(expected, name));
  const what =
    stale.length === 0
      ? 'the blank lines around the tables'
      : `the ${stale.join(' and ')} table${stale.length > 1 ? 's' : ''}`;
  if (expected === readme) {
    console.log(`${shown}: the input and output tables match action.yml.`);
  } else if (options.check) {
    console.error(`${shown} is out of date with action.yml (${what}): run 'npm run docs' and commit ${shown}.`);
    process.exitCode = 1;
  } else {
    writeFileSync(options.readme, expected);
    console.log(`${shown}: rewrote ${what} from action.yml.`);
  }
}

if (invokedDirectly(import.meta.url)) {
  try {
    await main();
  } catch (error) {
    console.error(`docs: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
