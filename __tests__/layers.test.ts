/**
 * src/'s folders are layers: data flows settings → Unpod client → per-agent check → rules →
 * report, and a folder imports only itself and the folders below it, so no circle can form.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Bottom first: each folder may import the ones before it. The entry points sit on top. */
const LAYERS = ['values', 'settings', 'unpod', 'github', 'rules', 'explain', 'check', 'report', '.'] as const;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function layerOf(file: string): string {
  const folder = path.dirname(path.relative(SRC, file)).split(path.sep)[0] ?? '.';
  return folder;
}

/** Every relative import of a file, resolved to the file it names. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)].map((m) =>
    path.resolve(path.dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts'))
  );
}

describe('src/ layers', () => {
  const files = sources(SRC);

  it('only the entry points stay at the top, every other file in a known layer', () => {
    const top = files.filter((f) => layerOf(f) === '.').map((f) => path.basename(f));
    expect(top.sort()).toEqual(['index.ts', 'main.ts']);
    for (const file of files) expect(LAYERS).toContain(layerOf(file));
  });

  it('no folder imports one above it', () => {
    const upward: string[] = [];
    for (const file of files) {
      const rank = LAYERS.indexOf(layerOf(file) as (typeof LAYERS)[number]);
      for (const target of importsOf(file)) {
        const targetRank = LAYERS.indexOf(layerOf(target) as (typeof LAYERS)[number]);
        if (targetRank > rank) upward.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the check sees an upward import (it can fail)', () => {
    const rank = (folder: string): number => LAYERS.indexOf(folder as (typeof LAYERS)[number]);
    expect(rank('report')).toBeGreaterThan(rank('check'));
    expect(rank('unpod')).toBeLessThan(rank('rules'));
    expect(importsOf(path.join(SRC, 'main.ts')).some((t) => layerOf(t) === 'report')).toBe(true);
  });
});
