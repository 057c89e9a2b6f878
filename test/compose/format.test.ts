import { describe, expect, it } from 'vitest';
import { chunk, formatDate, formatDelta, formatNumber, formatPercent } from '../../src/compose/format.js';

describe('format', () => {
  it.each([
    ['2024-03-26', 'zh', 'long', '2024年3月26日'],
    ['2024-03-26', 'en', 'long', 'March 26, 2024'],
    ['2024-03', 'en', 'long', 'March 2024'],
    ['2017', 'zh', 'long', '2017年'],
    ['2024-03-26', 'en', 'year', '2024'],
  ] as const)('date %s in %s (%s) → %s', (iso, lang, style, expected) => {
    expect(formatDate(iso, lang, style)).toBe(expected);
  });

  it('formats numbers, percents and deltas per locale', () => {
    expect(formatNumber(12345.678, 'en')).toBe('12,345.68');
    expect(formatPercent(0.25, 'zh')).toBe('25%');
    expect(formatPercent(25, 'en')).toBe('25%');
    expect(formatDelta(120, 100, 'en')).toBe('+20%');
    expect(formatDelta(90, 100, 'en')).toBe('−10%');
    expect(formatDelta(7, 4, 'en', 'absolute')).toBe('+3');
  });

  it('chunks lists for splitting over slides', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
