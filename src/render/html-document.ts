import { presentCss, presentScript } from './present-script.js';

export { exportingAttribute } from './present-script.js';

/** What goes into the self-contained HTML document around marp-core's output. */
export interface DocumentParts {
  lang: string;
  title: string;
  /** marp-core's CSS (themes, math), already offline. */
  css: string;
  /** marp-core's HTML: `div.marpit` with one `svg[data-marpit-svg]` per slide and its inline script. */
  body: string;
  width: number;
  height: number;
  /** Speaker notes per slide; kept in the document, hidden until the presenter presses N. */
  notes?: readonly string[];
}

/**
 * Set on `<html>` (`data-export`) by the export stage: drops the screen chrome so that, at a viewport
 * of the slide size, every slide is drawn at exactly its own size with no gap, margin or shadow.
 */
export const exportAttribute = 'data-export';

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** `</style` inside a style element would end it early; CSS never needs that sequence literally. */
function guardStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

function documentCss(width: number, height: number): string {
  return `
html, body { margin: 0; padding: 0; }
body { background: #6b6e73; }
div.marpit { display: flex; flex-direction: column; align-items: center; gap: 24px; padding: 24px 0; }
div.marpit > svg[data-marpit-svg] {
  display: block; width: calc(100% - 48px); height: auto; aspect-ratio: ${width} / ${height};
  background: #fff; box-shadow: 0 2px 12px rgb(0 0 0 / 35%);
}
html[${exportAttribute}] { scrollbar-width: none; }
/* briefgen's markers (list runs, template lines) are for its own stages, never part of a layout. */
div.briefgen-split, div.briefgen-src { display: none !important; }
html[${exportAttribute}] body { background: none; }
html[${exportAttribute}] div.marpit { display: block; gap: 0; padding: 0; }
html[${exportAttribute}] div.marpit > svg[data-marpit-svg] {
  width: ${width}px; height: ${height}px; background: none; box-shadow: none;
}
section.speaker-notes { max-width: 960px; margin: 0 auto 24px; padding: 16px 24px; background: #fff; font: 16px/1.6 system-ui, 'Noto Sans CJK SC', sans-serif; }
section.speaker-notes aside + aside { border-top: 1px solid #ddd; margin-top: 12px; padding-top: 12px; }
section.speaker-notes h2 { font-size: 13px; margin: 0 0 4px; color: #666; }
section.speaker-notes p { margin: 0; white-space: pre-wrap; }
html[${exportAttribute}] section.speaker-notes { display: none; }
@page { size: ${width}px ${height}px; margin: 0; }
@media print {
  html, body { background: none; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  div.marpit { display: block; gap: 0; padding: 0; }
  div.marpit > svg[data-marpit-svg] {
    width: ${width}px; height: ${height}px; background: none; box-shadow: none;
    break-after: page; break-inside: avoid;
  }
  div.marpit > svg[data-marpit-svg]:last-of-type { break-after: auto; }
  div.marpit > svg[data-marpit-svg] * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section.speaker-notes { display: none; }
}
`.trim();
}

function notesSection(notes: readonly string[] | undefined): string {
  if (!notes || !notes.some((note) => note.trim())) return '';
  const asides = notes
    .map((note, index) => (note.trim() ? `<aside data-slide="${index + 1}"><h2>${index + 1}</h2><p>${escapeText(note.trim())}</p></aside>` : ''))
    .join('');
  return `<section class="speaker-notes" aria-label="Speaker notes" hidden>${asides}</section>`;
}

/** A complete HTML document that needs no network: everything it loads is inline. */
export function buildDocument(parts: DocumentParts): string {
  return [
    '<!doctype html>',
    `<html lang="${escapeAttribute(parts.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeText(parts.title)}</title>`,
    `<style>${guardStyle(parts.css)}</style>`,
    `<style>${documentCss(parts.width, parts.height)}
${presentCss(parts.width, parts.height)}</style>`,
    '</head>',
    '<body>',
    parts.body,
    notesSection(parts.notes),
    `<script>${presentScript}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
