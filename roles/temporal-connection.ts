import { NativeConnection } from '@temporalio/worker';
import type { AppConfig } from '../config/app-config';
import { temporalConnectionOptions } from '../config/clients';

/**
 * One Temporal connection per process, shared by every role in it (the SDK's advice: connections are costly).
 * Sharing it also lets the API start an order's workflow eagerly: the server hands the first workflow task
 * back in its reply to the start, and the orchestrator's worker on the same connection runs it at once.
 */
export interface SharedTemporalConnection {
  connection: NativeConnection;
  /** Closes the connection once every role that took it has released it. */
  release(): Promise<void>;
}

interface Entry {
  connecting: Promise<NativeConnection>;
  users: number;
}

const byAddress = new Map<string, Entry>();

export async function takeTemporalConnection(config: AppConfig): Promise<SharedTemporalConnection> {
  const { address } = config.temporal;
  let current = byAddress.get(address);
  if (!current) {
    const entry: Entry = { connecting: temporalConnectionOptions(config).then((options) => NativeConnection.connect(options)), users: 0 };
    entry.connecting.catch(() => byAddress.get(address) === entry && byAddress.delete(address));
    byAddress.set(address, entry);
    current = entry;
  }
  const taken = current;
  taken.users += 1;
  let connection: NativeConnection;
  try {
    connection = await taken.connecting;
  } catch (error) {
    taken.users -= 1;
    throw error;
  }
  let released = false;
  return {
    connection,
    async release() {
      if (released) return;
      released = true;
      taken.users -= 1;
      if (taken.users > 0) return;
      if (byAddress.get(address) === taken) byAddress.delete(address);
      await connection.close();
    },
  };
}
