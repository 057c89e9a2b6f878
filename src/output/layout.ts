import { join } from 'node:path';

/** Where a deck's files go: `out/<report>/<lang>/<audience>/`. */
export function deckOutputDir(outDir: string, deck: { report: string; language: string; audience: string }): string {
  return join(outDir, deck.report, deck.language, deck.audience);
}

/** The file name of a deck's PDF, Markdown and HTML without extension: `<report>-<lang>-<audience>`. */
export const deckStem = (deck: { report: string; language: string; audience: string }): string => `${deck.report}-${deck.language}-${deck.audience}`;
