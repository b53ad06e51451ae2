// Mutation testing of the pure modules (`npm run mutate`): StrykerJS with its jest runner.
// A full run took 101 minutes on 2 cores, so it runs from .github/workflows/mutation.yml,
// not from .ci/run. Incremental: reports/stryker-incremental.json (committed) holds the last
// results, and a run tests again only the mutants whose code or tests changed.

/**
 * Every module under src/ (in its layer's folder) is mutated except these: the entry points and the modules that do I/O
 * (HTTP and the pages it reads, timers, the clock, the runner's log and files). A new pure module is mutated without a change here;
 * a new I/O module is added to this list.
 */
const NOT_PURE = [
  'index',
  'main',
  'unpod/client',
  'unpod/transport',
  'unpod/version',
  'check/agent',
  'check/wait',
  'check/deadline',
  'explain/explain',
  'report/summary',
  'report/log'
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['src/**/*.ts', ...NOT_PURE.map((name) => `!src/${name}.ts`)],
  testRunner: 'jest',
  // ts-jest in ESM mode needs the VM modules of the test runner's own Node process.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // The end-to-end suites run the built bundle (never mutated) and the workflow lint touches
    // no source: they would only slow every run down.
    config: {
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/__tests__/e2e-',
        '<rootDir>/__tests__/workflows\\.test\\.ts$'
      ]
    }
  },
  // Each mutant runs only the tests that reach its code.
  coverageAnalysis: 'perTest',
  // A mutant that does not type-check is dropped before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // dist/ stays: a docs test checks that action.yml's entry point exists.
  ignorePatterns: ['/bench', '/coverage', '/lib'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Below 95 % in all fails the run; scripts/mutation-scores.mjs holds each file to 95 % too.
  thresholds: { high: 95, low: 90, break: 95 },
  // A busy machine slows every test down; a generous timeout keeps slowness from reading as a kill.
  timeoutMS: 10_000,
  cleanTempDir: 'always'
};
