import { bundleWorkflowCode } from '@temporalio/worker';

/**
 * Run by `bundleOrderWorkflows`: writes the bundled order workflow code to stdout, and nothing else. Each
 * further argument is a workflow interceptor module to bundle with it (tracing's, when it is on).
 */
const silent = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: console.error, error: console.error, log: () => undefined };
const { code } = await bundleWorkflowCode({
  workflowsPath: new URL('../workflows/index.ts', import.meta.url).pathname,
  workflowInterceptorModules: process.argv.slice(2),
  logger: silent,
});
process.stdout.write(code);
