/** The demo's runs: a title and the inputs beyond those of demoInputs(). */
export declare const DEMO_CASES: readonly (readonly [string, Readonly<Record<string, string>>])[];
/** The inputs every demo run shares. */
export declare function demoInputs(server: { orgHandle: string; token: string; url: string }): Record<string, string>;
