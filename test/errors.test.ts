import { describe, expect, it } from 'vitest';
import { BriefgenError, ErrorCode, formatError } from '../src/errors.js';

describe('formatError', () => {
  it('prints file:line:column, the message, the data path, the line with a caret, and the hint', () => {
    const error = new BriefgenError(ErrorCode.dataShape, 'expected string', { location: { file: 'r.yaml', line: 3, column: 5, dataPath: 'meta.title', excerpt: '    title: 7' }, hint: 'quote it' });
    expect(formatError(error)).toBe(['r.yaml:3:5: expected string', '  at data path: meta.title', '  3 |     title: 7', '    |     ^', '  hint: quote it'].join('\n'));
  });

  it('escapes control characters from the data in every part, keeping the caret under the column', () => {
    const error = new BriefgenError(ErrorCode.dataShape, 'bad title "\u001b[2J\u0007"', { location: { file: 'r.yaml', line: 1, column: 12, excerpt: 'title: \u001b[2J x' }, hint: 'see \u001b]8;;http://x\u0007' });
    const text = formatError(error);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).toContain('bad title "\\x1B[2J\\x07"');
    const [excerpt, caret] = text.split('\n').slice(1, 3);
    expect(excerpt).toBe('  1 | title: \\x1B[2J x');
    // Column 12 is the space before "x": the caret sits under it after the escape widened the line.
    expect(caret!.indexOf('^') - caret!.indexOf('|')).toBe(excerpt!.indexOf(' x') - excerpt!.indexOf('|'));
  });

  it('shows a window of a very long line around the column, not the whole line', () => {
    const line = `${'a'.repeat(5000)}X${'b'.repeat(5000)}`;
    const error = new BriefgenError(ErrorCode.dataParse, 'bad', { location: { file: 'min.json', line: 1, column: 5001, excerpt: line } });
    const [, excerpt, caret] = formatError(error).split('\n');
    expect(excerpt!.length).toBeLessThan(140);
    expect(excerpt).toMatch(/^ {2}1 \| …a+Xb+…$/);
    expect(excerpt![caret!.indexOf('^')]).toBe('X');
  });
});
