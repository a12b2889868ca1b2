import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './stack-home';

/** The lint rule that keeps workflow code deterministic, checked on sample sources. */
async function lint(source: string, file: string) {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const [result] = await eslint.lintText(source, { filePath: path.join(REPO_ROOT, file) });
  return result!.messages.map((message) => message.ruleId);
}

describe('workflow lint rule', () => {
  it.each([
    "import { readFile } from 'node:fs/promises';",
    "import crypto from 'crypto';",
    "import { Kafka } from 'kafkajs';",
    "import { Client } from '@temporalio/client';",
  ])('rejects `%s` in workflows/', async (line) => {
    expect(await lint(`${line}\nexport const used = [${line.match(/import \{? ?(\w+)/)![1]}];\n`, 'workflows/order-workflow.ts')).toContain(
      '@typescript-eslint/no-restricted-imports',
    );
  });

  it('allows the workflow SDK and type-only imports there, and Node anywhere else', async () => {
    const workflowSource = "import { sleep } from '@temporalio/workflow';\nimport type { Kafka } from 'kafkajs';\nexport const used: [typeof sleep, Kafka?] = [sleep];\n";
    expect(await lint(workflowSource, 'workflows/order-workflow.ts')).toEqual([]);
    expect(await lint("import { readFile } from 'node:fs/promises';\nexport const used = readFile;\n", 'activities/stations.ts')).toEqual([]);
  });
});
