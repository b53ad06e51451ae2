/**
 * Case 5, the bundle: the bytes of dist/index.js and of dist/, and which packages they come
 * from. The shipped (minified) bundle is mapped to modules with an unminified build of the same
 * sources and its webpack stats (bench/bundle-map.mjs).
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mapBundle } from './bundle-map.mjs';
import { BUNDLE, ROOT, fmtKB } from './lib.mjs';

/** @param {string} dir @returns {Promise<number>} */
async function du(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await du(path) : (await stat(path)).size;
  }
  return total;
}

/**
 * @param {{ raw?: string, stats?: string, buildError?: string }} ctx the unminified build of src/index.ts
 */
export async function benchBundle(ctx) {
  const indexBytes = (await stat(BUNDLE)).size;
  const distBytes = await du(join(ROOT, 'dist'));
  const sha256 = createHash('sha256')
    .update(await readFile(BUNDLE))
    .digest('hex');
  /** @type {Record<string, any>} */
  const result = { indexBytes, distBytes, sha256 };
  /** @type {(string | string[])[]} */
  const rows = [
    '5. Bundle',
    ['', 'dist/index.js', `${indexBytes.toLocaleString('en')} bytes (${fmtKB(indexBytes)})`, '', ''],
    ['', 'dist/ in all', `${distBytes.toLocaleString('en')} bytes (${fmtKB(distBytes)})`, '', '']
  ];
  if (!ctx.raw || !ctx.stats) {
    result.attribution = { skipped: ctx.buildError ?? 'ncc not installed' };
    rows.push(['', 'by package', `skipped: ${result.attribution.skipped}`, '', '']);
    return { rows, result };
  }
  try {
    const map = await mapBundle({ minified: BUNDLE, raw: ctx.raw, stats: ctx.stats });
    const packages = Object.keys({ ...map.minifiedBytes, ...map.rawBytes }).sort(
      (a, b) => (map.minifiedBytes[b] ?? 0) - (map.minifiedBytes[a] ?? 0)
    );
    result.attribution = {
      minifiedTotal: map.minifiedTotal,
      unminifiedTotal: map.rawTotal,
      packages: Object.fromEntries(
        packages.map((p) => [p, { minified: map.minifiedBytes[p] ?? 0, unminified: map.rawBytes[p] ?? 0 }])
      ),
      base64Literals: map.base64Literals
    };
    rows.push(['', 'package', 'in dist/index.js (minified)', 'share', 'unminified build']);
    for (const p of packages) {
      const min = map.minifiedBytes[p] ?? 0;
      rows.push([
        '',
        `  ${p}`,
        fmtKB(min),
        `${((100 * min) / map.minifiedTotal).toFixed(1)} %`,
        fmtKB(map.rawBytes[p] ?? 0)
      ]);
    }
    const wasm = map.base64Literals.filter((b) => b.pkg === 'undici').reduce((sum, b) => sum + b.bytes, 0);
    if (wasm > 0)
      rows.push([
        '',
        '  of undici: llhttp WebAssembly as base64',
        fmtKB(wasm),
        `${((100 * wasm) / map.minifiedTotal).toFixed(1)} %`,
        `${map.base64Literals.length} string(s)`
      ]);
  } catch (error) {
    result.attribution = { skipped: error instanceof Error ? error.message : String(error) };
    rows.push(['', 'by package', `skipped: ${result.attribution.skipped}`, '', '']);
  }
  return { rows, result };
}
