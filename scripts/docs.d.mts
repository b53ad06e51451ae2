/** Types for scripts/docs.mjs, which renders the README's input and output tables from action.yml. */

export type SectionName = 'inputs' | 'outputs';

/** One entry under `inputs:` in action.yml. */
export interface ActionInput {
  readonly description?: string;
  readonly required?: boolean | string;
  readonly default?: string | number | boolean | null;
  readonly deprecationMessage?: string;
}

/** One entry under `outputs:` in action.yml. */
export interface ActionOutput {
  readonly description?: string;
  readonly value?: string;
}

/** The parts of action.yml the docs and their tests read. */
export interface ActionMetadata {
  readonly name?: string;
  readonly description?: string;
  readonly author?: string;
  readonly branding?: { readonly icon?: string; readonly color?: string };
  readonly inputs: Readonly<Record<string, ActionInput>>;
  readonly outputs: Readonly<Record<string, ActionOutput>>;
  readonly runs?: { readonly using?: string; readonly main?: string; readonly [key: string]: unknown };
}

/** The marker pairs the script rewrites, in README order. */
export declare const SECTIONS: readonly SectionName[];

/** Parses action.yml; throws when it has no inputs or outputs mapping. */
export declare function parseActionMetadata(text: string): ActionMetadata;
/** `required: true`, as a YAML boolean or string. */
export declare function isRequired(input: ActionInput): boolean;
/** The default as the runner reads it (a string); undefined when there is none. */
export declare function defaultOf(input: ActionInput): string | undefined;
/** Every run of white space as one space, trimmed. */
export declare function oneLine(text: unknown): string;
/** A Markdown code span, safe for values that hold backticks. */
export declare function codeSpan(value: string): string;
/** A table cell: one line, `|` escaped. */
export declare function cell(text: string): string;
/** A Markdown table with columns padded as Prettier pads them. */
export declare function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string;
export declare function renderInputsTable(inputs: Readonly<Record<string, ActionInput>>): string;
export declare function renderOutputsTable(outputs: Readonly<Record<string, ActionOutput>>): string;
export declare function renderSections(action: ActionMetadata): Record<SectionName, string>;
/** The text between a section's markers, trimmed; throws when the markers are missing or repeated. */
export declare function extractSection(text: string, name: string): string;
/** The text with a section's content replaced, one blank line on each side. */
export declare function replaceSection(text: string, name: string, content: string): string;
/** The README with both tables rendered from action.yml's text. */
export declare function renderReadme(readme: string, actionText: string): string;
/** The thresholds (rows) and confidences (columns) of docs/trend.md's calls-needed table. */
export declare const CALLS_NEEDED_THRESHOLDS: readonly string[];
export declare const CALLS_NEEDED_CONFIDENCES: readonly ['90', '95', '99'];
/** The calls-needed table, from a callsNeeded(threshold text, confidence); `never` where it is undefined. */
export declare function renderCallsNeededTable(
  needed: (threshold: string, confidence: '90' | '95' | '99') => number | undefined
): string;
