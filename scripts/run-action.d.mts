export declare const BUNDLE: string;
export declare const NODE: string;
/** The debug line src/main.ts writes when it has to end the process itself. */
export declare const FORCED_EXIT: string;

export interface RunOptions {
  /** Extra environment, e.g. proxies. */
  readonly env?: Record<string, string>;
  /** false: run without GITHUB_STEP_SUMMARY, as on older Enterprise servers. */
  readonly summaryFile?: boolean;
  /** Kill the process after this long: a guard against hangs, not a speed check. */
  readonly killAfterMs?: number;
  /** Another Node.js binary, and arguments before the bundle (e.g. --cpu-prof). */
  readonly node?: string;
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
  /** Called with each chunk of stdout as it arrives, e.g. to note what a server saw by a given line. */
  readonly onStdout?: (chunk: string) => void;
  /**
   * Accept a run that ended through the forced exit (a socket the runtime cannot cancel);
   * otherwise runAction throws, since every other run must end by itself.
   */
  readonly allowForcedExit?: boolean;
}

export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly message: string;
}

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  /** The job summary; undefined when there was no file or nothing was written. */
  readonly summary: string | undefined;
  /** The raw GITHUB_OUTPUT file. */
  readonly outputFile: string;
  readonly annotations: Annotation[];
  /** Wall time of the process. */
  readonly ms: number;
}

export interface PreparedStep {
  /** A fresh temporary directory holding the two files; the caller removes it. */
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly outputPath: string;
  readonly summaryPath: string;
}

export declare function prepareStep(
  inputs: Record<string, string>,
  options?: Pick<RunOptions, 'env' | 'summaryFile'>
): Promise<PreparedStep>;
export declare function runAction(inputs: Record<string, string>, options?: RunOptions): Promise<ActionRun>;
export declare function parseOutputs(text: string): Record<string, string>;
export declare function visibleText(run: ActionRun): string;
