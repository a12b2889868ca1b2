import { defineConfig } from 'vitest/config';

const servicesNeeded = {
  globalSetup: ['./stack/vitest-global-setup.ts'],
  testTimeout: 120_000,
  hookTimeout: 300_000,
};

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '.stack/**'],
    projects: [
      // Unit tests need no running service; the workflow ones start Temporal's test server, installed by the setup.
      { extends: true, test: { name: 'unit', include: ['**/*.unit.spec.ts'], globalSetup: ['./stack/vitest-unit-setup.ts'] } },
      { extends: true, test: { name: 'int', include: ['**/*.int.spec.ts'], ...servicesNeeded } },
      // One e2e file at a time: each runs the whole system, and fault injection reaches every station worker.
      { extends: true, test: { name: 'e2e', include: ['**/*.e2e.spec.ts'], fileParallelism: false, ...servicesNeeded } },
    ],
  },
});
