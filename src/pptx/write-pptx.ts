import { createHash } from 'node:crypto';
import { itemXml, fillXml, type SlideRefs } from './drawing.js';
import { appProperties, contentTypes, coreProperties, notesMaster, notesSlide, presentation, presProps, slideLayout, slideMaster, tableStyles, theme, viewProps, type ThemeColors, type ThemeFonts } from './package-parts.js';
import type { DeckLayout, LayoutImage, LayoutItem, Rgba, Run, SlideLayout, TextFrame } from './slide-layout.js';
import { ns, relationships, relType, xmlHead, type Relationship } from './xml.js';
import { zip, type ZipEntry } from './zip.js';

/** What the PPTX says about itself (File → Info in PowerPoint). */
export interface PptxProperties {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: readonly string[];
  /** BCP 47 language of the deck, e.g. `zh` (written as `zh-CN`). */
  language?: string;
  /** The document's dates and its zip entries' (`SOURCE_DATE_EPOCH`); absent: now. */
  date?: Date;
}

const application = 'briefgen';
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

function eachRun(items: readonly LayoutItem[], visit: (run: Run, role: LayoutItem['role']) => void): void {
  const frame = (text: TextFrame, role: LayoutItem['role']) => text.paragraphs.forEach((p) => p.runs.forEach((run) => visit(run, role)));
  for (const item of items) {
    if (item.kind === 'shape' && item.text) frame(item.text, item.role);
    else if (item.kind === 'group') eachRun(item.items, visit);
    else if (item.kind === 'table') for (const row of item.rows) for (const cell of row.cells) frame(cell.text, 'table');
  }
}

/** Pure: the deck's fonts by use: headings give the major font, everything else the minor one. */
export function themeFonts(layout: DeckLayout): ThemeFonts {
  const tally = () => new Map<string, number>();
  const major = { latin: tally(), ea: tally() };
  const minor = { latin: tally(), ea: tally() };
  const add = (map: Map<string, number>, font: string | undefined, n: number) => {
    if (font) map.set(font, (map.get(font) ?? 0) + n);
  };
  for (const slide of layout.slides) {
    eachRun(slide.items, (run, role) => {
      const to = role === 'title' || role === 'heading' ? major : minor;
      add(to.latin, run.font.latin, run.text.length);
      if (run.font.eastAsian) add(to.ea, run.font.eastAsian, run.text.length);
    });
  }
  const top = (map: Map<string, number>, fallback: string) => [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? fallback;
  const minorLatin = top(minor.latin, top(major.latin, 'Arial'));
  const minorEastAsian = top(minor.ea, top(major.ea, minorLatin));
  return { minorLatin, minorEastAsian, majorLatin: top(major.latin, minorLatin), majorEastAsian: top(major.ea, minorEastAsian) };
}

const luminance = (hex: string): number => {
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const saturation = (hex: string): number => {
  const v = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const max = Math.max(...v);
  const min = Math.min(...v);
  return max === 0 ? 0 : (max - min) / max;
};

/** Pure: the deck's colours by use, as a theme's palette (PowerPoint's colour picker shows them first). */
export function themeColors(layout: DeckLayout): ThemeColors {
  const text = new Map<string, number>();
  const fills = new Map<string, number>();
  const add = (map: Map<string, number>, color: Rgba | undefined, n: number) => {
    if (color && color.alpha > 0.5) map.set(color.hex, (map.get(color.hex) ?? 0) + n);
  };
  const visit = (items: readonly LayoutItem[]) => {
    for (const item of items) {
      if (item.kind === 'group') visit(item.items);
      if (item.kind === 'shape') {
        const fill = item.style.fill;
        if (fill?.type === 'solid') add(fills, fill.color, item.rect.w * item.rect.h);
        if (item.style.line) add(fills, item.style.line.color, item.rect.w + item.rect.h);
      }
    }
  };
  for (const slide of layout.slides) {
    visit(slide.items);
    eachRun(slide.items, (run) => add(text, run.font.color, run.text.length));
    const bg = slide.background && 'fill' in slide.background ? slide.background.fill : undefined;
    if (bg?.type === 'solid') add(fills, bg.color, layout.width * layout.height);
    if (bg?.type === 'linear') for (const s of bg.stops) add(fills, s.color, (layout.width * layout.height) / bg.stops.length);
  }
  const ranked = (map: Map<string, number>, keep: (hex: string) => boolean) => [...map].filter(([hex]) => keep(hex)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([hex]) => hex);
  const darks = ranked(text, (hex) => luminance(hex) < 0.35);
  const lights = ranked(fills, (hex) => luminance(hex) > 0.85 && hex !== 'ffffff');
  const all = new Map([...fills]);
  for (const [hex, n] of text) all.set(hex, (all.get(hex) ?? 0) + n * 400);
  const accents = ranked(all, (hex) => saturation(hex) > 0.3 && luminance(hex) > 0.05 && luminance(hex) < 0.85);
  const defaults = ['1f4e79', 'd9822b', '0f7b6c', '2e75b6', 'b35c1e', '7f7f7f'];
  const six = [...accents, ...defaults.filter((d) => !accents.includes(d))].slice(0, 6) as ThemeColors['accents'];
  return { dark1: darks[0] ?? '000000', light1: 'ffffff', dark2: darks[1] ?? darks[0] ?? '44546a', light2: lights[0] ?? 'e7e6e6', accents: six, link: six[0] };
}

const extension = (image: LayoutImage): string => (image.type === 'jpeg' ? 'jpeg' : image.type);

/** A `{GUID}` from a hash of `seed`: fields need ids, and random ones would change every build. */
const guid = (seed: string): string => {
  const h = sha256(seed).toUpperCase();
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}}`;
};

interface MediaPart {
  name: string;
  bytes: Uint8Array;
}

function slideXml(slide: SlideLayout, refs: SlideRefs, background: string): string {
  const titleTaken = { done: false };
  const items = slide.items.map((item) => itemXml(item, refs, titleTaken)).join('');
  const group = '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>';
  return `${xmlHead}<p:sld xmlns:a="${ns.a}" xmlns:r="${ns.r}" xmlns:p="${ns.p}"><p:cSld>${background}<p:spTree>${group}${items}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>`;
}

/**
 * Pure: the PPTX of a deck's slide layout, as bytes. Native text boxes, shapes, tables and
 * pictures in the browser's positions; one master and layout; a theme in the deck's fonts and
 * colours; speaker notes; document properties. Equal layouts and properties give equal bytes.
 */
export function writePptx(layout: DeckLayout, properties: PptxProperties = {}): Uint8Array {
  const date = properties.date ?? new Date();
  const fonts = themeFonts(layout);
  const colors = themeColors(layout);
  const media: MediaPart[] = [];
  const mediaByHash = new Map<string, string>();
  const mediaName = (bytes: Uint8Array, ext: string): string => {
    const hash = `${ext}:${sha256(bytes)}`;
    let name = mediaByHash.get(hash);
    if (!name) {
      name = `image${media.length + 1}.${ext}`;
      media.push({ name, bytes });
      mediaByHash.set(hash, name);
    }
    return name;
  };

  const entries: ZipEntry[] = [];
  const notesSlides: number[] = [];
  const slideEntries: ZipEntry[] = [];
  layout.slides.forEach((slide, i) => {
    const number = i + 1;
    const rels: Relationship[] = [{ id: 'rId1', type: relType.slideLayout, target: '../slideLayouts/slideLayout1.xml' }];
    if (slide.notes.trim() !== '') {
      rels.push({ id: 'rId2', type: relType.notesSlide, target: `../notesSlides/notesSlide${number}.xml` });
      notesSlides.push(number);
    }
    const byTarget = new Map<string, string>();
    const rel = (type: string, target: string, external = false): string => {
      const key = `${type} ${target}`;
      let id = byTarget.get(key);
      if (!id) {
        id = `rId${rels.length + 1}`;
        rels.push({ id, type, target, ...(external ? { external } : {}) });
        byTarget.set(key, id);
      }
      return id;
    };
    const imageRel = (index: number): { png: string; svg?: string } => {
      const image = layout.images[index];
      if (!image) throw new Error(`slide ${number} refers to image ${index}, which the layout does not have`);
      const png = rel(relType.image, `../media/${mediaName(image.bytes, extension(image))}`);
      return image.svg ? { png, svg: rel(relType.image, `../media/${mediaName(image.svg, 'svg')}`) } : { png };
    };
    let shapeId = 1;
    let field = 0;
    const refs: SlideRefs = {
      image: imageRel,
      link: (href) => {
        const slideNumber = /^#(\d+)$/.exec(href)?.[1];
        if (slideNumber && Number(slideNumber) >= 1 && Number(slideNumber) <= layout.slides.length) return rel(relType.slide, `slide${slideNumber}.xml`);
        return rel(relType.hyperlink, slideNumber ? '#' : href, !slideNumber);
      },
      fieldId: () => guid(`slide ${number} field ${++field}`),
      nextId: () => ++shapeId,
      eastAsianDefault: fonts.minorEastAsian,
    };
    let background = '';
    const bg = slide.background;
    if (bg && 'fill' in bg) background = `<p:bg><p:bgPr>${fillXml(bg.fill)}<a:effectLst/></p:bgPr></p:bg>`;
    else if (bg && 'image' in bg) background = `<p:bg><p:bgPr><a:blipFill dpi="0" rotWithShape="1"><a:blip r:embed="${imageRel(bg.image).png}"/><a:srcRect/><a:stretch><a:fillRect/></a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg>`;
    const xml = slideXml(slide, refs, background);
    slideEntries.push({ name: `ppt/slides/slide${number}.xml`, bytes: utf8(xml) }, { name: `ppt/slides/_rels/slide${number}.xml.rels`, bytes: utf8(relationships(rels)) });
    if (slide.notes.trim() !== '') {
      slideEntries.push(
        { name: `ppt/notesSlides/notesSlide${number}.xml`, bytes: utf8(notesSlide(slide.notes, slide.lang)) },
        {
          name: `ppt/notesSlides/_rels/notesSlide${number}.xml.rels`,
          bytes: utf8(relationships([
            { id: 'rId1', type: relType.notesMaster, target: '../notesMasters/notesMaster1.xml' },
            { id: 'rId2', type: relType.slide, target: `../slides/slide${number}.xml` },
          ])),
        },
      );
    }
  });

  const slides = layout.slides.length;
  const presentationRels: Relationship[] = [
    { id: 'rId1', type: relType.slideMaster, target: 'slideMasters/slideMaster1.xml' },
    { id: 'rId2', type: relType.notesMaster, target: 'notesMasters/notesMaster1.xml' },
    ...layout.slides.map((_, i) => ({ id: `rId${3 + i}`, type: relType.slide, target: `slides/slide${i + 1}.xml` })),
    { id: `rId${3 + slides}`, type: relType.presProps, target: 'presProps.xml' },
    { id: `rId${4 + slides}`, type: relType.viewProps, target: 'viewProps.xml' },
    { id: `rId${5 + slides}`, type: relType.theme, target: 'theme/theme1.xml' },
    { id: `rId${6 + slides}`, type: relType.tableStyles, target: 'tableStyles.xml' },
  ];
  const language = properties.language ? normalizeLanguage(properties.language) : layout.slides[0]?.lang;
  const themeXml = theme('briefgen', fonts, colors);
  entries.push(
    { name: '[Content_Types].xml', bytes: utf8(contentTypes(slides, notesSlides)) },
    {
      name: '_rels/.rels',
      bytes: utf8(relationships([
        { id: 'rId1', type: relType.officeDocument, target: 'ppt/presentation.xml' },
        { id: 'rId2', type: relType.coreProperties, target: 'docProps/core.xml' },
        { id: 'rId3', type: relType.extendedProperties, target: 'docProps/app.xml' },
      ])),
    },
    { name: 'docProps/core.xml', bytes: utf8(coreProperties({ ...propertiesText(properties), ...(language ? { language } : {}), date, application })) },
    { name: 'docProps/app.xml', bytes: utf8(appProperties({ application, slides, notes: notesSlides.length })) },
    { name: 'ppt/presentation.xml', bytes: utf8(presentation(layout.width, layout.height, slides)) },
    { name: 'ppt/_rels/presentation.xml.rels', bytes: utf8(relationships(presentationRels)) },
    { name: 'ppt/presProps.xml', bytes: utf8(presProps()) },
    { name: 'ppt/viewProps.xml', bytes: utf8(viewProps()) },
    { name: 'ppt/tableStyles.xml', bytes: utf8(tableStyles()) },
    { name: 'ppt/theme/theme1.xml', bytes: utf8(themeXml) },
    { name: 'ppt/theme/theme2.xml', bytes: utf8(themeXml) },
    { name: 'ppt/slideMasters/slideMaster1.xml', bytes: utf8(slideMaster(layout.width, layout.height)) },
    {
      name: 'ppt/slideMasters/_rels/slideMaster1.xml.rels',
      bytes: utf8(relationships([
        { id: 'rId1', type: relType.slideLayout, target: '../slideLayouts/slideLayout1.xml' },
        { id: 'rId2', type: relType.theme, target: '../theme/theme1.xml' },
      ])),
    },
    { name: 'ppt/slideLayouts/slideLayout1.xml', bytes: utf8(slideLayout(layout.width, layout.height)) },
    { name: 'ppt/slideLayouts/_rels/slideLayout1.xml.rels', bytes: utf8(relationships([{ id: 'rId1', type: relType.slideMaster, target: '../slideMasters/slideMaster1.xml' }])) },
    { name: 'ppt/notesMasters/notesMaster1.xml', bytes: utf8(notesMaster()) },
    { name: 'ppt/notesMasters/_rels/notesMaster1.xml.rels', bytes: utf8(relationships([{ id: 'rId1', type: relType.theme, target: '../theme/theme2.xml' }])) },
    ...slideEntries,
    ...media.map((m) => ({ name: `ppt/media/${m.name}`, bytes: m.bytes, store: !m.name.endsWith('.svg') })),
  );
  return zip(entries, date);
}

function propertiesText(p: PptxProperties): { title?: string; author?: string; subject?: string; keywords?: readonly string[] } {
  return {
    ...(p.title ? { title: p.title } : {}),
    ...(p.author ? { author: p.author } : {}),
    ...(p.subject ? { subject: p.subject } : {}),
    ...(p.keywords && p.keywords.length > 0 ? { keywords: p.keywords } : {}),
  };
}

/** `zh` → `zh-CN`, `en` → `en-US`: PowerPoint's languages name a region. */
export function normalizeLanguage(tag: string): string {
  const [primary = '', ...rest] = tag.split(/[-_]/);
  const lower = primary.toLowerCase();
  const region = rest.find((part) => /^[a-z]{2}$/i.test(part));
  if (lower === 'zh') return /hant|tw/i.test(rest.join('-')) ? 'zh-TW' : /hk/i.test(rest.join('-')) ? 'zh-HK' : 'zh-CN';
  if (region) return `${lower}-${region.toUpperCase()}`;
  const regions: Record<string, string> = { en: 'en-US', ja: 'ja-JP', ko: 'ko-KR', de: 'de-DE', fr: 'fr-FR', es: 'es-ES', it: 'it-IT', pt: 'pt-BR', ru: 'ru-RU', nl: 'nl-NL', ar: 'ar-SA', he: 'he-IL' };
  return regions[lower] ?? lower;
}


