// Flat config: type-aware rules for the sources and tests, plain rules for the JS scripts.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'lib/',
      'node_modules/',
      'coverage/',
      'bench/results/',
      '.stryker-tmp/',
      'reports/',
      'render-output/'
    ]
  },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    extends: [...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname
      }
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-non-null-assertion': 'off'
    }
  },
  {
    // The log has one door, src/report/log.ts, which makes every line inert (see text.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/report/log.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['info', 'debug', 'notice', 'warning', 'error', 'group', 'startGroup', 'endGroup', 'setFailed'].map(
          (property) => ({ object: 'core', property, message: 'Write to the log through src/report/log.ts.' })
        )
      ]
    }
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: {
      // Tests build fixtures from loosely typed JSON on purpose.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off'
    }
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } }
  }
);
