/** XML and unit helpers for the PPTX parts. */

// Characters XML 1.0 forbids, and lone surrogates: never written, whatever the deck holds.
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for an element or a double-quoted attribute. */
export function esc(text: string): string {
  return text.replace(forbidden, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** ` name="value"` for each defined value, in the given order. */
export function attrs(values: Record<string, string | number | boolean | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out += ` ${name}="${esc(typeof value === 'boolean' ? (value ? '1' : '0') : String(value))}"`;
  }
  return out;
}

/** English Metric Units per CSS px (914 400 per inch, 96 px per inch). */
export const emuPerPx = 9525;
export const emu = (px: number): number => Math.round(px * emuPerPx);
/** Hundredths of a point, for font sizes, spacing and letter spacing (1 px = 0.75 pt). */
export const centipoints = (px: number): number => Math.round(px * 75);

export const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export const ns = {
  a: 'http://schemas.openxmlformats.org/drawingml/2006/main',
  r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  p: 'http://schemas.openxmlformats.org/presentationml/2006/main',
  rel: 'http://schemas.openxmlformats.org/package/2006/relationships',
  ct: 'http://schemas.openxmlformats.org/package/2006/content-types',
} as const;

/** Relationship types, as Office writes them. */
export const relType = {
  officeDocument: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
  coreProperties: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
  extendedProperties: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties',
  slide: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide',
  slideLayout: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout',
  slideMaster: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideMaster',
  notesSlide: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide',
  notesMaster: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesMaster',
  theme: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme',
  image: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image',
  hyperlink: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink',
  presProps: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/presProps',
  viewProps: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/viewProps',
  tableStyles: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/tableStyles',
} as const;

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external?: boolean;
}

/** A `.rels` part. */
export function relationships(rels: readonly Relationship[]): string {
  const body = rels.map((r) => `<Relationship${attrs({ Id: r.id, Type: r.type, Target: r.target, TargetMode: r.external ? 'External' : undefined })}/>`).join('');
  return `${xmlHead}<Relationships xmlns="${ns.rel}">${body}</Relationships>`;
}
