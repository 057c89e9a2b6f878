import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { budgetWarning, createDeckMaker } from '../../src/build/deck.js';
import { loadInputs } from '../../src/build/inputs.js';
import { planDecks } from '../../src/build/plan.js';
import { minimalTemplates, testdir } from '../support/testdir.js';

const minimal = readFileSync(new URL('../fixtures/data/minimal.yaml', import.meta.url), 'utf8');
const t = testdir({
  ...minimalTemplates,
  'templates/decks/brief.hbs': '# {{meta.title}}\n\n---\n\n{{#paginate sections.trends.items per=3 name="trends"}}\n## {{@root.sections.trends.title}}\n\n{{#each this}}\n- {{title}}\n{{/each}}\n{{/paginate}}\n',
  'data/en.yaml': minimal.replace('      - title: Open source\n        text: Models go open.', Array.from({ length: 4 }, (_, i) => `      - title: Trend ${i + 1}\n        text: Text ${i + 1}.`).join('\n')),
});
afterAll(() => t.cleanup());

describe('createDeckMaker', () => {
  it('composes and renders a job into a deck with its output place, metadata, fit options and budget warning', async () => {
    const inputs = await loadInputs({ data: [t.path('data')], templatesDir: t.path('templates'), projectRoot: t.dir });
    const [job] = planDecks(inputs.reports, inputs.templates, 'default', 'all');
    const maker = await createDeckMaker(inputs, { outDir: t.path('out'), fitAuto: true });
    const deck = maker.make(job!);
    expect(deck.key).toBe('minimal/en/brief');
    expect(deck.outputDir).toBe(t.path('out/minimal/en/brief'));
    expect(deck.stem).toBe('minimal-en-brief');
    expect(deck.template).toBe('decks/brief.hbs');
    expect(deck.markdown).toMatch(/^---\nmarp: true\ntheme: "plain"/);
    // A cover and two runs of at most three trends: three slides, the budget exactly.
    expect(deck.rendered.slideCount).toBe(3);
    expect(deck.meta).toMatchObject({ report: 'minimal', language: 'en', audience: 'brief', title: 'Minimal report', author: 'Test Institute', subject: 'A short brief', maxSlides: 3 });
    expect(deck.fit).toEqual({ minScale: 0.75, autoFit: true });
    expect(deck.warnings).toEqual([]);
    // Re-split by measurement: one trend per slide makes 5 slides, and the budget says so.
    const again = deck.recompose!(new Map([['trends', 1]]));
    expect(again.rendered.slideCount).toBe(5);
    expect(budgetWarning(deck.key, again.rendered.slideCount, deck.meta.maxSlides)).toEqual([
      { code: 'slide-budget', deck: 'minimal/en/brief', message: "5 slides, over the audience's budget of 3" },
    ]);
    expect(budgetWarning(deck.key, 3, 3)).toEqual([]);
    expect(budgetWarning(deck.key, 9, undefined)).toEqual([]);
  });
});
