import { describe, expect, it } from 'vitest';
import { checkDeck, htmlText } from '../../src/build/deck-checks.js';

/** A deck as marp-core writes it: one svg > foreignObject > section per slide. */
const deck = (...slides: string[]) =>
  slides.map((body, i) => `<svg data-marpit-svg="" viewBox="0 0 1280 720"><foreignObject><section id="${i + 1}">${body}<footer>Source | 2025</footer><div class="briefgen-src" title="partials/x.hbs:${i + 1}"></div></section></foreignObject></svg>`).join('');
const run = (html: string, extra: Partial<Parameters<typeof checkDeck>[0]> = {}) =>
  checkDeck({ key: 'r/en/a', html, notes: [], expected: [], names: [], ...extra }).map((w) => `${w.code}@${w.slide ?? '-'}: ${w.message}`);

describe('checkDeck', () => {
  it('finds nothing wrong in a deck of distinct, filled slides', () => {
    expect(run(deck('<h2>One point</h2><p>A sentence that is long enough to be compared with others.</p>', '<h2>Another</h2><ul><li>Something else entirely, with words of its own.</li></ul>'))).toEqual([]);
  });

  it('names empty slides, headings, cards and paragraphs, with the template line of the slide', () => {
    const found = run(deck('', '<h2><span class="cont"> (cont.)</span></h2><p>x</p>', '<ul><li></li></ul><p>y</p>', '<p class="lead"></p><p>z</p>'));
    expect(found).toEqual([
      'empty-content@1: the slide shows nothing (from partials/x.hbs:1)',
      'empty-content@2: an empty heading <h2> (from partials/x.hbs:2)',
      'empty-content@3: an empty list item (from partials/x.hbs:3)',
      'empty-content@4: an empty <p class="lead"> (from partials/x.hbs:4)',
    ]);
  });

  it('finds text two slides both show, and a lead that repeats its title', () => {
    const text = 'Large models are becoming more general and more specialized at once.';
    const found = run(deck(`<h2>A</h2><p>${text}</p>`, `<h2>B</h2><ul><li>${text}</li></ul>`, '<h2>Same words</h2><p class="lead">Same words.</p>'));
    expect(found).toHaveLength(2);
    expect(found).toContain('repetition@3: the lead repeats the title (from partials/x.hbs:3)');
    expect(found.find((f) => f.startsWith('repetition@2'))).toMatch(/^repetition@2: repeats text of slide 1: "Large models are becoming more general and more…" \(from partials\/x\.hbs:2\)$/);
  });

  it('finds notes about someone no slide shows, and planned data no slide shows', () => {
    const found = run(deck('<h2>Outlook</h2><p>Four trends.</p>'), {
      notes: ['Open with Wang Yuntao, then the trends.'],
      names: ['Wang Yuntao', 'Outlook'],
      expected: [{ path: 'sections.trends.items[0]', text: 'Four trends' }, { path: 'sections.trends.items[1]', text: 'Open source' }],
    });
    expect(found).toEqual([
      'notes-reference@1: the speaker notes mention "Wang Yuntao", which no slide of this deck shows (from partials/x.hbs:1)',
      'not-shown@-: sections.trends.items[1] ("Open source") is in the deck\'s plan but on no slide; check the template that lays it out',
    ]);
  });
});

describe('htmlText', () => {
  it('joins inline elements and <wbr> without spaces, decodes references, and collapses space', () => {
    expect(htmlText('<p>大模型<wbr>产业 <span class="nobr">real-world</span>&#60;b&#62; &amp; <b>x</b></p>')).toBe('大模型产业 real-world<b> & x');
  });
});
