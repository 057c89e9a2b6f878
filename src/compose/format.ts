/**
 * Locale-aware formatting used by the template helpers. Pure functions of (value, locale); the
 * locale is a BCP 47 tag such as `en` or `zh-CN` (a deck's `locale` label, else its language).
 */

export function formatNumber(value: number, locale: string, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2, ...options }).format(value);
}

/** `0.25` → `25%`; values above 1 are taken as already in percent (`25` → `25%`). */
export function formatPercent(value: number, locale: string): string {
  const fraction = Math.abs(value) > 1 ? value / 100 : value;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

export type DateStyle = 'long' | 'short' | 'year' | 'month' | 'shortMonth';

/** Dates as written in the data: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; never shifted by the time zone. */
export function formatDate(iso: string, locale: string, style: DateStyle = 'long'): string {
  const [year, month, day] = iso.split('-').map(Number);
  if (year === undefined || Number.isNaN(year)) return iso;
  if (style === 'year' || month === undefined) return new Intl.DateTimeFormat(locale, { year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year, 0, 1));
  const date = Date.UTC(year, month - 1, day ?? 1);
  if (style === 'month' || style === 'shortMonth' || day === undefined) {
    return new Intl.DateTimeFormat(locale, { year: 'numeric', month: style === 'short' || style === 'shortMonth' ? 'short' : 'long', timeZone: 'UTC' }).format(date);
  }
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: style === 'short' ? 'short' : 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** `+12.5%` / `−3` style change against a previous value. */
export function formatDelta(value: number, previous: number, locale: string, mode: 'percent' | 'absolute' = 'percent'): string {
  const change = mode === 'percent' ? (previous === 0 ? 0 : (value - previous) / Math.abs(previous)) : value - previous;
  const formatted =
    mode === 'percent'
      ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(change)
      : new Intl.NumberFormat(locale, { maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(change);
  return formatted.replace('-', '−');
}

/** Splits a list into runs of at most `size` items (the last one may be shorter). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += step) runs.push(items.slice(i, i + step));
  return runs;
}
