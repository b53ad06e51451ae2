// @ts-check
/**
 * `node scripts/mutation-scores.mjs [report.json] [--min 95] [--survivors]`: the mutation score of
 * every file in a StrykerJS JSON report (reports/mutation/mutation.json by default) as a Markdown
 * table, and with `--survivors` each surviving or uncovered mutant. Exits 1 when a file scores
 * below `--min`: Stryker's own `thresholds.break` only sees the score of all files together.
 *
 * Score = (killed + timed out) / (killed + timed out + survived + no coverage), as Stryker counts
 * it; mutants that do not compile, and ignored ones, are not counted.
 */
import { readFileSync } from 'node:fs';
import { invokedDirectly } from './invoked.mjs';

/** @typedef {{ status: string, mutatorName: string, replacement?: string, location: { start: { line: number, column: number } } }} Mutant */
/** @typedef {{ file: string, mutants: number, compileErrors: number, killed: number, timeout: number, survived: number, noCoverage: number, score: number }} FileScore */

/**
 * The score of each file, sorted by name.
 * @param {{ files: Record<string, { mutants: Mutant[] }> }} report
 * @returns {FileScore[]}
 */
export function scores(report) {
  return Object.entries(report.files)
    .map(([file, { mutants }]) => {
      const count = (/** @type {string} */ status) => mutants.filter((m) => m.status === status).length;
      const [killed, timeout, survived, noCoverage] = ['Killed', 'Timeout', 'Survived', 'NoCoverage'].map(count);
      const detected = killed + timeout;
      const valid = detected + survived + noCoverage;
      const score = valid === 0 ? 100 : (100 * detected) / valid;
      return {
        file,
        mutants: mutants.length,
        compileErrors: count('CompileError'),
        killed,
        timeout,
        survived,
        noCoverage,
        score
      };
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * The scores as a Markdown table, with a total row.
 * @param {FileScore[]} rows
 */
export function table(rows) {
  const sum = (/** @type {keyof FileScore} */ key) => rows.reduce((total, row) => total + Number(row[key]), 0);
  const detected = sum('killed') + sum('timeout');
  const valid = detected + sum('survived') + sum('noCoverage');
  const all = {
    file: 'all',
    mutants: sum('mutants'),
    compileErrors: sum('compileErrors'),
    killed: sum('killed'),
    timeout: sum('timeout'),
    survived: sum('survived'),
    noCoverage: sum('noCoverage'),
    score: valid === 0 ? 100 : (100 * detected) / valid
  };
  const lines = [
    '| file | mutants (compile errors) | killed | timeout | survived | no coverage | score |',
    '| --- | --- | --- | --- | --- | --- | --- |'
  ];
  for (const row of [...rows, all]) {
    lines.push(
      `| ${row.file} | ${row.mutants} (${row.compileErrors}) | ${row.killed} | ${row.timeout} | ${row.survived} | ${row.noCoverage} | ${percent(row.score)} |`
    );
  }
  return lines.join('\n');
}

/** Two decimals, floored, so that 94.999 never reads as 95.00. @param {number} score */
export function percent(score) {
  return `${(Math.floor(score * 100) / 100).toFixed(2)} %`;
}

/**
 * Each surviving or uncovered mutant as `file:line:column mutator status replacement`.
 * @param {{ files: Record<string, { mutants: Mutant[] }> }} report
 */
export function survivors(report) {
  return Object.entries(report.files).flatMap(([file, { mutants }]) =>
    mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .sort(
        (a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column
      )
      .map(
        (m) =>
          `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${m.status} ${JSON.stringify(m.replacement ?? '').slice(0, 120)}`
      )
  );
}

function main() {
  const args = process.argv.slice(2);
  const minAt = args.indexOf('--min');
  const min = minAt === -1 ? 95 : Number(args[minAt + 1]);
  if (!Number.isFinite(min)) throw new Error(`--min is ${JSON.stringify(args[minAt + 1])}: expected a number`);
  const path =
    args.find((arg, i) => !arg.startsWith('--') && (minAt === -1 || i !== minAt + 1)) ??
    'reports/mutation/mutation.json';
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const rows = scores(report);
  console.log(table(rows));
  if (args.includes('--survivors')) for (const line of survivors(report)) console.log(line);
  const low = rows.filter((row) => row.score < min);
  if (low.length > 0) {
    console.error(`Below ${min} %: ${low.map((row) => `${row.file} (${percent(row.score)})`).join(', ')}`);
    process.exitCode = 1;
  }
}

if (invokedDirectly(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`mutation-scores: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
