import type { Emulator } from '../emulator/server.mjs';

/** Sentences this long or longer must not appear twice in one summary. */
export declare const MIN_REPEATED: number;
/** A run whose id and status try to leave their table cell. */
export declare const HOSTILE: {
  readonly run_id: string;
  readonly status: string;
  readonly total_tasks: number;
  readonly completed_tasks: number;
};
/** The runs whose summaries the render check draws: every demo case, and a fleet with the hostile run. */
export declare function summaryCases(): {
  title: string;
  inputs: Readonly<Record<string, string>>;
  hostile: boolean;
}[];
/** Adds hostile-agent, with the hostile run an hour old, to an example server. */
export declare function addHostile(server: Pick<Emulator, 'addRun'>): void;
/** The sentences of a summary as a reader sees them. */
export declare function sentences(summary: string): string[];
/** The sentences of at least `min` characters that a summary says more than once, each with its count. */
export declare function repeatedSentences(summary: string, min?: number): { sentence: string; count: number }[];
