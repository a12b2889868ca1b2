import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

/**
 * Replays the recorded history of every order path against today's workflow code: a change that would make
 * a running order's workflow non-deterministic fails here. Re-record after an intended change with
 * `RECORD_HISTORIES=true npm run test:int -- workflows/order-paths`.
 */
const historiesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');
const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));

describe('order workflow replay', () => {
  it('has a recorded history for every path', () => {
    expect(files.map((file) => file.replace('.json', '')).sort()).toEqual(
      ['cancel-accepted', 'cancel-refused-after-mixing', 'deadline-failed-refunded', 'delayed-then-ready', 'happy', 'out-of-stock-refunded', 'transient-retried-ready'].sort(),
    );
  });

  it('replays every recorded path without a determinism violation', async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const histories = files.map((file) => ({
      workflowId: file,
      history: historyFromJSON(JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8'))),
    }));
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: path.join(historiesDir, '..', 'index.ts') }, histories)) {
      results.push({ workflowId: result.workflowId, error: result.error?.message });
    }
    expect(results).toEqual(files.map((file) => ({ workflowId: file, error: undefined })));
  }, 60_000);
});
