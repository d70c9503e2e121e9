// Lint rules, including the layering, arrows pointing down only: core ← workbook ← job ← faces (taskpane, cli), and
// the adapters (excel, xlsx) under the faces, neither importing the other nor the job. The demo district (demo) sits
// beside the faces, over core, workbook and the xlsx writer; only faces and tests import it. Nothing evaluates strings as code.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// The job pipeline, by relative path (an adapter's own `./job` module is not it).
const jobImports = ['../job', '../job/**', '../../job', '../../job/**'];
const demoImports = ['**/demo', '**/demo/**'];
const hostImports = ['react', 'react-dom', 'react-dom/*', '@fluentui/*', 'fflate', 'tinyglobby', 'node:*', 'fs', 'path', 'os', 'child_process'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'demo-output/**', 'test/bench/run.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The build's own scripts run in Node, at build time.
    files: ['src/build/**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { process: 'readonly', Buffer: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    // Node scripts that make fixtures.
    files: ['test/fixtures/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/workbook/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...hostImports, ...jobImports, ...demoImports, '**/excel/**', '**/xlsx/**', '**/taskpane/**', '**/cli/**'] }],
      'no-restricted-globals': ['error', 'Excel', 'Office', 'window', 'document'],
    },
  },
  {
    files: ['src/job/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...hostImports, ...demoImports, '**/excel/**', '**/excel', '**/xlsx/**', '**/xlsx', '**/taskpane/**', '**/cli/**'] }],
      'no-restricted-globals': ['error', 'Excel', 'Office', 'window', 'document'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...hostImports, '**/workbook/**', '**/workbook', ...jobImports, ...demoImports, '**/excel/**', '**/xlsx/**', '**/taskpane/**', '**/cli/**'] }],
    },
  },
  {
    files: ['src/xlsx/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'react', '**/excel/**', '**/excel', ...jobImports, ...demoImports, '**/taskpane/**', '**/cli/**'] }],
    },
  },
  {
    files: ['src/excel/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'react', '**/xlsx/**', '**/xlsx', ...jobImports, ...demoImports, '**/taskpane/**', '**/cli/**'] }],
    },
  },
  {
    // The demo district makes plans and bytes only: no host, no file system, no job, no face.
    files: ['src/demo/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...hostImports, ...jobImports, '**/excel/**', '**/excel', '**/taskpane/**', '**/cli/**'] }],
      'no-restricted-globals': ['error', 'Excel', 'Office', 'window', 'document'],
    },
  },
);
