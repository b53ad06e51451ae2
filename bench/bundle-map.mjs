/**
 * What takes the space in an ncc bundle, and which package a position in it belongs to.
 *
 * ncc (webpack) emits CommonJS packages (undici, tunnel) as entries of a module map keyed by
 * deterministic ids, and concatenates ES modules (src/, @actions/*) into top-level code after
 * the webpack runtime. An unminified build with --stats-out names every id and marks each
 * concatenated module with a `// CONCATENATED MODULE: <path>` comment. The minified bundle keeps
 * the same ids and the same order of top-level statements, and keeps function names, so its
 * concatenated statements are matched to modules by the names they declare (a statement that
 * declares no known name goes with the one before it).
 */
import { readFile } from 'node:fs/promises';

/** @typedef {{ start: number, end: number, module: string, pkg: string }} Range */

/** The package a webpack module name belongs to. @param {string} name */
export function packageOf(name) {
  if (name.startsWith('external ')) return 'require() stubs for node builtins';
  const all = [...name.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  const last = all.at(-1);
  if (last) return /** @type {string} */ (last[1]);
  if (name.startsWith('./src/')) return 'src/ (ours)';
  if (name.startsWith('webpack/')) return 'webpack runtime';
  return name;
}

/** Loads acorn from the repository's node_modules (a dependency of ESLint), or undefined. */
export async function loadAcorn() {
  try {
    return await import('acorn');
  } catch {
    return undefined;
  }
}

/** id → module name, from webpack stats. @param {any} stats */
function idNames(stats) {
  /** @type {Map<string, string>} */
  const names = new Map();
  for (const m of stats.modules ?? []) if (m.id !== null && m.id !== undefined) names.set(String(m.id), m.name);
  return names;
}

/** @param {any} program */
function moduleMap(program) {
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const d of statement.declarations) {
      const init = d.init;
      if (init?.type !== 'ObjectExpression' || init.properties.length === 0) continue;
      const numeric = init.properties.every(
        (/** @type {any} */ p) => p.type === 'Property' && p.key.type === 'Literal' && typeof p.key.value === 'number'
      );
      if (numeric) return { statement, properties: init.properties };
    }
  }
  return undefined;
}

/** Names a top-level statement declares. @param {any} statement @returns {string[]} */
function declared(statement) {
  const node = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
  if (!node) return [];
  if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && node.id) return [node.id.name];
  if (node.type === 'VariableDeclaration')
    return node.declarations
      .filter((/** @type {any} */ d) => d.id.type === 'Identifier')
      .map((/** @type {any} */ d) => d.id.name);
  return [];
}

/**
 * Maps a minified bundle to modules and packages, using an unminified build of the same entry
 * and its stats.
 * @param {{ minified: string, raw: string, stats: string }} paths
 */
export async function mapBundle(paths) {
  const acorn = await loadAcorn();
  if (!acorn) throw new Error('acorn is not installed (npm ci)');
  const [minText, rawText, statsText] = await Promise.all([
    readFile(paths.minified, 'utf8'),
    readFile(paths.raw, 'utf8'),
    readFile(paths.stats, 'utf8')
  ]);
  const names = idNames(JSON.parse(statsText));
  const parse = (/** @type {string} */ text) => acorn.parse(text, { ecmaVersion: 'latest', sourceType: 'module' });

  // The unminified build: concatenated module of each top-level name, and exact raw bytes.
  const raw = parse(rawText);
  const markers = [...rawText.matchAll(/\/\/ CONCATENATED MODULE: (.+)/g)].map((m) => ({
    at: /** @type {number} */ (m.index),
    module: /** @type {string} */ (m[1]).trim()
  }));
  /** @type {Map<string, string | null>} name → module, null when ambiguous */
  const owner = new Map();
  const rawMap = moduleMap(raw);
  /** @type {Record<string, number>} */
  const rawBytes = {};
  const add = (/** @type {Record<string, number>} */ into, /** @type {string} */ pkg, /** @type {number} */ n) =>
    (into[pkg] = (into[pkg] ?? 0) + n);
  let rawCounted = 0;
  for (const p of rawMap?.properties ?? []) {
    const module = names.get(String(p.key.value)) ?? `module ${p.key.value}`;
    add(rawBytes, packageOf(module), p.end - p.start);
    rawCounted += p.end - p.start;
  }
  for (let i = 0; i < markers.length; i++) {
    const marker = /** @type {{ at: number, module: string }} */ (markers[i]);
    const end = markers[i + 1]?.at ?? rawText.length;
    add(rawBytes, packageOf(marker.module), end - marker.at);
    rawCounted += end - marker.at;
  }
  add(rawBytes, 'webpack runtime', rawText.length - rawCounted);
  const first = markers[0]?.at ?? Infinity;
  for (const statement of raw.body) {
    if (statement.start < first) continue;
    let module;
    for (const m of markers) if (m.at <= statement.start) module = m.module;
    if (module === undefined) continue;
    for (const name of declared(statement)) {
      const seen = owner.get(name);
      owner.set(name, seen === undefined || seen === module ? module : null);
    }
  }

  // The minified bundle: ranges for the module map's entries and for the concatenated code.
  const min = parse(minText);
  const minMap = moduleMap(min);
  /** @type {Range[]} */
  const ranges = [];
  for (const p of minMap?.properties ?? []) {
    const module = names.get(String(p.key.value)) ?? `module ${p.key.value}`;
    ranges.push({ start: p.start, end: p.end, module, pkg: packageOf(module) });
  }
  let current = 'webpack/runtime';
  let matched = false;
  for (const statement of min.body) {
    if (statement === minMap?.statement) continue;
    for (const name of declared(statement)) {
      const module = owner.get(name);
      if (module) {
        current = module;
        matched = true;
        break;
      }
    }
    ranges.push({
      start: statement.start,
      end: statement.end,
      module: matched ? current : 'webpack/runtime',
      pkg: packageOf(matched ? current : 'webpack/runtime')
    });
  }
  ranges.sort((a, b) => a.start - b.start);
  /** @type {Record<string, number>} */
  const minBytes = {};
  let minCounted = 0;
  for (const r of ranges) {
    add(minBytes, r.pkg, r.end - r.start);
    minCounted += r.end - r.start;
  }
  add(minBytes, 'webpack runtime', minText.length - minCounted);

  // The largest string literals of the minified bundle (llhttp's WebAssembly, as base64).
  const big = [...minText.matchAll(/(["'`])([A-Za-z0-9+/=]{20000,})\1/g)].map((m) => ({
    at: /** @type {number} */ (m.index),
    bytes: m[0].length
  }));
  const wasm = big.map((b) => ({ ...b, pkg: rangeAt(ranges, b.at)?.pkg ?? '?' }));

  return {
    names,
    ranges,
    minifiedBytes: minBytes,
    minifiedTotal: Buffer.byteLength(minText),
    rawBytes,
    rawTotal: Buffer.byteLength(rawText),
    base64Literals: wasm,
    lineStarts: lineStarts(minText)
  };
}

/** The range holding `offset`, by binary search. @param {Range[]} ranges @param {number} offset */
export function rangeAt(ranges, offset) {
  let lo = 0;
  let hi = ranges.length - 1;
  let found;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = /** @type {Range} */ (ranges[mid]);
    if (r.start <= offset) {
      found = r;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && offset < found.end ? found : undefined;
}

/** @param {string} text */
function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
