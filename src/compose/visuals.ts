/**
 * Visuals drawn from report data as plain HTML blocks — a timeline, groups of entries, metric tiles
 * with a bar chart — that the theme styles (its colours and fonts, the presenter's if they bring
 * their own). Their text is real text: it wraps and breaks like the rest of the deck, is found by
 * search in the PDF, and reaches an editable PowerPoint as text. Only classes, never inline styles:
 * marp-core's HTML allowlist has no `style` attribute; a bar's length is a table's `width`.
 */
import type { Metric } from '../schema.js';
import { escapeMarkdownText } from './escape.js';

export interface TimelineEvent {
  date: string;
  title: string;
  actor?: string;
  text?: string;
}

export interface VisualGroup {
  title: string;
  text?: string;
  entries: ReadonlyArray<{ name: string; owner?: string; text?: string }>;
}

export interface VisualOptions {
  lang: string;
  /** Dates as the deck writes them. */
  formatDate: (iso: string) => string;
  formatNumber: (value: number) => string;
  formatDelta: (value: number, previous: number) => string;
  /** A change of a rate (a value in %) in percentage points: `+3.3 pts`. */
  formatPoints: (change: number) => string;
}

/** Text of a data string, escaped for HTML in the deck's language. */
const text = (value: string | undefined, lang: string, longest?: number): string => escapeMarkdownText(value ?? '', lang, longest);
const optional = (tag: string, cls: string, value: string | undefined, lang: string, longest?: number): string =>
  value ? `<${tag} class="${cls}">${text(value, lang, longest)}</${tag}>` : '';

/** Chinese characters a column of a timeline holds on one line, by how many columns share the slide. */
const timelineColumnChars = (columns: number): number => (columns >= 5 ? 6 : columns === 4 ? 8 : 12);

/** Milestones in order, left to right: date, title, who, what. The class counts them for the theme. */
export function timelineHtml(events: readonly TimelineEvent[], options: Pick<VisualOptions, 'lang' | 'formatDate'>): string {
  const { lang } = options;
  const longest = timelineColumnChars(events.length);
  const items = events.map(
    (e) =>
      `<li><span class="date">${text(options.formatDate(e.date), lang)}</span><strong class="event">${text(e.title, lang, longest)}</strong>${optional('span', 'actor', e.actor, lang, longest)}${optional('span', 'text', e.text, lang, longest)}</li>`,
  );
  const days = events.some((e) => /^\d{4}-\d{2}-\d{2}/.test(e.date));
  return `<ol class="timeline n${events.length}${days ? ' days' : ''}">${items.join('')}</ol>`;
}

/** Entries that make a group worth two columns, when the slide has the columns to give. */
const wideGroup = 7;
const groupColumns = 4;

/**
 * Groups side by side, each a heading over its entries (name, owner). A group of many entries
 * beside small ones takes two columns (three rail firms, twelve hauliers, two ports on one slide);
 * the class counts the columns.
 */
export function groupsHtml(groups: readonly VisualGroup[], options: Pick<VisualOptions, 'lang'>): string {
  const { lang } = options;
  const widened = groups.length + groups.filter((g) => g.entries.length >= wideGroup).length;
  const widen = groups.length > 1 && widened <= groupColumns;
  const columns = groups.map((g) => {
    const entries = g.entries.map((e) => `<li><strong>${text(e.name, lang)}</strong>${optional('span', 'owner', e.owner, lang)}${optional('span', 'text', e.text, lang)}</li>`);
    const wide = widen && g.entries.length >= wideGroup ? ' wide' : '';
    return `<div class="group${wide}"><h3>${text(g.title, lang)}</h3>${optional('p', 'text', g.text, lang)}${entries.length > 0 ? `<ul class="entries n${g.entries.length}">${entries.join('')}</ul>` : ''}</div>`;
  });
  return `<div class="groups n${widen ? widened : groups.length}">${columns.join('')}</div>`;
}

/** Whether a change is an improvement, by the direction the metric says is better. */
function judgement(metric: Metric, change: number): 'good' | 'bad' | 'same' | undefined {
  if (change === 0) return 'same';
  if (!metric.better) return undefined;
  return (change > 0) === (metric.better === 'higher') ? 'good' : 'bad';
}

/** A value in percent: its changes are in points. */
const isRate = (m: Metric): boolean => m.unit === '%' || m.format === 'percent';

const percentOf = (part: number, whole: number): string => `${whole > 0 ? Math.max(1, Math.round((part / whole) * 1000) / 10) : 0}%`;

/**
 * Metric tiles: the value (with its unit), the label, the change (against the previous value, or
 * as the data gives it) marked good or bad when the metric says which way is better, and for
 * numbers with a previous value a two-bar chart of then against now.
 */
export function metricsHtml(metrics: readonly Metric[], options: VisualOptions & { labels: { previous: string; now: string } }): string {
  const { lang } = options;
  const tiles = metrics.map((m) => {
    const value = typeof m.value === 'number' ? options.formatNumber(m.value) : m.value;
    const numeric = typeof m.value === 'number';
    let change = '';
    let bars = '';
    if (numeric && m.previous !== undefined) {
      const delta = (m.value as number) - m.previous;
      const mark = judgement(m, delta);
      // A rate changes by points: 58.2% → 61.5% is +3.3 points, not +5.7%.
      const shown = isRate(m) ? options.formatPoints((m.value as number) - m.previous) : options.formatDelta(m.value as number, m.previous);
      change = `<span class="change${mark ? ` ${mark}` : ''}">${text(shown, lang)}</span><span class="from">${text(`${options.formatNumber(m.previous)} → ${value}`, lang)}</span>`;
      const max = Math.max(Math.abs(m.value as number), Math.abs(m.previous));
      bars =
        `<div class="bars">` +
        `<span class="bar-label">${text(options.labels.previous, lang)}</span><table class="bar previous" width="${percentOf(Math.abs(m.previous), max)}"><tr><td></td></tr></table>` +
        `<span class="bar-label">${text(options.labels.now, lang)}</span><table class="bar now" width="${percentOf(Math.abs(m.value as number), max)}"><tr><td></td></tr></table>` +
        `</div>`;
    } else if (m.change !== undefined) {
      const sign = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '±');
      const shown =
        typeof m.change !== 'number' ? m.change : isRate(m) ? options.formatPoints(m.change) : `${sign(m.change)}${options.formatNumber(Math.abs(m.change))}${m.unit ? ` ${m.unit}` : ''}`;
      const mark = typeof m.change === 'number' ? judgement(m, m.change) : undefined;
      change = `<span class="change${mark ? ` ${mark}` : ''}">${text(shown, lang)}</span>`;
    }
    return (
      `<li class="metric"><span class="value">${text(value, lang)}${m.unit ? `<small class="unit">${text(m.unit, lang)}</small>` : ''}</span>` +
      `<span class="label">${text(m.label, lang)}</span>${change ? `<span class="delta">${change}</span>` : ''}${bars}${optional('span', 'text', m.text, lang)}</li>`
    );
  });
  return `<ul class="metric-tiles n${metrics.length}">${tiles.join('')}</ul>`;
}
