import type { Page } from 'puppeteer-core';
import { fitCss, fitStyleAttribute, type SlideFit, type WrapLevel } from './fit-css.js';
import { splitMarkerClass } from '../compose/markers.js';
import { findWordBreaks, type WordBreak } from './line-breaks.js';
import { measureSlides, type MeasureArgs, type SlideMeasurement } from './measure-overflow.js';

/** How far a slide may be shrunk, and whether to try at all. */
export interface FitOptions {
  /** Smallest content scale (0.3–1); below it text stops being readable from the back row. */
  minScale: number;
  /** false: measure and report only, change nothing. */
  autoFit: boolean;
}

/** What measuring and fitting one loaded deck found. */
export interface FitOutcome {
  /** Slides that were changed, and how. */
  fits: SlideFit[];
  /** The CSS that applies `fits` (empty when nothing changed); the page already has it. */
  css: string;
  /** Every slide as first measured, before any fitting. */
  before: SlideMeasurement[];
  /** Every slide as finally measured; overflow left here is what a reader would see. */
  after: SlideMeasurement[];
  /** Lines that break inside a word, as finally laid out. */
  breaks: WordBreak[];
  /** Milliseconds spent measuring and fitting. */
  ms: number;
}

/** Scale steps: fine enough to keep as much size as possible, few enough to stay fast. */
const scaleStep = 0.025;
const tolerance = 1;

const floorToStep = (n: number): number => Math.floor(n / scaleStep + 1e-9) * scaleStep;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Pure: the next fit of one overflowing slide, or undefined when nothing more can be done. Text
 * that runs sideways first may wrap anywhere (links first, then all text); what is still too big shrinks, in one
 * estimated jump (text area grows with the square of the scale) and then step by step, never
 * below the floor.
 */
export function nextFit(current: SlideFit, measured: SlideMeasurement, minScale: number): SlideFit | undefined {
  const sideways = measured.overflows.some((o) => o.x > 0);
  const down = measured.overflows.some((o) => o.y > 0);
  if (measured.overflows.length === 0) return undefined;
  if (sideways && current.wrap < 2) {
    // Wrapping alone often fixes a long URL; shrink in the same pass only if it is also too tall.
    const wrap = (current.wrap + 1) as WrapLevel;
    return { ...current, wrap, scale: down ? shrink(current, measured, minScale) ?? current.scale : current.scale };
  }
  const scale = shrink(current, measured, minScale);
  return scale === undefined ? undefined : { ...current, scale };
}

function shrink(current: SlideFit, measured: SlideMeasurement, minScale: number): number | undefined {
  const floor = Math.min(1, Math.max(minScale, 0.3));
  if (current.scale <= floor + 1e-9) return undefined;
  let next = current.scale - scaleStep;
  if (current.scale === 1 && measured.needed > measured.available && measured.available > 0) {
    next = Math.min(next, floorToStep(Math.sqrt(measured.available / measured.needed)));
  }
  return round3(Math.max(floor, next));
}

async function measure(page: Page, slides?: number[]): Promise<SlideMeasurement[]> {
  const args: MeasureArgs = { tolerance, markerClass: splitMarkerClass, ...(slides ? { slides } : {}) };
  return page.evaluate(measureSlides, args);
}

async function applyCss(page: Page, css: string): Promise<void> {
  await page.evaluate(
    (attribute, text) => {
      let style = document.head.querySelector(`style[${attribute}]`);
      if (!style) {
        style = document.createElement('style');
        style.setAttribute(attribute, '');
        document.head.append(style);
      }
      style.textContent = text;
      void document.body.offsetHeight;
    },
    fitStyleAttribute,
    css,
  );
}

/**
 * Measures every slide of the deck loaded in `page` (fonts and images ready) and, with
 * `autoFit`, shrinks overflowing slides until they fit or reach the floor. The fitted state stays
 * in the page, so a PDF or screenshot taken next shows it.
 */
export async function fitSlides(page: Page, options: FitOptions): Promise<FitOutcome> {
  const startedAt = performance.now();
  const before = await measure(page);
  const latest = new Map(before.map((m) => [m.slide, m]));
  const fits = new Map<number, SlideFit>();
  if (options.autoFit) {
    // Each pass changes every slide that still overflows and re-measures only those.
    for (let pass = 0; pass < 40; pass += 1) {
      const changed: number[] = [];
      for (const measured of latest.values()) {
        const current = fits.get(measured.slide) ?? { slide: measured.slide, scale: 1, wrap: 0 as const };
        const next = nextFit(current, measured, options.minScale);
        if (next) {
          fits.set(measured.slide, next);
          changed.push(measured.slide);
        }
      }
      if (changed.length === 0) break;
      await applyCss(page, fitCss([...fits.values()]));
      for (const m of await measure(page, changed)) latest.set(m.slide, m);
    }
  }
  const applied = [...fits.values()].filter((f) => f.scale < 1 || f.wrap > 0).sort((a, b) => a.slide - b.slide);
  const breaks = await page.evaluate(findWordBreaks);
  return {
    breaks,
    fits: applied,
    css: fitCss(applied),
    before,
    after: [...latest.values()].sort((a, b) => a.slide - b.slide),
    ms: Math.round(performance.now() - startedAt),
  };
}
