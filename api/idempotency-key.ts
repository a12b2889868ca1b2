import { createHash } from 'node:crypto';
import { storableText } from '../contracts/storable-text';

/*
 * A client that retries `POST /orders` with the same `Idempotency-Key` gets the same order: the order id is
 * a name-based UUID (version 5, RFC 9562) of the key, so the retry maps to the same workflow id.
 */

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

export const idempotencyKeySchema = storableText()
  .regex(/^[\x20-\x7e]{1,200}$/, 'must be 1 to 200 printable ASCII characters')
  .meta({ description: 'Any client-chosen text (for example a UUID); a retry with the same key places no second order.' });

/** Fixed forever: changing it would map existing keys to new orders. */
const ORDER_ID_NAMESPACE = '6f1c2f0e-8d7a-4c55-9b0e-3a2f5d1e7c41';

export function orderIdForIdempotencyKey(key: string): string {
  return uuidV5(ORDER_ID_NAMESPACE, key);
}

/** A name-based UUID: the first 16 bytes of SHA-1(namespace bytes, name), stamped with version 5 and the RFC variant. */
export function uuidV5(namespace: string, name: string): string {
  const namespaceBytes = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const bytes = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
