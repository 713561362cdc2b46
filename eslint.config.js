// Type-aware lint rules that catch what the compiler does not: promises nobody awaits,
// promises passed where a callback is expected, and switches that miss a case.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'src/storage/generated/', 'src/graphql/generated/', 'data/', 'scratch/', 'web/dist/', 'test-output/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test collects describe/test calls itself; awaiting them is not the idiom.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'test', 'it', 'suite', 'before', 'after'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A failing assertion without a message makes Node's assert build one from the call
    // site's source, which took ~10 minutes per failure in this suite: always give one.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='assert'][callee.property.name='ok'][arguments.length=1]", message: 'Give assert.ok a message: a bare one builds its message from the source and stalls for minutes when it fails.' },
        { selector: "CallExpression[callee.name='assert'][arguments.length=1]", message: 'Give assert a message: a bare one builds its message from the source and stalls for minutes when it fails.' },
      ],
    },
  },
  {
    // Browser event listeners are fire-and-forget; each async handler catches its own errors.
    files: ['web/src/**/*.ts'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }] },
  },
);
