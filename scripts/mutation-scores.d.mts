/** Types for scripts/mutation-scores.mjs, which reads StrykerJS's JSON report. */

/** A mutant as the report holds it (the fields the script reads). */
export interface Mutant {
  readonly status: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

export interface Report {
  readonly files: Readonly<Record<string, { readonly mutants: readonly Mutant[] }>>;
}

export interface FileScore {
  readonly file: string;
  readonly mutants: number;
  readonly compileErrors: number;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** (killed + timeout) / (killed + timeout + survived + noCoverage), in percent; 100 with none. */
  readonly score: number;
}

/** The score of each file, sorted by name. */
export declare function scores(report: Report): FileScore[];
/** The scores as a Markdown table, with a total row. */
export declare function table(rows: readonly FileScore[]): string;
/** Two decimals, floored: 94.999 reads `94.99 %`. */
export declare function percent(score: number): string;
/** Each surviving or uncovered mutant as `file:line:column mutator status replacement`. */
export declare function survivors(report: Report): string[];
