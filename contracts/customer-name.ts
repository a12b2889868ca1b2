/*
 * The one rule for a customer's name, as people write names: letters of any script with their accents, digits,
 * single spaces between words, and ' - . _ @ ("Alice Smith", "José", "O'Brien", "anna.k@home"). Whatever
 * names a customer (placing an order, signing in) is checked by `customerNameSchema` (contracts/order-input.ts),
 * built from these; the page reads its limit here. Free of validation code, so the browser may import it.
 */

export const CUSTOMER_NAME_MAX_LENGTH = 64;

/** A name starts with a letter or digit; words are separated by one space; no space at either end. */
export const CUSTOMER_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}'’._@-]*(?: [\p{L}\p{M}\p{N}'’._@-]+)*$/u;

export const CUSTOMER_NAME_MESSAGES = {
  required: 'customerId is required',
  tooLong: `customerId is at most ${CUSTOMER_NAME_MAX_LENGTH} characters`,
  format: "customerId may contain letters, digits, single spaces between words and ' - . _ @ only",
} as const;
