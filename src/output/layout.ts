import { join } from 'node:path';

/** Where a deck's files go: `out/<report>/<lang>/<audience>/`. */
export function deckOutputDir(outDir: string, deck: { report: string; language: string; audience: string }): string {
  return join(outDir, deck.report, deck.language, deck.audience);
}

/** The file name of a deck's PDF, Markdown and HTML without extension: `<report>-<lang>-<audience>`. */
export const deckStem = (deck: { report: string; language: string; audience: string }): string => `${deck.report}-${deck.language}-${deck.audience}`;

/** The file name of slide `index` (0-based) of a deck: `slide-01.png` … `slide-120.png`. */
export const slidePngName = (index: number): string => `slide-${String(index + 1).padStart(2, '0')}.png`;

/** One file a deck's build writes, as the manifest lists it, without its size and hash. */
export interface ExpectedFile {
  path: string;
  kind: 'pdf' | 'png' | 'md' | 'html';
  pages: number;
}

/**
 * Pure: exactly the files a build of a deck with `slides` slides writes in the given formats, with
 * `/`-separated paths relative to the output folder. What a stored record claims is checked
 * against this before it is trusted.
 */
export function expectedDeckFiles(deck: { report: string; language: string; audience: string }, slides: number, formats: ReadonlySet<string>): ExpectedFile[] {
  const dir = [deck.report, deck.language, deck.audience].join('/');
  const stem = deckStem(deck);
  const files: ExpectedFile[] = [];
  if (formats.has('pdf')) files.push({ path: `${dir}/${stem}.pdf`, kind: 'pdf', pages: slides });
  if (formats.has('png')) for (let i = 0; i < slides; i += 1) files.push({ path: `${dir}/${slidePngName(i)}`, kind: 'png', pages: 1 });
  if (formats.has('md')) files.push({ path: `${dir}/${stem}.md`, kind: 'md', pages: slides });
  if (formats.has('html')) files.push({ path: `${dir}/${stem}.html`, kind: 'html', pages: slides });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
