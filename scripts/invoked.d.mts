/** Types for scripts/invoked.mjs. */

/** True when `moduleUrl` is the file Node was started on (`entry`, `process.argv[1]` by default), through symlinks. */
export declare function invokedDirectly(moduleUrl: string, entry?: string): boolean;
