import { createHash } from 'node:crypto';

/** Everything that shapes the browser's output for one deck. */
export interface ExportKeyInput {
  /** briefgen's code and export packages ({@link briefgenFingerprint}). */
  fingerprint: string;
  /** Which browser exports: executable path, size and mtime, or `remote` for `--browser-ws`. */
  browser: string;
  /**
   * The rendered, self-contained deck: the product of the data, the deck template and the partials
   * it calls, the theme, the labels, the profile and every image inlined into it.
   */
  html: string;
  width: number;
  height: number;
  slideCount: number;
  formats: { pdf: boolean; png: boolean; pptx?: boolean };
  /** Folders the page may load from: they decide which requests are blocked. */
  allowedRoots: readonly string[];
  /** Title, author, dates, outline… as written into the PDF. */
  pdfMetadata?: unknown;
  /** Slide fit's floor and whether it may change anything. */
  fit?: unknown;
}

/** JSON with object keys sorted at every level, so equal values always give equal text (dates as ISO text). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The version of the key format; bump it when the inputs or the entry layout change. */
export const cacheFormat = 3;

/**
 * Pure: a deck's export cache key. Keyed on the rendered HTML rather than on the template files
 * that produce it, so a deck is rebuilt exactly when something it actually uses changed: a partial
 * it never calls, another audience's profile or another language's labels leave its key alone.
 */
export function exportCacheKey(input: ExportKeyInput): string {
  const { html, ...rest } = input;
  return sha256(canonicalJson({ format: cacheFormat, html: sha256(html), ...rest }));
}
