/** Whether a script was started by Node or imported by a test (scripts/invoked.mjs). */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invokedDirectly } from '../scripts/invoked.mjs';

function inTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'invoked-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('invokedDirectly', () => {
  it('is true for the file Node was started on, and through a symlink to it', () => {
    inTempDir((dir) => {
      const script = join(dir, 'script.mjs');
      writeFileSync(script, '');
      symlinkSync(script, join(dir, 'link.mjs'));
      const url = pathToFileURL(script).href;
      expect(invokedDirectly(url, script)).toBe(true);
      expect(invokedDirectly(url, join(dir, 'link.mjs'))).toBe(true);
    });
  });

  it('is false for another file, a missing one and no entry at all', () => {
    inTempDir((dir) => {
      const script = join(dir, 'script.mjs');
      const other = join(dir, 'other.mjs');
      writeFileSync(script, '');
      writeFileSync(other, '');
      const url = pathToFileURL(script).href;
      expect(invokedDirectly(url, other)).toBe(false);
      expect(invokedDirectly(url, join(dir, 'missing.mjs'))).toBe(false);
      expect(invokedDirectly(url, '')).toBe(false);
    });
  });

  it("reads Node's own entry by default: jest's, not this test file", () => {
    expect(invokedDirectly(import.meta.url)).toBe(false);
  });
});
