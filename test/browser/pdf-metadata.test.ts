import { PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { applyPdfMetadata } from '../../src/browser/pdf-metadata.js';

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
