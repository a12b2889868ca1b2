import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

/**
 * Replays the recorded history of every order path against today's workflow code: a change that would make
 * a running order's workflow non-deterministic fails here. Re-record after an intended change with
 * `RECORD_HISTORIES=true npm run test:int -- workflows/order-paths`; histories of orders started by an
 * earlier version stay in a folder of their own (`histories/<version>/`) and must keep replaying too.
 */
const historiesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');
const EARLIER_PATHS = ['cancel-accepted', 'cancel-refused-after-mixing', 'deadline-failed-refunded', 'delayed-then-ready', 'happy', 'out-of-stock-refunded', 'transient-retried-ready'];
/** Payments added paths of their own. */
const PATHS = [...EARLIER_PATHS, 'charge-retried-ready', 'payment-declined'];
const EARLIER_VERSIONS = ['before-local-publish', 'before-priced-order-placed', 'before-charge', 'before-order-outcome'];
/** The paths each earlier version recorded. */
const pathsOf = (version: string) => (version === '' || version === 'before-order-outcome' ? PATHS : EARLIER_PATHS);
const files = [
  ...readdirSync(historiesDir).filter((file) => file.endsWith('.json')),
  ...EARLIER_VERSIONS.flatMap((version) => readdirSync(path.join(historiesDir, version)).map((file) => path.join(version, file))),
];

describe('order workflow replay', () => {
  it('has a recorded history for every path, of today\'s version and of each earlier one', () => {
    for (const version of ['', ...EARLIER_VERSIONS]) {
      const recorded = files.filter((file) => path.dirname(file) === (version || '.')).map((file) => path.basename(file, '.json'));
      expect(recorded.sort(), version || 'today').toEqual([...pathsOf(version)].sort());
    }
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
