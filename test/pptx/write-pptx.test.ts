import { describe, expect, it } from 'vitest';
import type { DeckLayout, Paragraph, Run, ShapeItem } from '../../src/pptx/slide-layout.js';
import { normalizeLanguage, themeColors, themeFonts, writePptx } from '../../src/pptx/write-pptx.js';
import { find, packageProblems, readPptx, textBodies } from '../support/pptx.js';

const font = { size: 24, bold: false, italic: false, color: { hex: '1b2433', alpha: 1 }, letterSpacing: 0, underline: false, strike: false, caps: false, latin: 'Noto Sans CJK SC' };
const run = (text: string, extra: Partial<Run> = {}): Run => ({ text, font, lang: 'en-US', ...extra });
const paragraph = (runs: Run[], top: number, extra: Partial<Paragraph> = {}): Paragraph => ({
  runs,
  align: 'l',
  lineHeight: 34.8,
  fontSize: 24,
  ascent: 28,
  descent: 7,
  marginLeft: 0,
  marginRight: 0,
  indent: 0,
  level: 0,
  lines: [{ top, bottom: top + 34.8, baseline: top + 28, left: 80, right: 400, size: 24 }],
  nowrap: false,
  rtl: false,
  ...extra,
});
const textBox = (role: ShapeItem['role'], paragraphs: Paragraph[], y: number): ShapeItem => ({
  kind: 'shape',
  role,
  source: 'p',
  rect: { x: 80, y, w: 1120, h: 40 },
  style: {},
  text: { content: { x: 80, y, w: 1120, h: 40 }, paragraphs, top: y, bottom: y + 40, vertical: 't', grow: true },
});

const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1]);
const layout: DeckLayout = {
  width: 1280,
  height: 720,
  images: [{ type: 'png', bytes: png, svg: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), width: 1, height: 1 }],
  issues: [],
  slides: [
    {
      background: { fill: { type: 'linear', angle: 135, stops: [{ at: 0, color: { hex: '12304d', alpha: 1 } }, { at: 1, color: { hex: '1f4e79', alpha: 1 } }] } },
      items: [
        textBox('title', [paragraph([run('Opening '), run('a new era', { font: { ...font, bold: true } })], 100)], 100),
        textBox('list', [paragraph([run('First point, with a '), run('link', { href: 'https://example.com/a?b=1&c=2' })], 200, { bullet: { type: 'char', char: '■', sizeRatio: 0.6, color: { hex: 'd9822b', alpha: 1 } }, indent: -20, marginLeft: 20, level: 1 })], 200),
        { kind: 'picture', role: 'picture', source: 'img', rect: { x: 80, y: 300, w: 400, h: 200 }, image: 0, alt: 'A timeline', opacity: 1 },
        {
          kind: 'group',
          role: 'group',
          source: 'li',
          rect: { x: 600, y: 300, w: 300, h: 150 },
          items: [
            { kind: 'shape', role: 'card', source: 'li', rect: { x: 600, y: 300, w: 300, h: 150 }, style: { fill: { type: 'solid', color: { hex: 'ffffff', alpha: 1 } }, line: { width: 1, color: { hex: 'dbe2ea', alpha: 1 }, dash: 'solid' }, radii: [4, 4, 10, 10] } },
            { kind: 'shape', role: 'shape', source: 'li border', rect: { x: 600, y: 300, w: 300, h: 5 }, style: { fill: { type: 'solid', color: { hex: '1f4e79', alpha: 1 } } } },
          ],
        },
      ],
      notes: 'First line of the notes.\nSecond line.',
      lang: 'en-US',
    },
    {
      items: [textBox('paragraph', [paragraph([run('大模型', { lang: 'zh-CN', font: { ...font, eastAsian: 'Noto Sans CJK SC' } }), run('2', { field: 'slidenum' })], 100)], 100)],
      notes: '',
      lang: 'zh-CN',
    },
  ],
};
const properties = { title: 'A deck', author: 'Someone', subject: 'For testing', keywords: ['one', 'two'], language: 'zh', date: new Date(Date.UTC(2024, 5, 12)) };

describe('writePptx', () => {
  const bytes = writePptx(layout, properties);
  const pptx = readPptx(bytes);

  it('writes a package PowerPoint accepts', () => {
    expect(packageProblems(pptx)).toEqual([]);
    expect(pptx.slides).toEqual(['ppt/slides/slide1.xml', 'ppt/slides/slide2.xml']);
  });

  it('gives the same bytes for the same layout and date, and other bytes for another date', () => {
    expect(Buffer.from(writePptx(layout, properties)).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(writePptx(layout, { ...properties, date: new Date(Date.UTC(2025, 0, 1)) })).equals(Buffer.from(bytes))).toBe(false);
  });

  it('writes text as runs, the first heading as the slide’s title placeholder, links as relationships', () => {
    const slide = pptx.xml('ppt/slides/slide1.xml');
    expect(textBodies(slide)).toEqual(['Opening a new era', 'First point, with a link']);
    expect(find(slide, 'p:ph').map((ph) => ph.attrs.type)).toEqual(['title']);
    const bold = find(slide, 'a:rPr').filter((r) => r.attrs.b === '1');
    expect(bold).toHaveLength(1);
    expect(pptx.text('ppt/slides/_rels/slide1.xml.rels')).toContain('Target="https://example.com/a?b=1&amp;c=2" TargetMode="External"');
    expect(find(slide, 'a:buChar')[0]?.attrs.char).toBe('■');
    expect(find(slide, 'a:buSzPct')[0]?.attrs.val).toBe('60000');
  });

  it('draws a CSS gradient background as a DrawingML one, and a card with corners of two radii', () => {
    const slide = pptx.xml('ppt/slides/slide1.xml');
    const bg = find(slide, 'p:bg')[0]!;
    expect(find(bg, 'a:lin')[0]?.attrs.ang).toBe(String(45 * 60000));
    expect(find(bg, 'a:gs').map((g) => g.attrs.pos)).toEqual(['0', '100000']);
    expect(find(slide, 'a:prstGeom').map((g) => g.attrs.prst)).toContain('round2SameRect');
    expect(find(slide, 'p:grpSp')).toHaveLength(1);
  });

  it('embeds an SVG with its PNG fallback, and the alt text as the picture’s description', () => {
    const slide = pptx.xml('ppt/slides/slide1.xml');
    const pic = find(slide, 'p:pic')[0]!;
    expect(find(pic, 'p:cNvPr')[0]?.attrs.descr).toBe('A timeline');
    expect(find(pic, 'asvg:svgBlip')).toHaveLength(1);
    expect([...pptx.parts.keys()].filter((k) => k.startsWith('ppt/media/'))).toEqual(['ppt/media/image1.png', 'ppt/media/image2.svg']);
  });

  it('writes the speaker notes, one paragraph per line, and no notes page for a slide without', () => {
    const notes = find(pptx.xml('ppt/notesSlides/notesSlide1.xml'), 'p:sp').find((sp) => find(sp, 'p:ph')[0]?.attrs.type === 'body')!;
    expect(find(notes, 'a:p').map((p) => find(p, 'a:t')[0]?.text)).toEqual(['First line of the notes.', 'Second line.']);
    expect(pptx.parts.has('ppt/notesSlides/notesSlide2.xml')).toBe(false);
  });

  it('marks Chinese runs with their language and East Asian font, and the slide number as a field', () => {
    const slide = pptx.xml('ppt/slides/slide2.xml');
    const rPr = find(slide, 'a:r')[0]!.children[0]!;
    expect(rPr.attrs.lang).toBe('zh-CN');
    expect(rPr.attrs.altLang).toBe('en-US');
    expect(find(rPr, 'a:ea')[0]?.attrs.typeface).toBe('Noto Sans CJK SC');
    expect(find(slide, 'a:fld')[0]?.attrs.type).toBe('slidenum');
  });

  it('writes the document properties', () => {
    const core = pptx.text('docProps/core.xml');
    for (const part of ['<dc:title>A deck</dc:title>', '<dc:creator>Someone</dc:creator>', '<dc:subject>For testing</dc:subject>', '<cp:keywords>one, two</cp:keywords>', '<dc:language>zh-CN</dc:language>', '2024-06-12T00:00:00Z']) {
      expect(core).toContain(part);
    }
    expect(pptx.text('docProps/app.xml')).toContain('<Slides>2</Slides><Notes>1</Notes>');
  });
});

describe('theme of a deck', () => {
  it('takes its fonts from the text: headings for the major font, the rest for the minor one', () => {
    expect(themeFonts(layout)).toEqual({ majorLatin: 'Noto Sans CJK SC', majorEastAsian: 'Noto Sans CJK SC', minorLatin: 'Noto Sans CJK SC', minorEastAsian: 'Noto Sans CJK SC' });
  });

  it('takes its palette from the colours the slides use most', () => {
    const colors = themeColors(layout);
    expect(colors.dark1).toBe('1b2433');
    expect(colors.accents[0]).toBe('1f4e79');
    expect(colors.accents).toContain('d9822b');
  });
});

describe('normalizeLanguage', () => {
  it.each([
    ['zh', 'zh-CN'],
    ['zh-Hant', 'zh-TW'],
    ['en', 'en-US'],
    ['en-GB', 'en-GB'],
    ['ja', 'ja-JP'],
    ['tlh', 'tlh'],
  ])('%s → %s', (tag, expected) => expect(normalizeLanguage(tag)).toBe(expected));
});
