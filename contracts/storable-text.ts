import { z } from 'zod';

/**
 * Text that every part of the shop can store and read back unchanged. PostgreSQL refuses U+0000 in `text`
 * and `jsonb`; a lone UTF-16 surrogate has no UTF-8 form (`jsonb` refuses its JSON escape, a `text` column
 * silently turns it into U+FFFD); and the other control characters, tab and line breaks aside, are never
 * meant in a name, a reason or a key, yet garble logs and terminals. Every string a client sends is built on
 * `storableText()`, so such a value is refused at the door and never reaches a workflow, Kafka or the read model.
 */

/** The first character of `text` that cannot be stored, as `U+XXXX`; undefined when there is none. */
export function unstorableCharacterIn(text: string): string | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(index + 1))) {
      index++;
      continue;
    }
    if (isHighSurrogate(code) || isLowSurrogate(code) || isRefusedControl(code)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

/** A string schema that refuses unstorable characters first, so the field gets this one message and no other. */
export function storableText() {
  return z.string().refine((text) => unstorableCharacterIn(text) === undefined, {
    error: (issue) =>
      `must not contain ${unstorableCharacterIn(String(issue.input))}: control characters (other than tab and line breaks) and unpaired surrogates cannot be stored`,
    abort: true,
  });
}

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** C0 controls (U+0000 included) but tab and line breaks, DEL, and the C1 controls. */
function isRefusedControl(code: number): boolean {
  if (code === TAB || code === LINE_FEED || code === CARRIAGE_RETURN) return false;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
