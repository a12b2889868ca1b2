import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';

// kafkajs 2.2.4 re-arms a 1 ms timer forever on every broker connection once it has answered a request
// (tulios/kafkajs#1556): patches/kafkajs+2.2.4.patch stops that loop. This guards that the patch is applied.
const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js');
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('kafkajs request queue', () => {
  let queue: { throttleCheckTimeoutId: unknown; checkPendingRequests(): void; destroy(): void } | undefined;
  afterEach(() => queue?.destroy());

  it('schedules no check while nothing is pending and nothing is throttled', () => {
    queue = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: 'test', broker: 'test:9092', logger: silent });
    queue!.checkPendingRequests();
    expect(queue!.throttleCheckTimeoutId).toBeNull();
  });
});
