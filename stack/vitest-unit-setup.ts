import { installTemporalTestServer } from './temporal-test-server';
import { stackHome } from './stack-home';

/**
 * Unit tests need no running service, but the workflow unit tests start Temporal's time-skipping test server
 * themselves: install it first if a fresh machine lacks it (once; later runs find it in place).
 */
export default async function setup(): Promise<void> {
  await installTemporalTestServer(stackHome(), (line) => console.log(`[stack:temporal-test-server] ${line}`));
}
