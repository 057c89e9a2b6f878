import { WarningCode, type BuildWarning } from '../warnings.js';
import type { FitOutcome } from './auto-fit.js';
import type { WordBreak } from './line-breaks.js';
import type { WrapLevel } from './fit-css.js';
import type { SplitOverrides } from '../compose/paginate.js';

/** Overflow a reader would see: what, where, by how much, and where it came from. */
export interface OverflowFinding {
  /** 1-based slide number. */
  slide: number;
  /** The element that first crosses the limit (`li`, `td`, `p`), and the top-level block it is in. */
  element: string;
  block: string;
  /** The element's first words. */
  text: string;
  /** Slide px too wide / too tall. */
  x: number;
  y: number;
  /** `slide`: past the slide's content area; `box`: text past its own element, or clipped by it. */
  kind: 'slide' | 'box';
  /** The content scale the slide ended at (1 = not shrunk). */
  scale: number;
  /** The deck template the slide came from, relative to the templates folder. */
  template?: string;
  /** The paginated list the slide shows, as named in the template (`#n` = n-th paginate block). */
  list?: string;
}

/** A deck's fit, for the `--json` summary and the manifest: deterministic, no timings. */
export interface DeckFit {
  /** The floor used. */
  minScale: number;
  /** Slides shrunk (scale < 1) or allowed to wrap long strings anywhere (see WrapLevel), to fit. */
  fitted: Array<{ slide: number; scale: number; wrap: WrapLevel }>;
  /** Lists re-split by measurement: items per slide now. */
  splits: Array<{ list: string; per: number }>;
  /** Overflow left after fitting and splitting. */
  overflows: OverflowFinding[];
  /** Lines that break inside a word. */
  breaks: WordBreak[];
}

/** Pure: the deck's fit summary from the final measurement. */
export function summarizeFit(outcome: FitOutcome, minScale: number, splits: SplitOverrides, template?: string): DeckFit {
  const scaleOf = new Map(outcome.fits.map((f) => [f.slide, f.scale]));
  const overflows = outcome.after.flatMap((slide) =>
    slide.overflows.map(
      (o): OverflowFinding => ({
        slide: slide.slide,
        element: o.tag,
        block: o.block,
        text: o.text,
        x: o.x,
        y: o.y,
        kind: o.kind,
        scale: scaleOf.get(slide.slide) ?? 1,
        ...(template ? { template } : {}),
        ...(slide.split ? { list: slide.split.id } : {}),
      }),
    ),
  );
  return {
    minScale,
    fitted: outcome.fits.map(({ slide, scale, wrap }) => ({ slide, scale, wrap })),
    splits: [...splits].map(([list, per]) => ({ list, per })).sort((a, b) => a.list.localeCompare(b.list)),
    overflows,
    // Where fitting let long strings wrap anywhere (to make a slide fit), a broken word is its choice.
    breaks: (outcome.breaks ?? []).filter((b) => !outcome.fits.some((f) => f.slide === b.slide && f.wrap > 0)),
  };
}

const percent = (scale: number): string => `${Math.round(scale * 100)}%`;

/** One line a user can act on: `<li> "Item 7 …" (in <ol>) is 2208 px too tall, even at 75% (the floor); …`. */
export function describeOverflow(finding: OverflowFinding, minScale: number): string {
  const what = `<${finding.element}> "${finding.text}"${finding.block !== finding.element ? ` (in <${finding.block}>)` : ''}`;
  const size =
    finding.kind === 'box'
      ? `runs ${Math.max(finding.x, finding.y)} px outside its own box`
      : `is ${[finding.x > 0 ? `${finding.x} px too wide` : '', finding.y > 0 ? `${finding.y} px too tall` : ''].filter(Boolean).join(' and ')}`;
  const at = finding.scale <= minScale + 1e-9 ? `, even at ${percent(finding.scale)} (the floor)` : finding.scale < 1 ? `, at ${percent(finding.scale)}` : '';
  const origin = [finding.template ? `template ${finding.template}` : '', finding.list ? `list ${finding.list}` : ''].filter(Boolean).join(', ');
  return `${what} ${size}${at}${origin ? `; from ${origin}` : ''}`;
}

/** One `overflow` warning per finding, and one `line-break` warning per word broken across lines, naming the slide. */
export function overflowWarnings(deck: string, fit: DeckFit): BuildWarning[] {
  return [
    ...fit.overflows.map((finding) => ({
      code: WarningCode.overflow,
      deck,
      slide: finding.slide,
      message: describeOverflow(finding, fit.minScale),
    })),
    ...fit.breaks.map((b) => ({
      code: WarningCode.lineBreak,
      deck,
      slide: b.slide,
      message: `<${b.element}> breaks ${b.kind === 'compound' ? 'a hyphenated compound' : 'a word'} across lines: "${b.around}"`,
    })),
  ];
}

/** A line for the log about what fitting changed, or undefined when nothing changed. */
export function describeFitted(fit: DeckFit): string | undefined {
  const wrapped = ['', 'long links wrapped', 'long words wrapped'];
  const parts = fit.fitted.map((f) => `slide ${f.slide} ${[f.scale < 1 ? `at ${percent(f.scale)}` : '', wrapped[f.wrap]].filter(Boolean).join(', ')}`.trim());
  const splits = fit.splits.map((s) => `list ${s.list} split ${s.per} per slide`);
  const all = [...parts, ...splits];
  return all.length > 0 ? `fitted: ${all.join('; ')}` : undefined;
}
