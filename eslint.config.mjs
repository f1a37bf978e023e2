// ESLint (flat config): typescript-eslint's recommended rules, and the layering rules the compiler cannot see.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A provider reaches the core only through the provider kit, src/provider/index.ts. */
const throughTheKit = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: '(^|/)src/(?!provider$)',
          message: 'A provider imports src/ only through the provider kit (src/provider); add what it needs there.',
        },
      ],
    },
  ],
};

/** The kit is for providers: the core depends on what it re-exports, never on the kit itself. */
const notTheKit = (regex) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { regex, message: 'The core imports the module that defines a name, not the provider kit (src/provider).' },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-artifacts/', 'coverage/', 'migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed parameters and destructured leftovers are unused on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  { files: ['providers/**/*.ts', 'test/providers/**/*.ts'], ignores: ['**/*.test.ts'], rules: throughTheKit },
  // From src/'s root the kit is ./provider; from a folder below, ../provider, ../../provider…
  { files: ['src/*.ts'], rules: notTheKit('^\\./provider(/index)?$') },
  { files: ['src/*/**/*.ts'], rules: notTheKit('^(\\.\\./)+provider(/index)?$') },
);
