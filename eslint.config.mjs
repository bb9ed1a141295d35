// The boundaries the architecture keeps, enforced (npm test runs this before the suites):
// - promises are awaited or explicitly voided (a floating promise hides a failure and can outlive a stage);
// - no import cycles between modules;
// - only extension/ (and the in-host end-to-end tests) may import `vscode`: the engine and the language
//   server run without VS Code.
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tsbuild/**', '.tools/**', 'tests/.artifacts/**', '**/*.mjs', '**/*.js'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      // node:test's describe/it/test return promises the runner itself tracks.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only extension/ may import vscode: the engine, the language server and the webview run without it.' }] }],
    },
  },
  {
    files: ['extension/**/*.ts', 'tests/e2e/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
