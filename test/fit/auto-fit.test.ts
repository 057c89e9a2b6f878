import { describe, expect, it } from 'vitest';
import { nextFit, type FitOutcome } from '../../src/fit/auto-fit.js';
import { fitCss, injectFitCss } from '../../src/fit/fit-css.js';
import { resolveFitOptions, themeMinScale } from '../../src/fit/fit-options.js';
import { describeFitted, describeOverflow, overflowWarnings, summarizeFit } from '../../src/fit/fit-report.js';
import type { MeasuredOverflow, SlideMeasurement } from '../../src/fit/measure-overflow.js';
import { planSplits } from '../../src/fit/split-plan.js';

const over = (x: number, y: number, extra: Partial<MeasuredOverflow> = {}): MeasuredOverflow => ({ tag: 'p', block: 'p', text: 'Some words', x, y, kind: 'slide', ...extra });
const slide = (n: number, overflows: MeasuredOverflow[], extra: Partial<SlideMeasurement> = {}): SlideMeasurement => ({ slide: n, overflows, needed: 600, available: 584, ...extra });
const asIs = (n: number) => ({ slide: n, scale: 1, wrap: 0 as const });

describe('nextFit', () => {
  it('leaves a slide that fits alone', () => {
    expect(nextFit(asIs(1), slide(1, []), 0.75)).toBeUndefined();
  });

  it('jumps to the estimated scale first, then steps down to the floor and stops there', () => {
    const tall = slide(1, [over(0, 400)], { needed: 984, available: 584 });
    const first = nextFit(asIs(1), tall, 0.6)!;
    // sqrt(584 / 984) = 0.77 → 0.75 on the 0.025 grid.
    expect(first).toEqual({ slide: 1, scale: 0.75, wrap: 0 });
    expect(nextFit(first, tall, 0.6)).toEqual({ slide: 1, scale: 0.725, wrap: 0 });
    expect(nextFit({ ...first, scale: 0.61 }, tall, 0.6)).toEqual({ slide: 1, scale: 0.6, wrap: 0 });
    expect(nextFit({ ...first, scale: 0.6 }, tall, 0.6)).toBeUndefined();
  });

  it('never estimates below the floor', () => {
    const hopeless = slide(1, [over(0, 4000)], { needed: 4584, available: 584 });
    expect(nextFit(asIs(1), hopeless, 0.75)?.scale).toBe(0.75);
  });

  it('lets long links wrap, then all long words, before shrinking a slide that is only too wide', () => {
    const wide = slide(2, [over(300, 0)], { needed: 300 });
    expect(nextFit(asIs(2), wide, 0.75)).toEqual({ slide: 2, scale: 1, wrap: 1 });
    expect(nextFit({ slide: 2, scale: 1, wrap: 1 }, wide, 0.75)).toEqual({ slide: 2, scale: 1, wrap: 2 });
    expect(nextFit({ slide: 2, scale: 1, wrap: 2 }, wide, 0.75)).toEqual({ slide: 2, scale: 0.975, wrap: 2 });
  });

  it('wraps and shrinks at once a slide that is too wide and too tall', () => {
    const both = slide(3, [over(300, 0), over(0, 50)], { needed: 634 });
    expect(nextFit(asIs(3), both, 0.75)).toEqual({ slide: 3, scale: 0.95, wrap: 1 });
  });
});

describe('planSplits', () => {
  const marked = (n: number, per: number, overflows: MeasuredOverflow[], needed = 1200) =>
    slide(n, overflows, { needed, available: 600, split: { id: 'items', run: n - 1, per, count: 40 } });
  const atFloor = (after: SlideMeasurement[], before: SlideMeasurement[] = after) => ({ before, after });

  it('asks for as many items per slide as fit at full size, where a marked slide is still too tall at the floor', () => {
    // At full size the 12 items needed 1200 px of 600: six fit.
    const before = [marked(1, 12, [over(0, 600)], 1200)];
    const after = [marked(1, 12, [over(0, 200)], 800)];
    expect(planSplits(atFloor(after, before), new Map())).toEqual(new Map([['items', 6]]));
  });

  it('always asks for at least one fewer, and one is the least', () => {
    expect(planSplits(atFloor([marked(1, 12, [over(0, 5)], 605)]), new Map())).toEqual(new Map([['items', 11]]));
    expect(planSplits(atFloor([marked(1, 2, [over(0, 5000)], 6000)]), new Map())).toEqual(new Map([['items', 1]]));
    expect(planSplits(atFloor([marked(1, 1, [over(0, 500)])]), new Map())).toBeUndefined();
  });

  it('ignores slides that fit, are only too wide, or come from no list', () => {
    expect(planSplits(atFloor([marked(1, 12, []), marked(2, 12, [over(40, 0)]), slide(3, [over(0, 300)])]), new Map())).toBeUndefined();
  });

  it('takes the smallest run any slide of the list needs, keeping other lists as they were', () => {
    const plan = planSplits(atFloor([marked(1, 12, [over(0, 100)], 700), marked(2, 12, [over(0, 600)])]), new Map([['other', 3]]));
    expect(plan).toEqual(new Map([['other', 3], ['items', 6]]));
  });
});

describe('fit CSS', () => {
  it('zooms the content blocks of the fitted slides only, never header or footer', () => {
    const css = fitCss([{ slide: 3, scale: 0.85, wrap: 0 }, { slide: 1, scale: 1, wrap: 1 }, { slide: 2, scale: 1, wrap: 2 }]);
    const lines = css.split('\n');
    const slide = (n: number) => `svg[data-marpit-svg]:nth-of-type(${n}) > foreignObject > section:not([data-marpit-advanced-background="background"]):not([data-marpit-advanced-background="pseudo"]) > :not(header):not(footer)`;
    const anywhere = '{ overflow-wrap: anywhere; word-break: normal; }';
    expect(lines).toEqual([
      `${slide(1)} a, ${slide(1)} code ${anywhere}`,
      `${slide(2)} a, ${slide(2)} code ${anywhere}`,
      `${slide(2)}, ${slide(2)} *:not(th) ${anywhere}`,
      `${slide(3)} { zoom: 0.85; }`,
    ]);
    expect(fitCss([])).toBe('');
  });

  it('goes at the end of the head of the written HTML, and nowhere when there is nothing to fit', () => {
    const html = '<!doctype html><html><head><style>a{}</style></head><body></body></html>';
    const fitted = injectFitCss(html, 'x { zoom: 0.9; }');
    expect(fitted).toBe('<!doctype html><html><head><style>a{}</style><style data-briefgen-fit>\nx { zoom: 0.9; }\n</style>\n</head><body></body></html>');
    expect(injectFitCss(html, '')).toBe(html);
  });
});

describe('fit options', () => {
  it('takes the floor from the audience, else the theme, else 0.75', () => {
    const theme = '/* @theme t */\n/* @fit-min-scale 0.8 */';
    expect(resolveFitOptions({ minScale: 0.6 }, theme)).toEqual({ minScale: 0.6, autoFit: true });
    expect(resolveFitOptions({}, theme)).toEqual({ minScale: 0.8, autoFit: true });
    expect(resolveFitOptions(undefined, '/* @theme t */')).toEqual({ minScale: 0.75, autoFit: true });
    expect(themeMinScale('/* @fit-min-scale 0.1 */')).toBeUndefined();
  });

  it('measures only when the audience or the caller turns auto-fit off', () => {
    expect(resolveFitOptions({ auto: false }, undefined).autoFit).toBe(false);
    expect(resolveFitOptions({}, undefined, false).autoFit).toBe(false);
  });
});

describe('fit report', () => {
  const outcome: FitOutcome = {
    fits: [{ slide: 2, scale: 0.75, wrap: 0 }, { slide: 4, scale: 0.9, wrap: 1 }],
    css: '',
    before: [],
    after: [
      slide(1, []),
      slide(2, [over(0, 212, { tag: 'li', block: 'ol', text: 'Item 9 about the thing' })], { split: { id: 'sections.x.items', run: 0, per: 12, count: 40 } }),
      slide(4, [over(35, 0, { tag: 'td', block: 'table', text: 'https://example.com/a-very-long-path' })]),
    ],
    breaks: [{ slide: 3, element: 'h2', around: '大模/型', kind: 'word' as const }],
    ms: 12,
  };

  it('names the slide, the element, its first words, the pixels, the scale and the origin', () => {
    const fit = summarizeFit(outcome, 0.75, new Map([['sections.x.items', 12]]), 'decks/hostile.hbs');
    expect(fit.fitted).toEqual([{ slide: 2, scale: 0.75, wrap: 0 }, { slide: 4, scale: 0.9, wrap: 1 }]);
    expect(fit.splits).toEqual([{ list: 'sections.x.items', per: 12 }]);
    expect(overflowWarnings('r/en/hostile', fit)).toEqual([
      {
        code: 'overflow',
        deck: 'r/en/hostile',
        slide: 2,
        message: '<li> "Item 9 about the thing" (in <ol>) is 212 px too tall, even at 75% (the floor); from template decks/hostile.hbs, list sections.x.items',
      },
      {
        code: 'overflow',
        deck: 'r/en/hostile',
        slide: 4,
        message: '<td> "https://example.com/a-very-long-path" (in <table>) is 35 px too wide, at 90%; from template decks/hostile.hbs',
      },
      { code: 'line-break', deck: 'r/en/hostile', slide: 3, message: '<h2> breaks a word across lines: "大模/型"' },
    ]);
    expect(describeFitted(fit)).toBe('fitted: slide 2 at 75%; slide 4 at 90%, long links wrapped; list sections.x.items split 12 per slide');
  });

  it('says when text runs outside its own box rather than off the slide', () => {
    const finding = { slide: 1, element: 'div', block: 'div', text: 'averyveryverylongword', x: 80, y: 0, kind: 'box' as const, scale: 1 };
    expect(describeOverflow(finding, 0.75)).toBe('<div> "averyveryverylongword" runs 80 px outside its own box');
  });
});
