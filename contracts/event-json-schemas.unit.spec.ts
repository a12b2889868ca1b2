import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eventJsonSchemas } from './event-json-schemas';

/** The committed JSON Schemas are what the zod types generate; `UPDATE_CONTRACTS=true` rewrites them after a change. */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'json-schemas');

describe('event JSON Schemas', () => {
  for (const [file, schema] of Object.entries(eventJsonSchemas())) {
    it(`contracts/json-schemas/${file} is current`, () => {
      const generated = `${JSON.stringify(schema, null, 2)}\n`;
      if (process.env.UPDATE_CONTRACTS === 'true') {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, file), generated);
      }
      expect(readFileSync(path.join(dir, file), 'utf8')).toBe(generated);
    });
  }
});
