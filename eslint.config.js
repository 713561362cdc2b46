// Type-aware lint rules that catch what the compiler does not: promises nobody awaits,
// promises passed where a callback is expected, and switches that miss a case.
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, top to bottom (docs/architecture.md). A module may import its own
 * folder and any folder in a lower layer, never one above: a wrong-way import fails lint.
 */
const LAYERS = [
  ['roles', 'composition', 'cli'], // front doors and the composition root (src/main.ts too)
  ['http', 'graphql'],
  ['assets', 'segmentations', 'corrections', 'quality', 'effects', 'images', 'consistency', 'batches', 'webhooks', 'rules'], // the domain
  ['inference', 'metrics', 'refinement', 'events', 'jobs', 'auth', 'observability'],
  ['storage'],
  ['lib', 'config'],
];
const layerRules = LAYERS.flatMap((folders, layer) => {
  const above = LAYERS.slice(0, layer).flat();
  if (above.length === 0) return [];
  return folders.map((folder) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^\\.\\.?/(\\.\\./)*(${above.join('|')})/`,
              message: `src/${folder} is below ${above.join(', ')}: imports point down the layers (docs/architecture.md).`,
            },
            { regex: '^\\.\\.?/(\\.\\./)*main\\.js$', message: 'Only the front doors start from main.ts.' },
            ...(folder === 'storage' ? [] : [{ regex: 'generated/prisma', message: 'Only src/storage/ talks to Prisma.' }]),
            ...(folder === 'inference' ? [] : [{ regex: '^onnxruntime-node$', message: 'Only src/inference/ loads onnxruntime-node.' }]),
          ],
        },
      ],
    },
  }));
});

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
  ...layerRules,
  {
    // src/metrics/ holds pure functions over masks: it knows no domain and no outside system.
    files: ['src/metrics/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(\\.\\./)*(?!lib/)[a-z-]+/', message: 'src/metrics/ imports only src/lib/ (and itself).' },
            { regex: 'generated/prisma|^onnxruntime-node$|^pg$|^pg-boss$', message: 'src/metrics/ is pure.' },
          ],
        },
      ],
    },
  },
  {
    // A failing assertion without a message makes Node's assert build one from the call
    // site's source, which took ~10 minutes per failure in this suite: always give one.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='assert'][callee.property.name='ok'][arguments.length=1]",
          message: 'Give assert.ok a message: a bare one builds its message from the source and stalls for minutes when it fails.',
        },
        {
          selector: "CallExpression[callee.name='assert'][arguments.length=1]",
          message: 'Give assert a message: a bare one builds its message from the source and stalls for minutes when it fails.',
        },
      ],
    },
  },
  {
    // Browser event listeners are fire-and-forget; each async handler catches its own errors.
    files: ['web/src/**/*.ts', 'test/e2e/frontend-app/**/*.ts'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }] },
  },
);
