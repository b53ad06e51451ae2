// Mutation testing (`npm run mutate`): StrykerJS with its jest runner, over the pure modules and,
// since issue 17, the orchestration (check/, explain/explain, unpod/client, report/summary), whose
// unit tests run them against the example server on loopback with a fake clock. A full run took
// 101 minutes on 2 cores, so it runs from .github/workflows/mutation.yml, not from .ci/run.
// Incremental: reports/stryker-incremental.json (committed) holds the last results, and a run
// tests again only the mutants whose code or tests changed.

/**
 * Every module under src/ (in its layer's folder) is mutated except these: the entry points and
 * the modules that only carry I/O (the socket, the runner's log, the version string), which the
 * end-to-end tests of the bundle cover and Stryker does not run. A new module is mutated without
 * a change here.
 */
const NOT_MUTATED = ['index', 'main', 'unpod/transport', 'unpod/version', 'report/log'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['src/**/*.ts', ...NOT_MUTATED.map((name) => `!src/${name}.ts`)],
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
  // dist/ and bench/ stay: the docs tests check that action.yml's entry point and every linked
  // page (bench/README.md among them) exist; only the bench's results are left out.
  ignorePatterns: ['/bench/results', '/coverage', '/lib'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Below 95 % in all fails the run; scripts/mutation-scores.mjs holds each file to 95 % too.
  thresholds: { high: 95, low: 90, break: 95 },
  // A busy machine slows every test down; a generous timeout keeps slowness from reading as a kill.
  timeoutMS: 10_000,
  cleanTempDir: 'always'
};
