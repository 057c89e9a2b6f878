import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlText } from '../../src/build/deck-checks.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/**
 * A PDF a reader can search: every text a shipped deck shows on a slide is in the text layer of
 * that page, character for character (white space aside), in both languages; English is set in a
 * TrueType font embedded as such.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const t = testdir({});
afterAll(() => t.cleanup());

beforeAll(async () => {
  const result = await runCli(['build', '-a', 'all', '--lang', 'all', '--data', join(root, 'content'), '-f', 'pdf,html', '--no-cache', '-q', '-o', t.path('out')]);
  expect(result.code, result.stderr).toBe(0);
}, 240_000);

const decks = () =>
  readdirSync(t.path('out'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pdf'))
    .map((pdf) => ({ pdf: t.path(`out/${pdf}`), html: t.path(`out/${pdf.replace(/\.pdf$/, '.html')}`), key: pdf.split('/').slice(0, 3).join('/') }));

/** The texts of each slide a reader sees: its blocks (headings, paragraphs, list items, cells). */
function slideTexts(html: string): string[][] {
  return html
    .split(/<svg\b[^>]*\bdata-marpit-svg\b[^>]*>/)
    .slice(1)
    .map((part) => part.slice(0, part.lastIndexOf('</foreignObject>')))
    .map((slide) => [...slide.matchAll(/<(h1|h2|h3|p|li|td|th|blockquote)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => htmlText(m[2]!)).filter((text) => text !== ''));
}
const squeeze = (text: string) => text.replace(/\s+/g, '');

describe('the text layer of every shipped PDF', () => {
  it('has, on each page, every text its slide shows', () => {
    const all = decks();
    expect(all.length).toBeGreaterThanOrEqual(18);
    for (const deck of all) {
      const pages = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', deck.pdf, '-'], { encoding: 'utf8' }).split('\f');
      slideTexts(readFileSync(deck.html, 'utf8')).forEach((texts, i) => {
        const page = squeeze(pages[i] ?? '');
        for (const text of texts) expect(page, `${deck.key} slide ${i + 1}`).toContain(squeeze(text));
      });
    }
  });

  it('embeds the English decks\' text font as TrueType, not as Type 3 outlines', () => {
    for (const deck of decks().filter((d) => d.key.includes('/en/'))) {
      const fonts = execFileSync('pdffonts', [deck.pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      expect(fonts.filter((line) => /NotoSans/.test(line)).every((line) => /CID TrueType/.test(line)), deck.key).toBe(true);
      expect(fonts.some((line) => /Type 3/.test(line)), `${deck.key}: ${fonts.join('; ')}`).toBe(false);
    }
  });
});
