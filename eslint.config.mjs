// ESLint flat config, run by `npm run lint` (and by `npm test`, after the type check).
// typescript-eslint's recommended set with type information, so that @typescript-eslint/no-floating-promises,
// no-misused-promises and await-thenable see the types; the rules that fight the codebase's deliberate style
// are off below, each with the reason. Fire-and-forget promises say so with `void`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'data/**', 'logs/**', 'node_modules/**', '.cache/**', 'test-output/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The promise rules are the point of type-checked linting: kept, strict.
      '@typescript-eslint/no-floating-promises': 'error',
      // Fastify awaits a promise returned by a route handler, so async handlers in route options are fine;
      // async callbacks passed as plain arguments (event emitters, timers) stay errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { properties: false } }],
      // Wire payloads, event data and NATS/ESDB messages are untyped JSON by design, checked at the edges.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // async without await: methods that implement a promise-returning interface.
      '@typescript-eslint/require-await': 'off',
      // Methods are passed unbound where they do not use `this` (the deciders, the read-model folds).
      '@typescript-eslint/unbound-method': 'off',
      // Assertions are sometimes kept as documentation of the type at that point.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Failures caught elsewhere (in a callback) are stored and rethrown as they were caught.
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
      // `_`-prefixed names and rest siblings are the codebase's way to drop a field or an argument.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Errors rethrown as a new message on purpose (the cause is in the message or irrelevant).
      'preserve-caught-error': 'off',
      'no-useless-assignment': 'off',
      // Input sanitising matches control characters on purpose.
      'no-control-regex': 'off',
      // `let x!: T` assigned inside a callback that runs later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // The operator console (a browser app, React + TSX): type-checked with its own tsconfig (DOM, JSX),
    // which the root one excludes.
    files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx'],
    languageOptions: {
      parserOptions: { project: './apps/console/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Tests and their helpers: stand-ins and fakes may be loosely typed.
    files: ['**/*.spec.ts', 'test/**/*.ts', 'libs/testing/**/*.ts', 'libs/domain/testing/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // Fakes answer from async callbacks (http.createServer, setImmediate); a failure there fails the test anyway.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { properties: false, arguments: false } }],
    },
  },
);
