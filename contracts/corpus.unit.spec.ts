import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSIONS, type OrderEvent } from './events';
import { evolve } from './order-decider';
import { withStatusDisplay } from './order-status-text';
import { type OrderState } from './order-state';
import { parseOrderEvent, UPCASTERS } from './upcasters';

/**
 * The schema compatibility gate. contracts/corpus/ holds events as the log holds them, of every type and
 * version (`order-events.v<N>.json`, recorded from real orders of that version: never edit them), and what
 * each order folds to (`folded.v<N>.json`). A change that makes an archived event unreadable, or folds it
 * differently, fails here.
 */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
const corpora = readdirSync(dir)
  .filter((file) => /^order-events\.v\d+\.json$/.test(file))
  .map((file) => ({
    file,
    events: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Array<{ type: string; schemaVersion: number; orderId: string }>,
    folded: JSON.parse(readFileSync(path.join(dir, file.replace('order-events', 'folded')), 'utf8')) as Record<string, OrderState>,
  }));

describe('the archived event corpus', () => {
  it('holds every event type at every version there has been', () => {
    const held = new Set(corpora.flatMap(({ events }) => events.map((event) => `${event.type} v${event.schemaVersion}`)));
    const versions = [
      ...Object.entries(SCHEMA_VERSIONS).map(([type, version]) => `${type} v${version}`),
      ...UPCASTERS.map((upcaster) => `${upcaster.type} v${upcaster.from}`),
    ];
    expect(versions.filter((version) => !held.has(version))).toEqual([]);
  });

  for (const { file, events, folded } of corpora) {
    it(`${file}: every event is still readable`, () => {
      const unreadable = events.map((event) => ({ event, parsed: parseOrderEvent(event) })).filter(({ parsed }) => !parsed.success);
      expect(unreadable.map(({ event, parsed }) => `${event.type} v${event.schemaVersion}: ${parsed.error?.message}`)).toEqual([]);
    });

    // Fields the state gained since (a price, a payment) may be added; none it had may change. The status in
    // words, once part of the state, is now added at the edges: with it, the state is what it was.
    it(`${file}: every order folds to the state it folded to when recorded`, () => {
      const states = new Map<string, OrderState>();
      for (const event of events.map((json) => parseOrderEvent(json).data as OrderEvent)) states.set(event.orderId, evolve(states.get(event.orderId), event));
      expect([...states.keys()].sort()).toEqual(Object.keys(folded).sort());
      expect(Object.fromEntries([...states].map(([orderId, state]) => [orderId, withStatusDisplay(state)]))).toMatchObject(folded);
    });
  }
});
