import type { ExportRequest } from '../../src/browser/export-deck.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Marp } from '@marp-team/marp-core';

export const fixtureDir = fileURLToPath(new URL('../fixtures/browser/', import.meta.url));

/**
 * A stand-in for the render stage's document: marp-core's own slides, wrapped with screen chrome
 * (scaled, spaced slides on a grey backdrop) that `html[data-export]` and print both remove. If the
 * exporter forgot to switch to the export layout, its screenshots would show the chrome.
 */
export function deckHtml(markdown: string, width = 1280, height = 720): { html: string; slideCount: number } {
  const { html, css } = new Marp({ html: true }).render(markdown);
  const slideCount = html.match(/<svg data-marpit-svg/g)?.length ?? 0;
  const slide = 'div.marpit > svg[data-marpit-svg]';
  const document = `<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>fixture</title>
<style>
@page { size: ${width}px ${height}px; margin: 0; }
html, body { margin: 0; padding: 0; }
body { background: #444; }
${slide} { display: block; width: 80vw; height: auto; margin: 4vh auto; box-shadow: 0 0 8px #000; }
html[data-export] body { background: none; }
html[data-export] ${slide} { width: ${width}px; height: ${height}px; margin: 0; box-shadow: none; }
@media print {
  body { background: none; }
  ${slide} { width: ${width}px; height: ${height}px; margin: 0; box-shadow: none; break-after: page; }
  ${slide}:last-of-type { break-after: auto; }
}
</style>
<style>${css}</style>
</head>
<body>${html}</body>
</html>`;
  return { html: document, slideCount };
}

export const fixtureMarkdown = readFileSync(new URL('../fixtures/browser/deck.md', import.meta.url), 'utf8');

/** An export request for a fixture deck: both formats, the fixture folder as the only root. */
export function fixtureRequest(markdown: string, overrides: Partial<ExportRequest> = {}): ExportRequest {
  const { html, slideCount } = deckHtml(markdown);
  return { html, width: 1280, height: 720, slideCount, formats: { pdf: true, png: true }, allowedRoots: [fixtureDir], ...overrides };
}
