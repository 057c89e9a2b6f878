/**
 * Charts drawn from report data as standalone SVG documents. marp-core's HTML allowlist has no `<svg>`,
 * so a chart reaches the slide as `<img src="data:image/svg+xml;base64,…">`: no network, no script.
 * SVG cannot wrap text, so lines are broken here with measured glyph widths of the theme's font.
 */

/** One dated event of a timeline. */
export interface TimelineEvent {
  date: string;
  title: string;
  actor?: string;
  text?: string;
}

/** One labelled group of entries, e.g. a class of models and the models in it. */
export interface LandscapeGroup {
  title: string;
  text?: string;
  entries: ReadonlyArray<{ name: string; owner?: string; text?: string }>;
}

/** A finished chart: the SVG document, its size in CSS pixels and a text alternative. */
export interface SvgChart {
  svg: string;
  width: number;
  height: number;
  alt: string;
}

/** The font the theme uses; its Latin advance widths are measured below. */
export const chartFontFamily = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

const palette = {
  ink: '#1b2433',
  muted: '#5b6675',
  line: '#c9d2de',
  accent: '#d9822b',
  panel: '#f3f6fa',
  white: '#ffffff',
  groups: ['#1f4e79', '#2e75b6', '#0f7b6c', '#b35c1e'],
} as const;

// Advance widths of ASCII 32–126 in Noto Sans CJK SC, in thousandths of an em, measured once in
// Chromium. CJK ideographs and full-width punctuation are one em.
const asciiRegular = [
  224, 323, 474, 555, 555, 921, 680, 278, 338, 338, 467, 555, 278, 347, 278, 392, 555, 555, 555, 555, 555, 555, 555, 555, 555, 555, 278, 278, 555, 555, 555, 474, 946, 608, 657, 638,
  688, 589, 552, 689, 728, 293, 535, 646, 543, 812, 723, 742, 633, 742, 635, 596, 599, 721, 575, 878, 573, 531, 603, 338, 392, 338, 555, 559, 606, 563, 618, 510, 620, 554, 325, 564,
  607, 275, 275, 552, 284, 926, 610, 606, 620, 620, 388, 468, 377, 607, 521, 802, 498, 521, 475, 338, 270, 338, 555,
];
const asciiBold = [
  227, 370, 574, 590, 590, 963, 740, 325, 378, 378, 507, 590, 325, 370, 325, 387, 590, 590, 590, 590, 590, 590, 590, 590, 590, 590, 325, 325, 590, 590, 590, 514, 1007, 641, 681, 656,
  714, 615, 585, 717, 757, 330, 568, 686, 578, 853, 749, 770, 667, 770, 682, 624, 625, 748, 619, 915, 627, 580, 613, 378, 387, 378, 590, 567, 626, 591, 644, 527, 644, 581, 372, 597,
  640, 304, 306, 604, 315, 964, 641, 626, 644, 644, 436, 495, 421, 637, 576, 863, 562, 574, 511, 378, 296, 378, 590,
];

export type FontWeight = 'regular' | 'bold';

/** Width of `text` in pixels at `fontSize`, as drawn in the chart font. */
export function measureText(text: string, fontSize: number, weight: FontWeight = 'regular'): number {
  const table = weight === 'bold' ? asciiBold : asciiRegular;
  let thousandths = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 32 && code < 127) thousandths += table[code - 32]!;
    else if (code < 0x1100) thousandths += 650; // accented Latin, Greek, Cyrillic: a generous average
    else thousandths += 1000;
  }
  return (thousandths * fontSize) / 1000;
}

const isWide = (char: string): boolean => char.codePointAt(0)! >= 0x1100;
// Kinsoku: these never start a line, those never end one.
const noLineStart = new Set([...'，。、；：？！）》」』】〉”’…—·,.;:?!)]}%']);
const noLineEnd = new Set([...'（《「『【〈“‘([{']);

/** Breakable units: each wide character alone, each run of narrow characters with its trailing spaces. */
function units(text: string): string[] {
  const raw: string[] = [];
  let word = '';
  for (const char of text) {
    if (isWide(char)) {
      if (word) raw.push(word);
      word = '';
      raw.push(char);
    } else if (char === ' ') {
      word += char;
      raw.push(word);
      word = '';
    } else {
      if (word.endsWith(' ')) {
        raw.push(word);
        word = '';
      }
      word += char;
    }
  }
  if (word) raw.push(word);
  // Glue punctuation to its neighbour so a line never starts with a comma or ends with an open quote.
  const glued: string[] = [];
  for (const unit of raw) {
    const previous = glued.at(-1);
    if (previous !== undefined && (noLineStart.has(unit[0]!) || noLineEnd.has([...previous].at(-1)!))) glued[glued.length - 1] = previous + unit;
    else glued.push(unit);
  }
  return glued;
}

export interface WrapOptions {
  /** Longest line in pixels. */
  width: number;
  size: number;
  weight?: FontWeight;
  /** Past this many lines the last kept line ends with an ellipsis. */
  maxLines?: number;
  /** Even out line lengths (same number of lines, no one-character last line). */
  balance?: boolean;
}

/**
 * Line breaking for CJK and Latin text: greedy, or balanced on request. A word longer than a line is
 * split by characters.
 */
export function wrapText(text: string, options: WrapOptions): string[] {
  const { width, size, weight = 'regular', maxLines = Infinity, balance = false } = options;
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return [];
  const greedy = breakLines(clean, width, size, weight);
  let lines = greedy;
  if (balance && greedy.length > 1) {
    // The narrowest width that still needs no more lines: binary search to within a pixel.
    let low = width / 2;
    let high = width;
    while (high - low > 1) {
      const mid = (low + high) / 2;
      if (breakLines(clean, mid, size, weight).length <= greedy.length) high = mid;
      else low = mid;
    }
    lines = breakLines(clean, high, size, weight);
  }
  if (lines.length <= maxLines) return lines;
  const fits = (line: string) => measureText(line, size, weight) <= width;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1]!;
  while (last && !fits(`${last}…`)) last = [...last].slice(0, -1).join('').trimEnd();
  kept[maxLines - 1] = `${last}…`;
  return kept;
}

function breakLines(clean: string, maxWidth: number, fontSize: number, weight: FontWeight): string[] {
  const fits = (line: string) => measureText(line.trimEnd(), fontSize, weight) <= maxWidth;
  const lines: string[] = [];
  let line = '';
  for (const unit of units(clean)) {
    if (fits(line + unit)) {
      line += unit;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    if (fits(unit)) {
      line = unit;
      continue;
    }
    for (const char of unit) {
      if (line && !fits(line + char)) {
        lines.push(line);
        line = '';
      }
      line += char;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => l.trimEnd());
}

// Characters XML 1.0 forbids, and lone surrogates: dropped so hostile data cannot break the document.
const xmlForbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe inside an SVG element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(xmlForbidden, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const round = (n: number): number => Math.round(n * 10) / 10;

interface TextBlock {
  lines: string[];
  size: number;
  weight: FontWeight;
  color: string;
  lineHeight: number;
}

const blockHeight = (block: TextBlock): number => block.lines.length * block.size * block.lineHeight;

/** `<text>` with one `<tspan>` per line; `y` is the top of the block. */
function textElement(block: TextBlock, x: number, y: number, anchor: 'start' | 'middle', className: string): string {
  if (block.lines.length === 0) return '';
  const step = block.size * block.lineHeight;
  // The first baseline sits about 0.8 em below the top of a line box with half-leading above it.
  const first = y + (step - block.size) / 2 + block.size * 0.86;
  const spans = block.lines.map((line, i) => `<tspan x="${round(x)}" y="${round(first + i * step)}">${escapeXml(line)}</tspan>`).join('');
  return `<text class="${className}" text-anchor="${anchor}" font-size="${block.size}" font-weight="${block.weight === 'bold' ? 700 : 400}" fill="${block.color}">${spans}</text>`;
}

function svgDocument(width: number, height: number, lang: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${escapeXml(chartFontFamily)}" xml:lang="${escapeXml(lang)}">${body}</svg>`
  );
}

export interface TimelineOptions {
  /** Width of the chart in CSS pixels (the slide's content width by default). */
  width?: number;
  lang: string;
  /** How an event's date is labelled; the ISO string by default. */
  formatDate?: (iso: string) => string;
  /** Also print each event's `text` under its title. */
  detail?: boolean;
}

/**
 * A horizontal timeline: one column per event with the date above a rule, a marker on it, and the
 * title, actor and (optionally) text below.
 */
export function timelineSvg(events: readonly TimelineEvent[], options: TimelineOptions): SvgChart {
  const width = Math.round(options.width ?? 1120);
  const label = options.formatDate ?? ((iso: string) => iso);
  const count = Math.max(events.length, 1);
  const column = width / count;
  const textWidth = column - 40;
  const dateSize = 48;
  const ruleY = 96;
  const columns = events.map((event) => {
    const title: TextBlock = { lines: wrapText(event.title, { width: textWidth, size: 26, weight: 'bold', maxLines: 4, balance: true }), size: 26, weight: 'bold', color: palette.ink, lineHeight: 1.35 };
    const actor: TextBlock = { lines: wrapText(event.actor ?? '', { width: textWidth, size: 19, maxLines: 3, balance: true }), size: 19, weight: 'regular', color: palette.muted, lineHeight: 1.4 };
    const text: TextBlock = { lines: options.detail ? wrapText(event.text ?? '', { width: textWidth, size: 18, maxLines: 9, balance: true }) : [], size: 18, weight: 'regular', color: palette.ink, lineHeight: 1.5 };
    return { event, title, actor, text };
  });
  const top = ruleY + 42;
  const gap = 10;
  const heights = columns.map(({ title, actor, text }) => blockHeight(title) + (actor.lines.length ? gap + blockHeight(actor) : 0) + (text.lines.length ? gap * 1.6 + blockHeight(text) : 0));
  const height = Math.ceil(top + Math.max(0, ...heights) + 12);

  const parts: string[] = [];
  parts.push(`<line x1="0" y1="${ruleY}" x2="${width - 14}" y2="${ruleY}" stroke="${palette.line}" stroke-width="4" stroke-linecap="round"/>`);
  parts.push(`<path d="M${width - 18} ${ruleY - 9} L${width} ${ruleY} L${width - 18} ${ruleY + 9} Z" fill="${palette.line}"/>`);
  columns.forEach(({ event, title, actor, text }, index) => {
    const cx = column * index + column / 2;
    const group: string[] = [];
    group.push(textElement({ lines: [label(event.date)], size: dateSize, weight: 'bold', color: palette.accent, lineHeight: 1.2 }, cx, ruleY - 26 - dateSize * 1.2, 'middle', 'date'));
    group.push(`<circle cx="${round(cx)}" cy="${ruleY}" r="12" fill="${palette.groups[0]}" stroke="${palette.white}" stroke-width="4"/>`);
    let y = top;
    group.push(textElement(title, cx, y, 'middle', 'title'));
    y += blockHeight(title);
    if (actor.lines.length) {
      y += gap;
      group.push(textElement(actor, cx, y, 'middle', 'actor'));
      y += blockHeight(actor);
    }
    if (text.lines.length) {
      y += gap * 1.6;
      group.push(textElement(text, cx, y, 'middle', 'text'));
    }
    parts.push(`<g class="event">${group.join('')}</g>`);
  });
  const alt = events.map((e) => [label(e.date), e.title, e.actor].filter(Boolean).join(' – ')).join('; ');
  return { svg: svgDocument(width, height, options.lang, parts.join('')), width, height, alt };
}

export interface LandscapeOptions {
  width?: number;
  lang: string;
}

/**
 * Groups side by side: a coloured header per group, its optional description, then one card per
 * entry with the entry's name and owner. Every column gets the same header height so cards line up.
 */
export function landscapeSvg(groups: readonly LandscapeGroup[], options: LandscapeOptions): SvgChart {
  const width = Math.round(options.width ?? 1120);
  const count = Math.max(groups.length, 1);
  const gutter = 20;
  const column = (width - gutter * (count - 1)) / count;
  const pad = 16;
  const inner = column - pad * 2;
  const headers = groups.map((g) => ({ lines: wrapText(g.title, { width: inner, size: 21, weight: 'bold', maxLines: 3, balance: true }), size: 21, weight: 'bold', color: palette.white, lineHeight: 1.35 }) satisfies TextBlock);
  const notes = groups.map((g) => ({ lines: wrapText(g.text ?? '', { width: inner, size: 16, maxLines: 4 }), size: 16, weight: 'regular', color: palette.muted, lineHeight: 1.45 }) satisfies TextBlock);
  const headerHeight = Math.max(...headers.map(blockHeight), 0) + pad * 2;
  const noteHeight = Math.max(...notes.map(blockHeight), 0);
  const cardInner = inner - 28;
  const cards = groups.map((g) =>
    g.entries.map((entry) => ({
      name: { lines: wrapText(entry.name, { width: cardInner, size: 22, weight: 'bold', maxLines: 3, balance: true }), size: 22, weight: 'bold', color: palette.ink, lineHeight: 1.3 } satisfies TextBlock,
      owner: { lines: wrapText(entry.owner ?? '', { width: cardInner, size: 17, maxLines: 2 }), size: 17, weight: 'regular', color: palette.muted, lineHeight: 1.4 } satisfies TextBlock,
    })),
  );
  const cardHeight = Math.max(
    0,
    ...cards.flat().map((c) => blockHeight(c.name) + (c.owner.lines.length ? 4 + blockHeight(c.owner) : 0)),
  ) + 24;
  const cardGap = 12;
  const bodyTop = headerHeight + (noteHeight ? 12 + noteHeight : 0) + 14;
  const rows = Math.max(0, ...groups.map((g) => g.entries.length));
  const height = Math.ceil(bodyTop + rows * cardHeight + Math.max(0, rows - 1) * cardGap + 16);

  const parts: string[] = [];
  groups.forEach((group, index) => {
    const x = index * (column + gutter);
    const color = palette.groups[index % palette.groups.length]!;
    const g: string[] = [];
    g.push(`<rect x="${round(x)}" y="0" width="${round(column)}" height="${height}" rx="10" fill="${palette.panel}"/>`);
    g.push(`<path d="M${round(x)} ${headerHeight} V10 a10 10 0 0 1 10 -10 H${round(x + column - 10)} a10 10 0 0 1 10 10 V${headerHeight} Z" fill="${color}"/>`);
    const header = headers[index]!;
    g.push(textElement(header, x + pad, (headerHeight - blockHeight(header)) / 2, 'start', 'group'));
    if (notes[index]!.lines.length) g.push(textElement(notes[index]!, x + pad, headerHeight + 12, 'start', 'note'));
    cards[index]!.forEach((card, row) => {
      const y = bodyTop + row * (cardHeight + cardGap);
      g.push(`<g class="entry"><rect x="${round(x + pad)}" y="${round(y)}" width="${round(inner)}" height="${cardHeight}" rx="8" fill="${palette.white}" stroke="${palette.line}" stroke-width="1.5"/>`);
      g.push(`<rect x="${round(x + pad)}" y="${round(y)}" width="6" height="${cardHeight}" rx="3" fill="${color}"/>`);
      const contentHeight = blockHeight(card.name) + (card.owner.lines.length ? 4 + blockHeight(card.owner) : 0);
      let ty = y + (cardHeight - contentHeight) / 2;
      g.push(textElement(card.name, x + pad + 20, ty, 'start', 'name'));
      ty += blockHeight(card.name) + 4;
      g.push(`${textElement(card.owner, x + pad + 20, ty, 'start', 'owner')}</g>`);
    });
    parts.push(`<g class="group">${g.join('')}</g>`);
  });
  const alt = groups
    .map((g) => `${g.title}: ${g.entries.map((e) => (e.owner ? `${e.name} (${e.owner})` : e.name)).join(', ')}`)
    .join('; ');
  return { svg: svgDocument(width, height, options.lang, parts.join('')), width, height, alt };
}

/** The data URI of a chart, base64 so no character of the SVG needs URL escaping. */
export function chartDataUri(chart: SvgChart): string {
  return `data:image/svg+xml;base64,${Buffer.from(chart.svg, 'utf8').toString('base64')}`;
}
