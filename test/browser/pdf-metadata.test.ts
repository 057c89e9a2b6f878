import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { applyPdfMetadata, slideOutline } from '../../src/browser/pdf-metadata.js';

async function sourcePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([960, 540]);
  doc.addPage([960, 540]);
  doc.setTitle('Original title');
  doc.setCreator('Chromium');
  doc.setProducer('Skia/PDF');
  doc.setCreationDate(new Date('2020-01-01T00:00:00Z'));
  return doc.save();
}

describe('applyPdfMetadata', () => {
  it('writes the given fields, language and dates', async () => {
    const date = new Date('2024-05-06T07:08:09Z');
    const { bytes, pageCount } = await applyPdfMetadata(await sourcePdf(), {
      title: '简报',
      author: 'A. Author',
      subject: 'Subject',
      keywords: ['one', 'two words'],
      language: 'zh-CN',
      creator: 'briefgen 0.1',
      date,
    });
    expect(pageCount).toBe(2);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getTitle()).toBe('简报');
    expect(doc.getAuthor()).toBe('A. Author');
    expect(doc.getSubject()).toBe('Subject');
    expect(doc.getKeywords()).toBe('one, two words');
    expect(doc.getCreator()).toBe('briefgen 0.1');
    expect(doc.getProducer()).toBe('briefgen');
    expect(doc.getCreationDate()?.toISOString()).toBe(date.toISOString());
    expect(doc.getModificationDate()?.toISOString()).toBe(date.toISOString());
    expect(doc.catalog.get(PDFName.of('Lang'))?.toString()).toBe('(zh-CN)');
  });

  it('keeps what was not given, except the producer', async () => {
    const { bytes } = await applyPdfMetadata(await sourcePdf());
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getTitle()).toBe('Original title');
    expect(doc.getCreator()).toBe('Chromium');
    expect(doc.getProducer()).toBe('briefgen');
    expect(doc.getCreationDate()?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(doc.getPageCount()).toBe(2);
  });
});

describe('applyPdfMetadata: /ID and outline', () => {
  const outlineTitles = async (bytes: Uint8Array) => {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const outlines = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict);
    const titles: string[] = [];
    const walk = (ref: PDFRef | undefined, depth: number) => {
      for (; ref; ref = doc.context.lookup(ref, PDFDict).get(PDFName.of('Next')) as PDFRef | undefined) {
        const item = doc.context.lookup(ref, PDFDict);
        titles.push(`${'  '.repeat(depth)}${(item.get(PDFName.of('Title')) as PDFHexString).decodeText()}`);
        walk(item.get(PDFName.of('First')) as PDFRef | undefined, depth + 1);
      }
    };
    walk(outlines.get(PDFName.of('First')) as PDFRef | undefined, 0);
    return { titles, count: (outlines.get(PDFName.of('Count')) as PDFNumber).asNumber() };
  };

  it('gives equal documents equal IDs, and different documents different ones', async () => {
    const date = new Date('2024-01-01T00:00:00Z');
    const idOf = (bytes: Uint8Array) => /\/ID \[ <([0-9a-f]{32})>/.exec(Buffer.from(bytes).toString('latin1'))?.[1];
    const a = await applyPdfMetadata(await sourcePdf(), { title: 'A', date });
    const again = await applyPdfMetadata(await sourcePdf(), { title: 'A', date });
    const b = await applyPdfMetadata(await sourcePdf(), { title: 'B', date });
    expect(idOf(a.bytes)).toMatch(/^[0-9a-f]{32}$/);
    expect(Buffer.from(again.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(idOf(b.bytes)).not.toBe(idOf(a.bytes));
  });

  it('writes nested, open bookmarks in Unicode and skips entries past the last page', async () => {
    const { bytes } = await applyPdfMetadata(await sourcePdf(), {
      outline: [
        { title: '封面', page: 0 },
        { title: 'Part one', page: 1, children: [{ title: 'Détail', page: 1 }] },
        { title: 'Nowhere', page: 7 },
      ],
    });
    expect(await outlineTitles(bytes)).toEqual({ titles: ['封面', 'Part one', '  Détail'], count: 3 });
  });
});

describe('slideOutline', () => {
  const slide = (inner: string, cls = '') => `<svg data-marpit-svg="" viewBox="0 0 1280 720"><foreignObject width="1280" height="720"><section id="x"${cls ? ` class="${cls}"` : ''}>${inner}</section></foreignObject></svg>`;
  const html = [
    slide('<h1>Cover &amp; <em>title</em></h1><h2>Subtitle</h2>', 'title'),
    slide('<h2>At a glance</h2>'),
    slide('<p class="kicker">01</p><h2>Policy</h2>', 'section'),
    slide('<h2>Timeline</h2>', 'timeline'),
    slide('<blockquote>No heading here</blockquote>', 'quote'),
    slide('<h1>Part &#x32;</h1>'),
    slide('<h2>Details</h2>', 'cards'),
    slide('<h2>So what</h2>', 'closing'),
  ].join('\n');

  it('makes one bookmark per headed slide, grouping slides under section dividers', () => {
    expect(slideOutline(html, 8)).toEqual([
      { title: 'Cover & title', page: 0 },
      { title: 'At a glance', page: 1 },
      { title: 'Policy', page: 2, children: [{ title: 'Timeline', page: 3 }] },
      { title: 'Part 2', page: 5, children: [{ title: 'Details', page: 6 }] },
      { title: 'So what', page: 7 },
    ]);
  });

  it('gives up rather than guess when the slide count does not match', () => {
    expect(slideOutline(html, 9)).toEqual([]);
    expect(slideOutline('<p>not a deck</p>')).toEqual([]);
  });
});

describe('applyPdfMetadata: structure ids', () => {
  it('renumbers Chromium node ids in their order, everywhere they are used', async () => {
    const doc = await PDFDocument.load(await sourcePdf(), { updateMetadata: false });
    const { context } = doc;
    const th = (id: string) => context.register(context.obj({ Type: 'StructElem', S: 'TH', ID: PDFString.of(id) }));
    const first = th('node00000900');
    const second = th('node00000899');
    const td = context.register(context.obj({ Type: 'StructElem', S: 'TD', A: [{ O: 'Table', Headers: [PDFString.of('node00000900')] }] }));
    const idTree = context.register(context.obj({ Names: [PDFString.of('node00000899'), second, PDFString.of('node00000900'), first], Limits: [PDFString.of('node00000899'), PDFString.of('node00000900')] }));
    const other = context.register(context.obj({ Title: PDFString.of('node00000900 is only text here') }));
    const { bytes } = await applyPdfMetadata(await doc.save());
    const back = await PDFDocument.load(bytes, { updateMetadata: false });
    const text = (ref: PDFRef, ...path: Array<string | number>) => {
      let value: unknown = back.context.lookup(ref);
      for (const step of path) value = typeof step === 'number' ? (value as PDFArray).get(step) : (value as PDFDict).get(PDFName.of(step));
      return (value as PDFString).decodeText();
    };
    expect(text(first, 'ID')).toBe('id2');
    expect(text(second, 'ID')).toBe('id1');
    const headers = ((back.context.lookup(td, PDFDict).get(PDFName.of('A')) as PDFArray).get(0) as PDFDict).get(PDFName.of('Headers')) as PDFArray;
    expect((headers.get(0) as PDFString).decodeText()).toBe('id2');
    expect([0, 2].map((i) => text(idTree, 'Names', i))).toEqual(['id1', 'id2']);
    expect([0, 1].map((i) => text(idTree, 'Limits', i))).toEqual(['id1', 'id2']);
    expect(text(other, 'Title')).toBe('node00000900 is only text here');
  });
});
