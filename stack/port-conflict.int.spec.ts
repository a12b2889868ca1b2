import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { up } from './stack';
import { REPO_ROOT, stackHome } from './stack-home';

describe('local stack port conflicts', () => {
  it('refuses to start a service whose port another process holds, naming the port and its variable', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    const home = stackHome({
      home: path.join(REPO_ROOT, '.stack', 'test-port-conflict'),
      ports: { TEMPORAL_PORT: 27233, TEMPORAL_UI_PORT: 28233, KAFKA_PORT: 29092, KAFKA_CONTROLLER_PORT: 29093, POSTGRES_PORT: taken },
    });
    try {
      await expect(up(home, { services: ['postgres'] })).rejects.toThrow(
        `postgres: port ${taken} on 127.0.0.1 is already in use by another process (set POSTGRES_PORT to use another port)`,
      );
    } finally {
      squatter.close();
    }
  });
});
