/**
 * Control characters a terminal would act on rather than show: C0 (but newline and tab), DEL, C1,
 * and the bidirectional overrides that reorder what a line appears to say.
 */
// eslint-disable-next-line no-control-regex
const unprintable = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (char: string): string => {
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
};

/**
 * Pure: text from data made safe to print on a terminal: an ESC, BEL or carriage return in a
 * report title shows as `\x1B`, `\x07`, `\x0D` instead of moving the cursor, recolouring the
 * screen or rewriting the line above. Idempotent; newlines and tabs are kept.
 */
export const printable = (text: string): string => text.replace(unprintable, escapeOne);

/** Pure: `printable`, on one line: newlines escaped too (a progress line, a key). */
export const printableLine = (text: string): string => printable(text).replace(/\n/g, '\\n').replace(/\t/g, ' ');
