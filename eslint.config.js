import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Workflow code is replayed and must be deterministic: no Node builtins, no I/O clients, no worker-side SDK. */
const workflowFiles = ['workflows/**/*.ts', '**/*-workflow.ts'];
const nonDeterministicModules = [
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  'kafkajs',
  'pg',
];
/** Module scope runs again for every workflow: keep validation schemas (zod) out of the workflow's imports. */
const schemaModules = ['zod', '**/contracts/events', '**/contracts/events.v*', '**/contracts/upcasters', '**/contracts/order-input', '**/contracts/station-faults', '**/contracts/storable-text'];

export default tseslint.config(
  { ignores: ['node_modules/', '.stack/', 'dist/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: workflowFiles,
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nonDeterministicModules.map((name) => ({
            name,
            message: 'Workflow code must be deterministic: use an activity for I/O and @temporalio/workflow APIs for time, randomness and sleep.',
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: schemaModules,
              message: 'Each workflow re-runs its modules: building validation schemas there costs every order. Import types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
