import { describe, expect, it } from 'vitest';
import { printable, printableLine } from '../../src/util/printable.js';

describe('printable', () => {
  it.each([
    ['ESC (colours, cursor moves)', 'a\u001b[31mred\u001b[0m', 'a\\x1B[31mred\\x1B[0m'],
    ['BEL', 'ding\u0007', 'ding\\x07'],
    ['a carriage return that would rewrite the line', 'ok\rFAKE', 'ok\\x0DFAKE'],
    ['backspace and DEL', 'a\bb\u007f', 'a\\x08b\\x7F'],
    ['a C1 control (8-bit CSI)', 'x\u009b31m', 'x\\x9B31m'],
    ['a bidirectional override', 'abc\u202edcba', 'abc\\u202Edcba'],
  ])('escapes %s', (_name, input, output) => {
    expect(printable(input)).toBe(output);
  });

  it('keeps newlines, tabs and every other character, including CJK and emoji', () => {
    expect(printable('一\t二\n😀 é')).toBe('一\t二\n😀 é');
  });

  it('is idempotent', () => {
    const once = printable('\u001b]0;title\u0007');
    expect(printable(once)).toBe(once);
  });

  it('printableLine also keeps text on one line', () => {
    expect(printableLine('a\nb\tc\u001b')).toBe('a\\nb c\\x1B');
  });
});
