import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percent, scores, survivors, table, type Mutant, type Report } from '../scripts/mutation-scores.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const mutant = (status: string, line = 1, column = 1, replacement = 'x'): Mutant => ({
  status,
  mutatorName: 'EqualityOperator',
  replacement,
  location: { start: { line, column } }
});

/** b.ts: 18 detected of 19 counted (94.73…%); a.ts: all detected; c.ts: nothing counted. */
const REPORT: Report = {
  files: {
    'src/b.ts': {
      mutants: [
        ...Array.from({ length: 16 }, () => mutant('Killed')),
        mutant('Timeout'),
        mutant('Timeout'),
        mutant('Survived', 9, 4, 'a >= b'),
        mutant('CompileError'),
        mutant('Ignored')
      ]
    },
    'src/a.ts': { mutants: [mutant('Killed'), mutant('NoCoverage', 3, 7, '{}'), mutant('Killed'), mutant('Killed')] },
    'src/c.ts': { mutants: [mutant('CompileError')] }
  }
};

describe('scores', () => {
  it('counts each status and scores detected over counted, file by file in name order', () => {
    const [a, b, c] = scores(REPORT);
    expect(a).toEqual({
      file: 'src/a.ts',
      mutants: 4,
      compileErrors: 0,
      killed: 3,
      timeout: 0,
      survived: 0,
      noCoverage: 1,
      score: 75
    });
    expect(b).toMatchObject({
      file: 'src/b.ts',
      mutants: 21,
      compileErrors: 1,
      killed: 16,
      timeout: 2,
      survived: 1,
      noCoverage: 0
    });
    expect(b?.score).toBeCloseTo((100 * 18) / 19, 10);
    expect(c).toMatchObject({ file: 'src/c.ts', score: 100 });
  });

  it('floors the percentage, so a score short of the bar never reads as the bar', () => {
    expect(percent((100 * 18) / 19)).toBe('94.73 %');
    expect(percent(94.999)).toBe('94.99 %');
    expect(percent(100)).toBe('100.00 %');
  });

  it('totals the table over every counted mutant, not as a mean of the files', () => {
    const lines = table(scores(REPORT)).split('\n');
    expect(lines[2]).toBe('| src/a.ts | 4 (0) | 3 | 0 | 0 | 1 | 75.00 % |');
    // 21 detected of 23 counted = 91.30 %; the mean of the three files would be 89.9 %.
    expect(lines.at(-1)).toBe('| all | 26 (2) | 19 | 2 | 1 | 1 | 91.30 % |');
  });

  it('lists the survivors and the uncovered with where they are', () => {
    expect(survivors(REPORT)).toEqual([
      'src/b.ts:9:4 EqualityOperator Survived "a >= b"',
      'src/a.ts:3:7 EqualityOperator NoCoverage "{}"'
    ]);
  });
});

describe('node scripts/mutation-scores.mjs', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'mutation-scores-')), 'mutation.json');
  writeFileSync(file, JSON.stringify(REPORT));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'scripts/mutation-scores.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

  it('fails naming each file below the minimum, 95 unless told', () => {
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Below 95 %: src/a.ts (75.00 %), src/b.ts (94.73 %)\n');
    expect(run('--min', '75', file)).toMatchObject({ status: 0, stderr: '' });
    expect(run(file, '--min', '75.01').stderr).toBe('Below 75.01 %: src/a.ts (75.00 %)\n');
  });

  it('prints the survivors only when asked', () => {
    expect(run('--min', '0', file).stdout).not.toContain('Survived');
    expect(run('--min', '0', '--survivors', file).stdout).toContain(
      'src/b.ts:9:4 EqualityOperator Survived "a >= b"\n'
    );
  });

  it('refuses a minimum that is not a number', () => {
    expect(run('--min', 'high', file)).toMatchObject({
      status: 2,
      stderr: 'mutation-scores: --min is "high": expected a number\n'
    });
  });
});
