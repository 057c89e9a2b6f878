import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFStream, PDFString, type PDFObject, type PDFRef } from 'pdf-lib';

/** One bookmark of the PDF outline: a title, the 0-based page it opens, and nested bookmarks. */
export interface OutlineEntry {
  title: string;
  page: number;
  children?: OutlineEntry[];
}

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
  /** Bookmarks; pages beyond the document are dropped. */
  outline?: OutlineEntry[];
}

export interface StampedPdf {
  bytes: Uint8Array;
  pageCount: number;
}

/**
 * Writes `metadata` into a PDF and leaves everything else as its producer made it. Fields not
 * given keep their current values, except the producer, which always becomes briefgen's, and the
 * trailer /ID, which becomes a hash of the finished document: equal documents get equal IDs, so
 * with a fixed `date` the same deck always gives the same bytes.
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
  if (metadata.outline?.length) writeOutline(doc, metadata.outline);
  renumberStructureIds(doc);
  const options = { useObjectStreams: false, updateFieldAppearances: false };
  // The /ID identifies the content: hash the document as saved without one, then save it with it.
  doc.context.trailerInfo.ID = undefined;
  const id = createHash('sha256').update(await doc.save(options)).digest('hex').slice(0, 32);
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  const bytes = await doc.save(options);
  return { bytes, pageCount: doc.getPageCount() };
}

/**
 * Chromium's tagged PDFs name table header cells by DOM node id (`/ID (node00000846)`, referenced
 * from data cells' /Headers and the /IDTree). Node ids count every node the renderer made before,
 * so they depend on which decks a pooled page showed earlier: renumbered here in their original
 * order (which keeps the /IDTree sorted), the same deck always gets the same ids.
 */
function renumberStructureIds(doc: PDFDocument): void {
  const ids = new Set<string>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('StructElem')) continue;
    const id = object.get(PDFName.of('ID'));
    if (id instanceof PDFString || id instanceof PDFHexString) ids.add(id.decodeText());
  }
  if (ids.size === 0) return;
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const width = String(sorted.length).length;
  const renamed = new Map(sorted.map((id, i) => [id, `id${String(i + 1).padStart(width, '0')}`]));
  const swap = (value: PDFObject): PDFObject | undefined => {
    if (!(value instanceof PDFString || value instanceof PDFHexString)) return undefined;
    const next = renamed.get(value.decodeText());
    return next === undefined ? undefined : PDFString.of(next);
  };
  const visit = (object: PDFObject): void => {
    if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) {
        const replaced = swap(value);
        if (replaced) object.set(key, replaced);
        else visit(value);
      }
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i += 1) {
        const replaced = swap(object.get(i));
        if (replaced) object.set(i, replaced);
        else visit(object.get(i));
      }
    } else if (object instanceof PDFStream) {
      visit(object.dict);
    }
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(object);
}

/** Builds the /Outlines tree (bookmarks, all open) and asks viewers to show it. */
function writeOutline(doc: PDFDocument, entries: readonly OutlineEntry[]): void {
  const { context } = doc;
  const pages = doc.getPages();
  const usable = (list: readonly OutlineEntry[]): OutlineEntry[] =>
    list.filter((e) => Number.isInteger(e.page) && e.page >= 0 && e.page < pages.length && e.title.trim() !== '');
  /** Writes `list` under `parent`; returns its first and last refs and how many items it shows. */
  const writeLevel = (list: readonly OutlineEntry[], parent: PDFRef): { first: PDFRef; last: PDFRef; count: number } | undefined => {
    const items = usable(list);
    if (items.length === 0) return undefined;
    const refs = items.map(() => context.nextRef());
    let count = items.length;
    items.forEach((item, i) => {
      const dict = context.obj({});
      dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title.trim()));
      dict.set(PDFName.of('Parent'), parent);
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < refs.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
      dict.set(PDFName.of('Dest'), context.obj([pages[item.page]!.ref, PDFName.of('Fit')]));
      const children = writeLevel(item.children ?? [], refs[i]!);
      if (children) {
        dict.set(PDFName.of('First'), children.first);
        dict.set(PDFName.of('Last'), children.last);
        // A positive count means open: the reader sees the children without a click.
        dict.set(PDFName.of('Count'), PDFNumber.of(children.count));
        count += children.count;
      }
      context.assign(refs[i]!, dict);
    });
    return { first: refs[0]!, last: refs.at(-1)!, count };
  };
  const rootRef = context.nextRef();
  const top = writeLevel(entries, rootRef);
  if (!top) return;
  context.assign(rootRef, context.obj({ Type: 'Outlines', First: top.first, Last: top.last, Count: top.count }));
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The text of an HTML fragment: tags dropped, entities decoded, white space collapsed. */
function htmlText(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return entities[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Pure: bookmarks for a deck rendered by marp-core, one per slide with a heading (its first h1 or
 * h2). The cover and the closing slide stay at the top level; a section divider (a slide of class
 * `section`, or a later slide headed by an h1) opens a group that holds the slides after it.
 * Returns `[]` when the HTML does not look like a Marp deck of `slideCount` slides.
 */
export function slideOutline(html: string, slideCount?: number): OutlineEntry[] {
  // Each slide up to the end of its last foreignObject: what follows the last slide (speaker notes) is not one.
  const slides = html
    .split(/<svg\b[^>]*\bdata-marpit-svg\b[^>]*>/)
    .slice(1)
    .map((part) => part.slice(0, Math.max(0, part.lastIndexOf('</foreignObject>'))));
  if (slides.length === 0 || (slideCount !== undefined && slides.length !== slideCount)) return [];
  const outline: OutlineEntry[] = [];
  let group: OutlineEntry | undefined;
  slides.forEach((slide, page) => {
    const classes = (/<section\b[^>]*?\sclass="([^"]*)"/.exec(slide)?.[1] ?? '').split(/\s+/);
    const heading = /<(h[12])\b[^>]*>([\s\S]*?)<\/\1>/.exec(slide);
    const title = heading ? htmlText(heading[2]!) : '';
    const edge = page === 0 || classes.includes('title') || classes.includes('closing');
    if (edge) group = undefined;
    if (!title) return;
    const entry: OutlineEntry = { title, page };
    if (!edge && (classes.includes('section') || heading![1] === 'h1')) {
      group = entry;
      outline.push(entry);
    } else if (group && !edge) {
      (group.children ??= []).push(entry);
    } else {
      outline.push(entry);
    }
  });
  return outline;
}
