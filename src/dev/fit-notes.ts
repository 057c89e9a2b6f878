import type { FitOutcome } from '../fit/auto-fit.js';
import type { DeckFit } from '../fit/fit-report.js';

/** Something slide fit did that the preview panel should mention; not a warning. */
export interface FitNote {
  /** 1-based slide of the deck on screen, when the note is about one. */
  slide?: number;
  message: string;
}

const percent = (scale: number): string => `${Math.round(scale * 100)}%`;
const wrapped = ['', 'long links may wrap anywhere', 'long words may wrap anywhere'] as const;

/**
 * Pure: what fitting did to the deck on screen (`shown`, its first measurement) and what the export
 * does beyond that (`exported`, the final summary): lists it re-splits, and so a different slide
 * count. The preview shows the deck as composed, so a re-split is only described here.
 */
export function fitNotes(shown: FitOutcome, exported: DeckFit, slides: { shown: number; exported: number }): FitNote[] {
  const notes: FitNote[] = [];
  const stillOver = new Set(shown.after.filter((m) => m.overflows.length > 0).map((m) => m.slide));
  for (const fit of shown.fits) {
    const shrunk = stillOver.has(fit.slide) ? `shrunk to ${percent(fit.scale)}, still too big` : `shrunk to ${percent(fit.scale)} to fit`;
    const parts = [fit.scale < 1 ? shrunk : '', wrapped[fit.wrap]].filter(Boolean);
    notes.push({ slide: fit.slide, message: parts.join('; ') });
  }
  for (const split of exported.splits) {
    const first = shown.after.find((m) => m.split?.id === split.list);
    notes.push({
      ...(first ? { slide: first.slide } : {}),
      message: `list ${split.list} does not fit: the export re-splits it, ${split.per} item${split.per === 1 ? '' : 's'} per slide (the preview does not)`,
    });
  }
  if (slides.exported !== slides.shown) {
    notes.push({ message: `the export has ${slides.exported} slides, the preview ${slides.shown}; warnings number the exported slides` });
  }
  return notes.sort((a, b) => (a.slide ?? Infinity) - (b.slide ?? Infinity));
}
