import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * Apps never import each other; libs never import apps or tools (../shared/DESIGN.md). `toolDeps` / `appDeps`:
 * what a tool / an app may import - only libs in its code; its tests may also run the local cloud (tag
 * `kind:emulator`).
 */
const boundaries = (toolDeps, appDeps = ['type:lib']) => ({
  enforceBuildableLibDependency: true,
  allow: [],
  depConstraints: [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: appDeps },
    { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: toolDeps },
    // Benchmarks measure the product as users run it, the local cloud included.
    { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib', 'kind:emulator'] },
    { sourceTag: 'scope:customer', onlyDependOnLibsWithTags: ['scope:customer', 'scope:shared'] },
    { sourceTag: 'scope:order', onlyDependOnLibsWithTags: ['scope:order', 'scope:shared'] },
    { sourceTag: 'scope:identity', onlyDependOnLibsWithTags: ['scope:identity', 'scope:shared'] },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules',
      '**/.serverless',
      '**/dist',
      '**/.nx',
      '**/.local-cloud',
      '**/.local-cloud-build',
      'bench/results',
      'packages',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      // Apps never import each other; libs never import apps or tools (../shared/DESIGN.md).
      '@nx/enforce-module-boundaries': ['error', boundaries(['type:lib'])],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/tests/**/*.ts', '**/*.spec.ts', '**/*.test.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        boundaries(['type:lib', 'kind:emulator'], ['type:lib', 'kind:emulator']),
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
