import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config';
import { SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { runGreeting } from './testing/run-greeting';

const config = loadConfig();

describe('Temporal dev server', () => {
  it('runs a workflow to completion and returns its result', async () => {
    const { workflowId, result } = await runGreeting(config.temporal.address, 'taro');
    expect(result).toBe('one taro bubble tea, coming up');

    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const description = await new Client({ connection }).workflow.getHandle(workflowId).describe();
      expect(description.status.name).toBe('COMPLETED');
    } finally {
      await connection.close();
    }
  });

  it('has the order search attributes registered', async () => {
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: config.temporal.namespace });
      for (const key of Object.values(SEARCH_ATTRIBUTES)) {
        expect(Object.keys(customAttributes ?? {})).toContain(key.name);
      }
    } finally {
      await connection.close();
    }
  });
});
