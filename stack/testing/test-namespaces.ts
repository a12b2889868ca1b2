/**
 * Temporal namespaces where tests run workers of their own, so the shop's workers (and other tests') never take
 * their tasks. The test run registers them (stack/vitest-global-setup.ts).
 */
export const TEST_NAMESPACES = { workflowPaths: 'bubble-tea-tests', api: 'bubble-tea-api-tests', observability: 'bubble-tea-observability-tests' } as const;

/** The order workflow's path tests (workflows/testing/test-shop.ts). */
export const TEST_NAMESPACE = TEST_NAMESPACES.workflowPaths;
