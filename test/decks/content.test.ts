import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDeckMaker } from '../../src/build/deck.js';
import { htmlText } from '../../src/build/deck-checks.js';
import { loadInputs } from '../../src/build/inputs.js';
import { planDecks } from '../../src/build/plan.js';
import type { Deck, Inputs } from '../../src/build/types.js';

/**
 * The shipped decks of the shipped report, composed and rendered by the build's own stages (no
 * browser): the story each audience tells, its fidelity to the source article, its wording.
 */

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const languages = ['en', 'zh'] as const;
let inputs: Inputs;
const decks = new Map<string, Deck>();
const deck = (audience: string, lang: string): Deck => decks.get(`china-ai-2024/${lang}/${audience}`)!;

/** Each slide's visible text, and its title (h2) and kicker. */
const slides = (d: Deck) =>
  d.rendered.html
    .split(/<svg\b[^>]*\bdata-marpit-svg\b[^>]*>/)
    .slice(1)
    .map((part) => /<section\b[\s\S]*?<\/section>/.exec(part)![0])
    .map((html) => ({
      html,
      text: htmlText(html.replace(/<footer\b[\s\S]*?<\/footer>/g, '')),
      title: htmlText(/<h2\b[^>]*>([\s\S]*?)<\/h2>/.exec(html)?.[1] ?? ''),
      kicker: htmlText(/<p class="kicker">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? ''),
    }));
const squeeze = (text: string) => text.replace(/\s+/g, '');
const has = (d: Deck, text: string) => squeeze(slides(d).map((s) => s.text).join(' ')).includes(squeeze(text));

beforeAll(async () => {
  inputs = await loadInputs({ data: [root('content/china-ai-2024')], templatesDir: root('templates'), projectRoot: root('.') });
  const maker = await createDeckMaker(inputs, { outDir: '', fitAuto: true });
  for (const job of planDecks(inputs.reports, inputs.templates, 'all', 'all')) decks.set(job.key, maker.make(job));
});

describe.each(languages)('the %s decks of the shipped report', (lang) => {
  const briefing = () => inputs.reports.find((r) => r.language === lang)!.briefing;
  const audiences = () => [...inputs.templates.audiences.keys()];

  it('names the report\'s publishers on every footer, in the same format in every audience', () => {
    const footers = audiences().map((name) => [...deck(name, lang).rendered.html.matchAll(/<footer>([\s\S]*?)<\/footer>/g)].map((m) => htmlText(m[1]!)));
    for (const list of footers) {
      expect(list.length).toBeGreaterThan(0);
      for (const footer of list) expect(footer).toContain(briefing().meta.publishers[0]!);
    }
    expect(new Set(footers.flat()).size).toBe(1);
  });

  it('exist for every audience, within budget, with notes on every slide and no warning', () => {
    expect(audiences().sort()).toEqual(['exec', 'industry', 'policy', 'public', 'release', 'trends']);
    for (const name of audiences()) {
      const d = deck(name, lang);
      expect(d.warnings, name).toEqual([]);
      if (d.meta.maxSlides) expect(d.rendered.slideCount, name).toBeLessThanOrEqual(d.meta.maxSlides);
      d.rendered.notes.forEach((note, i) => expect(note.trim(), `${name} slide ${i + 1}`).not.toBe(''));
      expect(d.markdown, name).not.toMatch(/undefined|\[object Object\]|\{\{/);
    }
  });

  it('exec tells situation, challenges, outlook, what to do, so what — with message titles', () => {
    const s = slides(deck('exec', lang));
    const { sections, summary } = briefing();
    expect(s.map((x) => x.title).slice(1, -1)).toEqual([summary.headline, sections.challenges!.headline, sections.trends!.headline, sections.outlook!.headline]);
    expect(s[0]!.html).toContain('class="title"');
    // The topic is the kicker; the title states the point.
    expect(s[2]!.kicker).toBe(sections.challenges!.title);
    expect(s.at(-1)!.text).toContain(summary.soWhat);
  });

  it('the full briefing (policy) shows every section and entry of the report', () => {
    const d = deck('policy', lang);
    expect(d.coverage!().omitted).toEqual([]);
    for (const key of Object.keys(briefing().sections)) expect(d.coverage!().shown, key).toContain(`sections.${key}`);
    for (const place of briefing().sections.policy!.places) expect(has(d, place), place).toBe(true);
  });

  it('trends shows every trend once, with its text, and the five-announced caveat once', () => {
    const d = deck('trends', lang);
    const trends = briefing().sections.trends!.items;
    const s = slides(d);
    for (const trend of trends) {
      // Once after the summary, whose points may name the trends too.
      expect(s.slice(2).filter((x) => x.text.includes(trend.title!)), trend.title).toHaveLength(1);
      expect(has(d, trend.text!), trend.text).toBe(true);
    }
    const caveat = squeeze(briefing().sections.trends!.caveat!);
    expect(s.filter((x) => squeeze(x.text).includes(caveat))).toHaveLength(1);
  });

  it('public speaks in the plain words and leaves the detail out', () => {
    const d = deck('public', lang);
    const { challenges } = briefing().sections;
    for (const item of challenges!.items) {
      expect(has(d, item.plain!), item.plain).toBe(true);
      expect(has(d, item.detail!), item.detail).toBe(false);
    }
  });

  it('is faithful to the source: reported speech without quotation marks, framing attributed, no count of an open list', () => {
    const d = deck('policy', lang);
    const s = slides(d);
    for (const quote of Object.values(briefing().sections).flatMap((x) => x.quotes)) {
      expect(quote.paraphrase, quote.author).toBe(true);
      const slide = s.find((x) => x.text.includes(quote.author))!;
      expect(slide.html).not.toMatch(/<blockquote/);
      // The remark is marked as reported, and the speaker is named with their role right under it.
      const labels = inputs.templates.labels.get(lang)!;
      expect(slide.text).toContain(`${quote.author}${labels.saidParaphrased}`.trim());
      expect(slide.html).toMatch(new RegExp(`<p class="reported">(?:(?!</p>)[\\s\\S])*</p>\\s*<p class="cite"><strong>${quote.author}</strong>`));
    }
    const framing = s.find((x) => x.title === briefing().sections.technology!.headline)!;
    expect(framing.text).toContain(briefing().sections.technology!.attribution);
    const places = s.find((x) => briefing().sections.policy!.places.every((p) => x.text.includes(p)))!;
    expect(places.text).toContain(inputs.templates.labels.get(lang)!.andOthers);
    expect(places.text).not.toContain(String(briefing().sections.policy!.places.length));
    // The article is cited on the closing slide.
    expect(s.at(-1)!.text).toContain(briefing().meta.source!.title);
  });
});

describe('wording', () => {
  it('English decks have no Chinese characters; Chinese decks no English labels', () => {
    const en = inputs.templates.labels.get('en')!;
    for (const name of inputs.templates.audiences.keys()) {
      expect(slides(deck(name, 'en')).map((s) => s.text).join(' '), name).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
      const zh = slides(deck(name, 'zh')).map((s) => s.text).join(' ');
      for (const label of Object.values(en)) if (/^[A-Z][a-z]+ [a-z]/.test(label)) expect(zh, `${name}: "${label}"`).not.toContain(label);
    }
  });

  it('labels carry no facts of the report: none names a model, company, place or topic of its data', () => {
    const facts = inputs.reports.flatMap((r) => [
      ...r.briefing.meta.keywords,
      ...Object.values(r.briefing.sections).flatMap((s) => [s.title, ...s.places, ...s.groups.flatMap((g) => [g.title, ...g.entries.map((e) => e.name)])]),
    ]);
    for (const [lang, labels] of inputs.templates.labels) {
      for (const [key, label] of Object.entries(labels)) {
        for (const fact of facts) if (fact.length >= 3) expect(label.toLowerCase(), `${lang}.${key}`).not.toContain(fact.toLowerCase());
      }
    }
  });
});
