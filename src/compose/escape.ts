/**
 * Data must never become markup. Every data string reaches a template wrapped in `DataText`, whose
 * Handlebars rendering encodes the characters that could start Markdown, Marp or HTML syntax as
 * numeric character references. CommonMark treats references as literal text, and inside HTML blocks
 * the browser decodes them, so one encoding is safe in Markdown and HTML contexts alike.
 */
import { chinesePhrases, hasHan } from './cjk-phrases.js';

// Characters that open inline syntax anywhere in a line: HTML, code, emphasis, links, tables, math,
// strikethrough and backslash escapes.
const inlineSpecial = /[&<>"'`*_[\]|$~\\]/g;
// Characters that only matter at the start of a line: headings, lists, quotes, rules, setext underlines.
const lineStartSpecial = /^([#+\-=>]|\d+[.)])/;
// Emoji shortcodes such as :smile:. Marp matches them after references are decoded, so a zero-width
// <wbr> (in marp-core's HTML allowlist) splits the text instead.
const shortcode = /:(?=[\w+-]+:)/g;

const reference = (char: string): string => `&#${char.codePointAt(0)};`;

// Marks a line-break opportunity while the text is escaped; becomes <wbr> at the end. A private-use
// character: no data can contain one that matters, and no escaping rule touches it.
const breakMark = '\uE000';
const breakMarks = new RegExp(breakMark, 'g');
// A hyphenated compound of Latin words or numbers ("real-world", "2024-25"), kept on one line.
const compound = /(?<![\p{L}\p{N}/.:-])[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+(?![\p{L}\p{N}/-])/gu;
const openMark = '\uE001';
const closeMark = '\uE002';

/**
 * Text for a Markdown or HTML context, showing exactly the characters of `raw`. With `lang`
 * Chinese, line breaks may fall only between phrases (a `<wbr>` between them; the theme sets
 * `word-break: keep-all`), phrases of at most `longestPhrase` characters where a column is narrow;
 * in other languages hyphenated compounds stay on one line.
 */
export function escapeMarkdownText(raw: string, lang?: string, longestPhrase?: number): string {
  // Blank lines would end an HTML block and newlines could start a new block, so text stays on one line.
  let oneLine = raw.replace(/\s*\r?\n\s*/g, ' ').trim();
  if (lang && /^zh\b/.test(lang) && hasHan(oneLine)) oneLine = chinesePhrases(oneLine, longestPhrase).join(breakMark);
  else if (lang) oneLine = oneLine.replace(compound, (word) => (word.length <= 24 ? `${openMark}${word}${closeMark}` : word));
  return oneLine
    .replace(inlineSpecial, reference)
    .replace(shortcode, ':<wbr>')
    // markdown-it's linkify reads a URL from the source before references are decoded, so a URL
    // holding an escaped character would show the reference; without `://` it stays plain text.
    .replace(/:(?=\/\/)/g, reference)
    .replace(lineStartSpecial, (match) => match.replace(/[^\d]/, reference))
    .replace(breakMarks, '<wbr>')
    .replace(new RegExp(openMark, 'g'), '<span class="nobr">')
    .replace(new RegExp(closeMark, 'g'), '</span>');
}

// Marp's global and local directives (and the names marp-core and Marp CLI add); a note line that
// starts with one of them, optionally with `_` or quotes, would be applied instead of kept.
const directiveNames = [
  'theme', 'style', 'headingDivider', 'lang', 'size', 'math', 'marp', 'title', 'author', 'description',
  'keywords', 'url', 'image', 'paginate', 'header', 'footer', 'class', 'backgroundColor',
  'backgroundImage', 'backgroundPosition', 'backgroundRepeat', 'backgroundSize', 'color', 'transition',
];
const directiveLine = new RegExp(`^(\\s*["']?_?(?:${directiveNames.join('|')})["']?\\s*:)`);

/**
 * Text for an HTML comment that Marp keeps as speaker notes. Entities are not decoded there, so
 * instead the comment's end and directive-looking lines (`paginate: false`) are broken with a
 * zero-width space.
 */
export function escapeNoteText(raw: string): string {
  return raw
    .replace(/--/g, '-\u200b-')
    .split(/\r?\n/)
    .map((line) => line.replace(directiveLine, '\u200b$1'))
    .join('\n');
}

/**
 * A data string on its way into a template: escaped when printed, readable by helpers. The raw
 * text is a private field behind a getter, so a template cannot reach it (`{{meta.title.raw}}`
 * prints nothing): Handlebars resolves only own properties, and prototype getters are denied.
 * Only helpers, which are code, read it; `markdown` is the one that prints it unescaped.
 */
export class DataText {
  readonly #raw: string;
  /** `lang`: the deck's language, which decides where lines may break. */
  constructor(
    raw: string,
    readonly lang?: string,
  ) {
    this.#raw = raw;
  }
  /** The text as written in the data: for helpers, never for printing. */
  get raw(): string {
    return this.#raw;
  }
  /** Handlebars prints `toHTML()` unescaped; we make it the safe form. */
  toHTML(): string {
    return escapeMarkdownText(this.#raw, this.lang);
  }
  /** Triple-stash `{{{x}}}` prints `toString()`: it must be safe too. */
  toString(): string {
    return escapeMarkdownText(this.#raw, this.lang);
  }
  get length(): number {
    return this.#raw.length;
  }
}

/** Deep copy of data with every string wrapped in `DataText` (of the deck's language). */
export function wrapData<T>(value: T, lang?: string): unknown {
  if (typeof value === 'string') return new DataText(value, lang);
  if (Array.isArray(value)) return value.map((item) => wrapData(item, lang));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, wrapData(item, lang)]));
  }
  return value;
}

/** The raw value behind a helper argument (DataText or plain). */
export function rawOf(value: unknown): unknown {
  return value instanceof DataText ? value.raw : value;
}

export function rawString(value: unknown): string {
  const raw = rawOf(value);
  return raw === undefined || raw === null ? '' : String(raw);
}
