import { describe, expect, it } from 'vitest';
import { storableText, unstorableCharacterIn } from './storable-text';

describe('unstorableCharacterIn', () => {
  it.each([
    ['plain text', 'found a shorter queue'],
    ['tab and line breaks', 'one\ttwo\r\nthree\n'],
    ['letters beyond ASCII', 'naïve 珍珠奶茶 Ω'],
    ['a surrogate pair (an emoji)', 'boba 🧋 time'],
    ['the empty string', ''],
  ])('finds nothing in %s', (_case, text) => {
    expect(unstorableCharacterIn(text)).toBeUndefined();
  });

  it.each([
    ['U+0000', 'a\u0000b', 'U+0000'],
    ['a bell', 'ring\u0007', 'U+0007'],
    ['an escape sequence', '\u001b[31mred', 'U+001B'],
    ['DEL', 'x\u007f', 'U+007F'],
    ['a C1 control', 'x\u0085y', 'U+0085'],
    ['a lone high surrogate', 'a\ud83eb', 'U+D83E'],
    ['a high surrogate at the end', 'tea\ud83e', 'U+D83E'],
    ['a lone low surrogate', '\udd8bboba', 'U+DD8B'],
    ['two high surrogates', '\ud83e\ud83e\udd8b', 'U+D83E'],
  ])('finds %s', (_case, text, found) => {
    expect(unstorableCharacterIn(text)).toBe(found);
  });
});

describe('storableText', () => {
  const reason = storableText().trim().min(1, 'reason must be 1 to 200 characters');

  it('refuses an unstorable character with one message that names it, before any other check', () => {
    const parsed = reason.safeParse('\u0000');
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([
      'must not contain U+0000: control characters (other than tab and line breaks) and unpaired surrogates cannot be stored',
    ]);
  });

  it('lets the checks that follow it do their work', () => {
    expect(reason.safeParse('  too slow ').data).toBe('too slow');
    expect(reason.safeParse('   ').error?.issues[0]?.message).toBe('reason must be 1 to 200 characters');
  });
});
