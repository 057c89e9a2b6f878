import Handlebars from 'handlebars';
import { DataText, escapeMarkdownText, escapeNoteText, rawOf, rawString } from './escape.js';
import { chunk, formatDate, formatDelta, formatNumber, formatPercent, type DateStyle } from './format.js';
import { createPaginateHelper } from './paginate.js';
import { groupsHtml, metricsHtml, timelineHtml, type TimelineEvent, type VisualGroup } from './visuals.js';
import type { Metric } from '../schema.js';

type HelperOptions = Handlebars.HelperOptions;
export type Helper = (...args: unknown[]) => unknown;

/** What every helper can read from the template's root context. */
export interface HelperRoot {
  lang: string;
  labels: Record<string, string>;
}

/**
 * A template calling a helper wrongly (too few arguments, a label that does not exist). The
 * composer turns it into a template error naming the file and line of the call.
 */
export class HelperUsageError extends Error {
  override readonly name = 'HelperUsageError';
  constructor(
    readonly helper: string,
    message: string,
  ) {
    super(message);
  }
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
/** The parameters of a call, after checking there are at least `count` of them. */
const needs = (name: string, count: number, usage: string, args: unknown[]): { params: unknown[]; options: HelperOptions } => {
  const parsed = argsOf(args);
  if (parsed.params.length < count) throw new HelperUsageError(name, `{{${name}}} needs ${count === 1 ? 'an argument' : `${count} arguments`}: ${usage}`);
  return parsed;
};
const toNumber = (value: unknown): number => Number(rawOf(value));
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** Escaped like any text, but the spaces around it survive: separators and prefixes need them. */
const escapeKeepingSpaces = (raw: string, lang: string): string => {
  const [, before = '', body = '', after = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(raw) ?? [];
  const space = (edge: string) => (edge ? ' ' : '');
  return `${space(before)}${escapeMarkdownText(body, lang)}${space(after)}`;
};
/** Data as plain values again (every DataText unwrapped), for helpers that draw rather than print. */
const plainData = (value: unknown): unknown => {
  const raw = rawOf(value);
  if (Array.isArray(raw)) return raw.map(plainData);
  if (raw !== null && typeof raw === 'object') return Object.fromEntries(Object.entries(raw).map(([key, item]) => [key, plainData(item)]));
  return raw;
};
/** A label of the deck's language; a key the labels do not have is the template's mistake. */
const label = (options: HelperOptions, key: string, helper: string): string => {
  const labels = rootOf(options).labels;
  const found = labels[key];
  if (found === undefined) throw new HelperUsageError(helper, `label "${key}" is not in the labels of language "${rootOf(options).lang}" (templates/i18n/${rootOf(options).lang}.yaml)`);
  return found;
};
/** Year-only dates stay as written (2017); longer ones are spelled out in the deck's language. */
const eventDate = (locale: string) => (iso: string): string => (/^\d{4}$/.test(iso) ? iso : formatDate(iso, locale, iso.length > 7 ? 'long' : 'month'));

/**
 * The one registry of template helpers. Names are what templates call; each helper's first comment
 * line is its README entry.
 */
export const helperRegistry: ReadonlyArray<readonly [string, Helper]> = [
  // t KEY — the fixed label KEY in the deck's language (templates/i18n/<lang>.yaml)
  ['t', (...args) => {
    const { params, options } = needs('t', 1, '{{t "label-key"}}', args);
    return new DataText(label(options, rawString(params[0]), 't'), rootOf(options).lang);
  }],
  // sep KEY — like t, but the label's leading and trailing space is kept: "Source: ", " | "
  ['sep', (...args) => {
    const { params, options } = needs('sep', 1, '{{sep "label-key"}}', args);
    return safe(escapeKeepingSpaces(label(options, rawString(params[0]), 'sep'), rootOf(options).lang));
  }],
  // number VALUE — grouped per locale: 12,345.6 / 12,345.6
  ['number', (...args) => {
    const { params, options } = needs('number', 1, '{{number value}}', args);
    const value = rawOf(params[0]);
    return typeof value === 'number' ? formatNumber(value, localeOf(options)) : new DataText(rawString(value), rootOf(options).lang);
  }],
  // percent VALUE — 0.25 or 25 → 25%
  ['percent', (...args) => {
    const { params, options } = needs('percent', 1, '{{percent value}}', args);
    return formatPercent(toNumber(params[0]), localeOf(options));
  }],
  // date ISO [long|short|month|year] — 2024-03-26 → 2024年3月26日 / March 26, 2024
  ['date', (...args) => {
    const { params, options } = needs('date', 1, '{{date meta.date}} or {{date meta.date "year"}}', args);
    const style = (typeof params[1] === 'string' ? params[1] : 'long') as DateStyle;
    return new DataText(formatDate(rawString(params[0]), localeOf(options), style), rootOf(options).lang);
  }],
  // delta VALUE PREVIOUS [percent|absolute] — +12.5% against the previous value
  ['delta', (...args) => {
    const { params, options } = needs('delta', 2, '{{delta value previous}}', args);
    const mode = params[2] === 'absolute' ? 'absolute' : 'percent';
    return formatDelta(toNumber(params[0]), toNumber(params[1]), localeOf(options), mode);
  }],
  // join LIST [SEPARATOR] — items joined with the deck's `listSeparator` label (、 / , )
  ['join', (...args) => {
    const { params, options } = needs('join', 1, '{{join list}}', args);
    const lang = rootOf(options).lang;
    const separator = typeof params[1] === 'string' ? params[1] : (rootOf(options).labels['listSeparator'] ?? ', ');
    return safe(asList(params[0]).map((item) => escapeMarkdownText(rawString(item), lang)).join(escapeKeepingSpaces(separator, lang)));
  }],
  // chunk LIST SIZE — the list in runs of SIZE, for splitting over slides
  ['chunk', (...args) => {
    const { params } = needs('chunk', 2, '{{#each (chunk list 4)}}', args);
    return chunk(asList(params[0]), toNumber(params[1]));
  }],
  // take LIST N / skip LIST N — the first N items / all but the first N
  ['take', (...args) => asList(needs('take', 2, '(take list 3)', args).params[0]).slice(0, toNumber(args[1]))],
  ['skip', (...args) => asList(needs('skip', 2, '(skip list 3)', args).params[0]).slice(toNumber(args[1]))],
  // len LIST — number of items (or characters of a text)
  ['len', (...args) => {
    const value = rawOf(needs('len', 1, '(len list)', args).params[0]);
    return Array.isArray(value) || typeof value === 'string' ? value.length : 0;
  }],
  // add A B — sum, e.g. (add @index 1)
  ['add', (...args) => toNumber(needs('add', 2, '(add a b)', args).params[0]) + toNumber(args[1])],
  // mul A B — product, e.g. the first number of a run: (add (mul @index 2) 1)
  ['mul', (...args) => toNumber(needs('mul', 2, '(mul a b)', args).params[0]) * toNumber(args[1])],
  // concat A B … — texts joined by a space (labels and data alike), e.g. for notes
  ['concat', (...args) => {
    const { params, options } = argsOf(args);
    return new DataText(params.map(rawString).filter((text) => text !== '').join(' '), rootOf(options).lang);
  }],
  // eq / ne / gt / lt / and / or / not — comparisons for #if
  ['eq', (...args) => rawOf(needs('eq', 2, '(eq a b)', args).params[0]) === rawOf(args[1])],
  ['ne', (...args) => rawOf(needs('ne', 2, '(ne a b)', args).params[0]) !== rawOf(args[1])],
  ['gt', (...args) => toNumber(needs('gt', 2, '(gt a b)', args).params[0]) > toNumber(args[1])],
  ['lt', (...args) => toNumber(needs('lt', 2, '(lt a b)', args).params[0]) < toNumber(args[1])],
  ['and', (...args) => argsOf(args).params.every((v) => Boolean(rawOf(v)))],
  ['or', (...args) => argsOf(args).params.find((v) => Boolean(rawOf(v))) ?? false],
  ['not', (...args) => !rawOf(needs('not', 1, '(not value)', args).params[0])],
  // first A B … — the first value that is set (e.g. first item.plain item.text)
  ['first', (...args) => argsOf(args).params.find((v) => rawOf(v) !== undefined && rawOf(v) !== '')],
  // markdown TEXT — TRUSTED: prints data as Markdown, unescaped. Only for data you wrote yourself.
  ['markdown', (...args) => safe(rawString(needs('markdown', 1, '{{markdown text}}', args).params[0]))],
  // notes TEXT … — speaker notes for the current slide (an HTML comment Marp keeps as a note); texts join with a space
  ['notes', (...args) => {
    const text = argsOf(args).params.map(rawString).map((t) => t.trim()).filter(Boolean).join(' ');
    return text ? safe(`<!--\n${escapeNoteText(text)}\n-->`) : '';
  }],
  // timeline EVENTS — the events as a timeline: date, title, who and what (an HTML block the theme styles)
  ['timeline', (...args) => {
    const { params, options } = needs('timeline', 1, '{{timeline section.timeline}}', args);
    const events = asList(plainData(params[0])) as TimelineEvent[];
    return safe(timelineHtml(events, { lang: rootOf(options).lang, formatDate: eventDate(localeOf(options)) }));
  }],
  // groups GROUPS — groups side by side, each a heading over its entries (an HTML block); `landscape` is another name for it
  ['groups', (...args) => {
    const { params, options } = needs('groups', 1, '{{groups section.groups}}', args);
    return safe(groupsHtml(asList(plainData(params[0])) as VisualGroup[], { lang: rootOf(options).lang }));
  }],
  ['landscape', (...args) => {
    const { params, options } = needs('landscape', 1, '{{landscape section.groups}}', args);
    return safe(groupsHtml(asList(plainData(params[0])) as VisualGroup[], { lang: rootOf(options).lang }));
  }],
  // metrics METRICS — metric tiles: value, label, change against the previous value and a bar chart of it
  ['metrics', (...args) => {
    const { params, options } = needs('metrics', 1, '{{metrics section.metrics}}', args);
    const locale = localeOf(options);
    const labels = rootOf(options).labels;
    return safe(
      metricsHtml(asList(plainData(params[0])) as Metric[], {
        lang: rootOf(options).lang,
        formatDate: eventDate(locale),
        formatNumber: (value) => formatNumber(value, locale),
        formatDelta: (value, previous) => formatDelta(value, previous, locale),
        labels: { previous: labels['previousValue'] ?? 'before', now: labels['currentValue'] ?? 'now' },
      }),
    );
  }],
  // cont — the "(continued)" marker of the deck's language, after the first run of a split list
  ['cont', (...args) => {
    const { options } = argsOf(args);
    // The label carries its own spacing: " (cont.)" in English, none before "（续）" in Chinese.
    return safe(escapeKeepingSpaces(rootOf(options).labels['continued'] ?? ' (cont.)', rootOf(options).lang));
  }],
  // paginate LIST [per=N] [name="…"] — block: one slide per run of at most N items, runs balanced, "---" between; see README, "Slide fit"
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
