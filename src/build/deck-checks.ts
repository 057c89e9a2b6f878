import { sourceMarkerClass, splitMarkerClass } from '../compose/markers.js';
import { WarningCode, type BuildWarning } from '../warnings.js';

/**
 * Checks of a composed deck that need no browser: slides or blocks left empty, text that two
 * slides both show, speaker notes that talk about someone or something no slide shows, and data
 * the deck's plan picked that no slide shows. Each warning names the slide and, where it can, the
 * template line the slide starts at.
 */

/** Something of the data a deck means to show, and a piece of its text to find on the slides. */
export interface Expectation {
  path: string;
  text: string;
}

export interface DeckCheckInput {
  key: string;
  /** The rendered deck (marp-core's HTML, any document around it). */
  html: string;
  /** Speaker notes per slide. */
  notes: readonly string[];
  /** What the plan put in the deck. */
  expected: readonly Expectation[];
  /** People and topics of the data that notes may mention (quote authors, section titles). */
  names: readonly string[];
}

interface Slide {
  number: number;
  /** The slide's HTML without header, footer and markers. */
  body: string;
  /** Its visible text, normalised. */
  text: string;
  template?: string;
  list?: string;
}

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Visible text of an HTML fragment, entities decoded, white space collapsed. */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
    // Inline elements (a <wbr> between Chinese phrases, a span round a compound) join their text.
    .replace(/<\/?(wbr|span|strong|em|b|i|small|a|sup|sub|code)\b[^>]*>/gi, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return named[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text as compared: no case, no spaces (Chinese has none), no punctuation. */
const squeeze = (text: string): string => text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
/** Width in Latin-character units, CJK counting double: what "long enough to matter" measures. */
const weight = (text: string): number => [...text].reduce((n, c) => n + (c.codePointAt(0)! >= 0x1100 ? 2 : 1), 0);

const markerTitle = (html: string, cls: string): string | undefined => new RegExp(`<div class="${cls}" title="([^"]*)"`).exec(html)?.[1];

function slidesOf(html: string): Slide[] {
  const parts = html.split(/<svg\b[^>]*\bdata-marpit-svg\b[^>]*>/).slice(1);
  return parts.map((part, index) => {
    const section = /<section\b[^>]*>([\s\S]*?)<\/section>/.exec(part)?.[1] ?? '';
    const body = section.replace(/<(header|footer)\b[\s\S]*?<\/\1>/gi, '').replace(/<div class="briefgen-[a-z]+"[^>]*><\/div>/g, '');
    return {
      number: index + 1,
      body,
      text: htmlText(body),
      template: markerTitle(section, sourceMarkerClass),
      list: markerTitle(section, splitMarkerClass)?.split(' ')[0],
    };
  });
}

/** Elements of a fragment by tag name: the tag, its class attribute and its inner HTML. */
function elements(html: string, tags: string): Array<{ tag: string; cls: string; inner: string }> {
  const found: Array<{ tag: string; cls: string; inner: string }> = [];
  const re = new RegExp(`<(${tags})\\b([^>]*)>([\\s\\S]*?)</\\1>`, 'gi');
  for (const match of html.matchAll(re)) found.push({ tag: match[1]!.toLowerCase(), cls: /class="([^"]*)"/.exec(match[2]!)?.[1] ?? '', inner: match[3]! });
  return found;
}

/** Blocks whose text is the slide's content (not its title, labels or small print). */
const smallPrint = /\b(kicker|small|source|more|footnote|attribution|cite|meta|said|by|date|actor|owner|label|unit|bar-label|cont)\b/;

export function checkDeck(input: DeckCheckInput): BuildWarning[] {
  const slides = slidesOf(input.html);
  const warnings: BuildWarning[] = [];
  const where = (slide: Slide) => (slide.template ? ` (from ${slide.template})` : slide.list ? ` (list ${slide.list})` : '');
  const warn = (code: BuildWarning['code'], slide: Slide | undefined, message: string) =>
    warnings.push({ code, deck: input.key, ...(slide ? { slide: slide.number } : {}), message: `${message}${slide ? where(slide) : ''}` });

  for (const slide of slides) {
    if (slide.text === '' && !/<(img|svg|video|table)\b/i.test(slide.body)) {
      warn(WarningCode.emptyContent, slide, 'the slide shows nothing');
      continue;
    }
    for (const heading of elements(slide.body, 'h1|h2|h3|h4')) {
      const text = htmlText(heading.inner.replace(/<span class="cont">[\s\S]*?<\/span>/g, ''));
      if (text === '') warn(WarningCode.emptyContent, slide, `an empty heading <${heading.tag}>`);
    }
    for (const item of elements(slide.body, 'li')) {
      if (htmlText(item.inner) === '' && !/<img\b/.test(item.inner)) warn(WarningCode.emptyContent, slide, `an empty ${/\bcards\b/.test(slide.body) ? 'card' : 'list item'}`);
    }
    for (const block of elements(slide.body, 'p|blockquote|div')) {
      if (block.cls && !block.cls.startsWith('briefgen-') && block.tag !== 'div' && htmlText(block.inner) === '') warn(WarningCode.emptyContent, slide, `an empty <${block.tag} class="${block.cls}">`);
      if (block.tag === 'div' && /\b(panel|group)\b/.test(block.cls) && htmlText(block.inner) === '') warn(WarningCode.emptyContent, slide, `an empty ${block.cls}`);
    }
    const title = elements(slide.body, 'h2')[0];
    const lead = elements(slide.body, 'p').find((p) => /\blead\b/.test(p.cls));
    if (title && lead && squeeze(htmlText(lead.inner)) === squeeze(htmlText(title.inner.replace(/<span class="cont">[\s\S]*?<\/span>/g, '')))) {
      warn(WarningCode.repetition, slide, 'the lead repeats the title');
    }
  }

  // Text two slides both show: a block of one slide (40 Latin characters or more) found on another.
  const blocksOf = (slide: Slide) =>
    elements(slide.body, 'li|p|blockquote|td')
      .filter((b) => !smallPrint.test(b.cls))
      .map((b) => htmlText(b.inner))
      .filter((text) => weight(text) >= 40);
  const reported = new Set<string>();
  slides.forEach((slide, i) => {
    for (const text of blocksOf(slide)) {
      const probe = squeeze(text);
      const other = slides.find((s, j) => j < i && squeeze(s.text).includes(probe));
      const pair = other ? `${other.number}-${slide.number}` : '';
      if (other && !reported.has(pair)) {
        reported.add(pair);
        warn(WarningCode.repetition, slide, `repeats text of slide ${other.number}: "${shorten(text)}"`);
      }
    }
  });

  // Notes that name someone or something no slide of the deck shows.
  const deckText = squeeze(slides.map((s) => s.text).join(' '));
  input.notes.forEach((note, index) => {
    const slide = slides[index];
    const said = squeeze(note);
    for (const name of input.names) {
      const probe = squeeze(name);
      if (weight(name) < 4 || !said.includes(probe) || deckText.includes(probe)) continue;
      warn(WarningCode.notesReference, slide, `the speaker notes mention "${name}", which no slide of this deck shows`);
    }
  });

  // What the plan picked, found on some slide.
  for (const { path, text } of input.expected) {
    const probe = squeeze(text);
    if (probe && !deckText.includes(probe)) warn(WarningCode.notShown, undefined, `${path} ("${shorten(text)}") is in the deck's plan but on no slide; check the template that lays it out`);
  }
  return warnings;
}

const shorten = (text: string): string => ([...text].length > 48 ? `${[...text].slice(0, 47).join('')}…` : text);
