import { describe, expect, it } from 'vitest';
import type { FitOutcome } from '../../src/fit/auto-fit.js';
import type { DeckFit } from '../../src/fit/fit-report.js';
import { fitNotes } from '../../src/dev/fit-notes.js';

const tall = { tag: 'li', block: 'ul', text: 'Item', x: 0, y: 120, kind: 'slide' as const };
const shown: FitOutcome = {
  fits: [
    { slide: 2, scale: 0.85, wrap: 0 },
    { slide: 4, scale: 0.75, wrap: 0 },
    { slide: 3, scale: 1, wrap: 1 },
  ],
  css: '',
  before: [],
  after: [
    { slide: 1, overflows: [], needed: 300, available: 560 },
    { slide: 2, overflows: [], needed: 560, available: 560 },
    { slide: 3, overflows: [], needed: 200, available: 560 },
    { slide: 4, overflows: [tall], needed: 900, available: 560, split: { id: 'sections.trends.items', run: 0, per: 12, count: 30 } },
    { slide: 5, overflows: [tall], needed: 900, available: 560, split: { id: 'sections.trends.items', run: 1, per: 12, count: 30 } },
  ],
  breaks: [],
  ms: 1,
};
const noSplit: DeckFit = { minScale: 0.75, fitted: [], splits: [], overflows: [], breaks: [] };

describe('fitNotes', () => {
  it('names each fitted slide of the deck on screen, in slide order', () => {
    const notes = fitNotes({ ...shown, after: shown.after.slice(0, 3) }, noSplit, { shown: 5, exported: 5 });
    expect(notes).toEqual([
      { slide: 2, message: 'shrunk to 85% to fit' },
      { slide: 3, message: 'long links may wrap anywhere' },
      { slide: 4, message: 'shrunk to 75% to fit' },
    ]);
  });

  it('says which list the export re-splits, at its first slide on screen, and that the slide count changes', () => {
    const exported: DeckFit = { ...noSplit, splits: [{ list: 'sections.trends.items', per: 7 }] };
    const notes = fitNotes(shown, exported, { shown: 6, exported: 8 });
    expect(notes.filter((n) => n.slide === 4).map((n) => n.message)).toEqual([
      'shrunk to 75%, still too big',
      'list sections.trends.items does not fit: the export re-splits it, 7 items per slide (the preview does not)',
    ]);
    expect(notes.at(-1)).toEqual({ message: 'the export has 8 slides, the preview 6; warnings number the exported slides' });
  });

  it('has nothing to say about a deck that fits as designed', () => {
    expect(fitNotes({ ...shown, fits: [], after: shown.after.slice(0, 3) }, noSplit, { shown: 3, exported: 3 })).toEqual([]);
  });
});
