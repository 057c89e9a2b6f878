import Handlebars from 'handlebars';
import { DataText, escapeMarkdownText, escapeNoteText, rawOf, rawString } from './escape.js';
import { chunk, formatDate, formatDelta, formatNumber, formatPercent, type DateStyle } from './format.js';
import { createPaginateHelper } from './paginate.js';
import { chartDataUri, landscapeSvg, timelineSvg, type LandscapeGroup, type SvgChart, type TimelineEvent } from './visuals.js';

type HelperOptions = Handlebars.HelperOptions;
export type Helper = (...args: unknown[]) => unknown;

/** What every helper can read from the template's root context. */
export interface HelperRoot {
  lang: string;
  labels: Record<string, string>;
}

const safe = (markup: string): Handlebars.SafeString => new Handlebars.SafeString(markup);
const rootOf = (options: HelperOptions): HelperRoot => options.data.root as HelperRoot;
/** The deck's locale for numbers and dates: its `locale` label (zh-CN), else its language code. */
const localeOf = (options: HelperOptions): string => rootOf(options).labels['locale'] ?? rootOf(options).lang;
/** Handlebars appends its options object to every call; this strips it. */
const argsOf = (args: unknown[]): { params: unknown[]; options: HelperOptions } => ({
  params: args.slice(0, -1),
  options: args.at(-1) as HelperOptions,
});
const toNumber = (value: unknown): number => Number(rawOf(value));
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** Escaped like any text, but the spaces around it survive: separators and prefixes need them. */
const escapeKeepingSpaces = (raw: string): string => {
  const [, before = '', body = '', after = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(raw) ?? [];
  const space = (edge: string) => (edge ? ' ' : '');
  return `${space(before)}${escapeMarkdownText(body)}${space(after)}`;
};
/** Data as plain values again (every DataText unwrapped), for helpers that draw rather than print. */
const plainData = (value: unknown): unknown => {
  const raw = rawOf(value);
  if (Array.isArray(raw)) return raw.map(plainData);
  if (raw !== null && typeof raw === 'object') return Object.fromEntries(Object.entries(raw).map(([key, item]) => [key, plainData(item)]));
  return raw;
};
const hashNumber = (options: HelperOptions, key: string): number | undefined => {
  const value = Number(rawOf(options.hash?.[key]));
  return Number.isFinite(value) && value > 0 ? value : undefined;
};
/** A chart as an HTML block of its own: marp-core allows `<img>` with a data URI, not inline `<svg>`. */
const chartBlock = (chart: SvgChart, kind: string): Handlebars.SafeString =>
  safe(`<figure class="chart ${kind}"><img src="${chartDataUri(chart)}" alt="${escapeMarkdownText(chart.alt)}" width="${chart.width}" height="${chart.height}"></figure>`);
/** Year-only dates stay as written (2017); longer ones are spelled out in the deck's language. */
const timelineDate = (locale: string) => (iso: string): string => (/^\d{4}$/.test(iso) ? iso : formatDate(iso, locale, iso.length > 7 ? 'long' : 'month'));

/**
 * The one registry of template helpers. Names are what templates call; each helper's first comment
 * line is its README entry.
 */
export const helperRegistry: ReadonlyArray<readonly [string, Helper]> = [
  // t KEY — the fixed label KEY in the deck's language (templates/i18n/<lang>.yaml).
  ['t', (...args) => {
    const { params, options } = argsOf(args);
    const key = rawString(params[0]);
    const label = rootOf(options).labels[key];
    return new DataText(label ?? key);
  }],
  // sep KEY — like t, but the label's leading and trailing space is kept: "Source: ", " | "
  ['sep', (...args) => {
    const { params, options } = argsOf(args);
    const key = rawString(params[0]);
    return safe(escapeKeepingSpaces(rootOf(options).labels[key] ?? key));
  }],
  // number VALUE — grouped per locale: 12,345.6 / 12,345.6
  ['number', (...args) => {
    const { params, options } = argsOf(args);
    const value = rawOf(params[0]);
    return typeof value === 'number' ? formatNumber(value, localeOf(options)) : new DataText(rawString(value));
  }],
  // percent VALUE — 0.25 or 25 → 25%
  ['percent', (...args) => {
    const { params, options } = argsOf(args);
    return formatPercent(toNumber(params[0]), localeOf(options));
  }],
  // date ISO [long|short|month|year] — 2024-03-26 → 2024年3月26日 / March 26, 2024
  ['date', (...args) => {
    const { params, options } = argsOf(args);
    const style = (typeof params[1] === 'string' ? params[1] : 'long') as DateStyle;
    return new DataText(formatDate(rawString(params[0]), localeOf(options), style));
  }],
  // delta VALUE PREVIOUS [percent|absolute] — +12.5% against the previous value
  ['delta', (...args) => {
    const { params, options } = argsOf(args);
    const mode = params[2] === 'absolute' ? 'absolute' : 'percent';
    return formatDelta(toNumber(params[0]), toNumber(params[1]), localeOf(options), mode);
  }],
  // join LIST [SEPARATOR] — items joined with the deck's `listSeparator` label (、 / , )
  ['join', (...args) => {
    const { params, options } = argsOf(args);
    const separator = typeof params[1] === 'string' ? params[1] : (rootOf(options).labels['listSeparator'] ?? ', ');
    return safe(asList(params[0]).map((item) => escapeMarkdownText(rawString(item))).join(escapeKeepingSpaces(separator)));
  }],
  // chunk LIST SIZE — the list in runs of SIZE, for splitting over slides
  ['chunk', (...args) => chunk(asList(args[0]), toNumber(args[1]))],
  // take LIST N / skip LIST N — the first N items / all but the first N
  ['take', (...args) => asList(args[0]).slice(0, toNumber(args[1]))],
  ['skip', (...args) => asList(args[0]).slice(toNumber(args[1]))],
  // len LIST — number of items (or characters of a text)
  ['len', (...args) => {
    const value = rawOf(args[0]);
    return Array.isArray(value) || typeof value === 'string' ? value.length : 0;
  }],
  // add A B — sum, e.g. (add @index 1)
  ['add', (...args) => toNumber(args[0]) + toNumber(args[1])],
  // mul A B — product, e.g. the first number of a run: (add (mul @index 2) 1)
  ['mul', (...args) => toNumber(args[0]) * toNumber(args[1])],
  // concat A B … — texts joined by a space (labels and data alike), e.g. for notes
  ['concat', (...args) => new DataText(argsOf(args).params.map(rawString).filter((text) => text !== '').join(' '))],
  // eq / ne / gt / lt / and / or / not — comparisons for #if
  ['eq', (...args) => rawOf(args[0]) === rawOf(args[1])],
  ['ne', (...args) => rawOf(args[0]) !== rawOf(args[1])],
  ['gt', (...args) => toNumber(args[0]) > toNumber(args[1])],
  ['lt', (...args) => toNumber(args[0]) < toNumber(args[1])],
  ['and', (...args) => argsOf(args).params.every((v) => Boolean(rawOf(v)))],
  ['or', (...args) => argsOf(args).params.find((v) => Boolean(rawOf(v))) ?? false],
  ['not', (...args) => !rawOf(args[0])],
  // first A B … — the first value that is set (e.g. first item.plain item.text)
  ['first', (...args) => argsOf(args).params.find((v) => rawOf(v) !== undefined && rawOf(v) !== '')],
  // markdown TEXT — TRUSTED: prints data as Markdown, unescaped. Only for data you wrote yourself.
  ['markdown', (...args) => safe(rawString(args[0]))],
  // notes TEXT — speaker notes for the current slide (an HTML comment Marp keeps as a note)
  ['notes', (...args) => {
    const text = rawString(args[0]).trim();
    return text ? safe(`<!--\n${escapeNoteText(text)}\n-->`) : '';
  }],
  // timeline EVENTS [width=1120] [detail=true] — the events drawn as an SVG timeline (an <img> block)
  ['timeline', (...args) => {
    const { params, options } = argsOf(args);
    const lang = rootOf(options).lang;
    const events = asList(plainData(params[0])) as TimelineEvent[];
    return chartBlock(timelineSvg(events, { lang, width: hashNumber(options, 'width'), detail: Boolean(rawOf(options.hash?.detail)), formatDate: timelineDate(localeOf(options)) }), 'timeline');
  }],
  // landscape GROUPS [width=1120] — groups and their entries drawn as SVG columns of cards (an <img> block)
  ['landscape', (...args) => {
    const { params, options } = argsOf(args);
    const groups = asList(plainData(params[0])) as LandscapeGroup[];
    return chartBlock(landscapeSvg(groups, { lang: rootOf(options).lang, width: hashNumber(options, 'width') }), 'landscape');
  }],
  // cont — the "(continued)" marker of the deck's language, after the first run of a split list
  ['cont', (...args) => {
    const { options } = argsOf(args);
    // The label carries its own spacing: " (cont.)" in English, none before "（续）" in Chinese.
    return safe(escapeKeepingSpaces(rootOf(options).labels['continued'] ?? ' (cont.)'));
  }],
  // paginate LIST [per=N] [name="…"] — block: one slide per run of N items, "---" between; see README, "Slide fit"
  ['paginate', createPaginateHelper()],
];

/** Registers every helper on a Handlebars environment; a name registered twice is a bug. */
export function registerHelpers(env: typeof Handlebars, helpers: ReadonlyArray<readonly [string, Helper]> = helperRegistry): void {
  const seen = new Set<string>();
  for (const [name, helper] of helpers) {
    if (seen.has(name)) throw new Error(`helper "${name}" is registered twice`);
    seen.add(name);
    env.registerHelper(name, helper as Handlebars.HelperDelegate);
  }
}
