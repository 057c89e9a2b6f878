import { PDFDocument } from 'pdf-lib';

export interface PdfMetadata {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string[];
  /** BCP 47 tag, written to the document catalog's /Lang. */
  language?: string;
  creator?: string;
  /** Default `'briefgen'`. */
  producer?: string;
  /** Creation and modification date; without it Chromium's timestamps stay. */
  date?: Date;
}

export interface StampedPdf {
  bytes: Uint8Array;
  pageCount: number;
}

/**
 * Writes `metadata` into a PDF and leaves everything else as its producer made it. Fields not
 * given keep their current values, except the producer, which always becomes briefgen's.
 */
export async function applyPdfMetadata(pdf: Uint8Array, metadata: PdfMetadata = {}): Promise<StampedPdf> {
  // updateMetadata: false, or pdf-lib stamps itself as producer and creator and resets the dates.
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  if (metadata.title !== undefined) doc.setTitle(metadata.title, { showInWindowTitleBar: true });
  if (metadata.author !== undefined) doc.setAuthor(metadata.author);
  if (metadata.subject !== undefined) doc.setSubject(metadata.subject);
  // pdf-lib joins keywords with spaces, which garbles multi-word keywords; commas read back cleanly.
  if (metadata.keywords?.length) doc.setKeywords([metadata.keywords.join(', ')]);
  if (metadata.language !== undefined) doc.setLanguage(metadata.language);
  if (metadata.creator !== undefined) doc.setCreator(metadata.creator);
  doc.setProducer(metadata.producer ?? 'briefgen');
  if (metadata.date !== undefined) {
    doc.setCreationDate(metadata.date);
    doc.setModificationDate(metadata.date);
  }
  const bytes = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  return { bytes, pageCount: doc.getPageCount() };
}
