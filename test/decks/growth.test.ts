import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marp } from '@marp-team/marp-core';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComposer } from '../../src/compose/compose-deck.js';
import type { Briefing } from '../../src/schema.js';
import { loadTemplateSet, type TemplateSet } from '../../src/templates/load-template-set.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/**
 * The shipped templates with more data than they were designed on: a list three times as long
 * must continue on "(cont.)" slides, numbered on, and never run off a slide. One build through
 * the real CLI (PDF and Markdown only, to stay fast) with the challenges tripled; every other
 * list of the shipped templates is checked by composing alone (no browser).
 */

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const audiences = ['exec', 'trends', 'policy', 'industry', 'public'] as const;
const languages = ['zh', 'en'] as const;
const continued = { en: ' (cont.)', zh: '（续）' } as const;

type Lang = (typeof languages)[number];
type Item = { id?: string; title?: string } & Record<string, unknown>;

const shipped = (lang: Lang): Briefing => parse(readFileSync(root(`content/china-ai-2024/${lang}.yaml`), 'utf8')) as Briefing;

/** The list three times over; copies get their own ids and titles ("… 2", "… 3"), as new data would. */
function tripled<T>(items: readonly T[]): T[] {
  const copy = (item: T, round: number): T => {
    if (round === 1) return item;
    if (typeof item === 'string') return `${item} ${round}` as T;
    const { id, title } = item as Item;
    return { ...item, ...(id ? { id: `${id}-${round}` } : {}), ...(title ? { title: `${title} ${round}` } : {}) };
  };
  return [1, 2, 3].flatMap((round) => items.map((item) => copy(item, round)));
}

/** A copy of the report with one list tripled; `path` is the list's place in the data. */
function grow(briefing: Briefing, path: readonly string[]): Briefing {
  const copy = structuredClone(briefing) as unknown as Record<string, unknown>;
  const parent = path.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, copy);
  const key = path.at(-1)!;
  parent[key] = tripled(parent[key] as unknown[]);
  return copy as unknown as Briefing;
}

/** Slide titles (h2) of a deck's Markdown as text (tags removed), one per slide ('' when a slide has none). */
const headingsOf = (markdown: string): string[] =>
  markdown
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .split(/^---$/m)
    .map((slide) => (/^## (.*)$/m.exec(slide)?.[1] ?? '').replace(/<[^>]+>/g, '').trim());

let templates: TemplateSet;
const marp = new Marp({ script: false, math: false });
beforeAll(async () => {
  templates = await loadTemplateSet(root('templates'));
  for (const theme of templates.themes.values()) marp.themeSet.add(theme.css);
});

function compose(briefing: Briefing, audience: string, lang: Lang): { markdown: string; slides: number } {
  const markdown = createComposer(templates).compose({ briefing, profile: templates.audiences.get(audience)!, lang });
  return { markdown, slides: marp.render(markdown, { htmlAsArray: true }).html.length };
}

/** The shipped decks, composed once. */
const shippedDecks = new Map<string, { markdown: string; slides: number }>();
const shippedDeck = (audience: string, lang: Lang) => {
  const key = `${lang}/${audience}`;
  if (!shippedDecks.has(key)) shippedDecks.set(key, compose(shipped(lang), audience, lang));
  return shippedDecks.get(key)!;
};

describe('every list that can grow continues on more slides (composed, no browser)', () => {
  // Each list the shipped templates paginate, and how many slides tripling it adds to each audience.
  const lists: Array<{ path: string[]; extra: Partial<Record<(typeof audiences)[number], number>> }> = [
    { path: ['summary', 'points'], extra: { exec: 2 } },
    { path: ['sections', 'challenges', 'items'], extra: { exec: 2, trends: 2, public: 2, policy: 4, industry: 4 } },
    { path: ['sections', 'trends', 'items'], extra: { exec: 2, policy: 2, industry: 2, public: 2, trends: 2 } },
    { path: ['sections', 'outlook', 'items'], extra: { exec: 2, policy: 2 } },
    { path: ['sections', 'demand', 'items'], extra: { industry: 2, public: 2 } },
    { path: ['sections', 'case', 'items'], extra: { industry: 2 } },
    { path: ['sections', 'technology', 'items'], extra: { public: 2 } },
    // Twelve places to a slide: 24 take two.
    { path: ['sections', 'policy', 'places'], extra: { policy: 1 } },
    { path: ['sections', 'policy', 'timeline'], extra: { policy: 2, trends: 2, public: 2 } },
    // Industry shows the groups twice: as a chart and as the model directory.
    { path: ['sections', 'landscape', 'groups'], extra: { exec: 2, policy: 2, trends: 2, public: 2, industry: 4 } },
  ];

  it.each(languages.flatMap((lang) => lists.map((list) => [lang, list.path.join('.'), list] as const)))('%s: %s', (lang, name, { path, extra }) => {
    const briefing = shipped(lang);
    const grown = grow(briefing, path);
    for (const audience of audiences) {
      const before = shippedDeck(audience, lang);
      const after = compose(grown, audience, lang);
      const marked = (markdown: string) => headingsOf(markdown).filter((title) => title.endsWith(continued[lang])).length;
      expect(marked(after.markdown) - marked(before.markdown), audience).toBe(extra[audience] ?? 0);
      // The trends deck also gives every trend a slide of its own, besides the overview.
      const ownSlides = audience === 'trends' && name === 'sections.trends.items' ? 8 : 0;
      expect(after.slides - before.slides, audience).toBe((extra[audience] ?? 0) + ownSlides);
      expect(after.markdown, audience).not.toMatch(/undefined|\[object Object\]|\{\{/);
    }
  });
});

describe('tripled challenges, built through the CLI', () => {
  const t = testdir({});
  afterAll(() => t.cleanup());

  it('continue on "(cont.)" slides, numbered on, with no overflow', async () => {
    mkdirSync(t.path('grown'), { recursive: true });
    for (const lang of languages) {
      const briefing = shipped(lang);
      writeFileSync(t.path(`grown/${lang}.yaml`), stringify(grow(briefing, ['sections', 'challenges', 'items'])));
    }

    const started = performance.now();
    const result = await runCli(['build', '--data', t.path('grown'), '--templates', root('templates'), '-a', 'all', '--lang', 'all', '-f', 'pdf,md', '--no-cache', '--json', '-q', '-o', t.path('out')], { cwd: t.dir });
    const seconds = (performance.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { decks: Array<{ key: string; slides: number }>; warnings: Array<{ code: string; deck: string; message: string }> };
    expect(summary.warnings.filter((w) => w.code !== 'slide-budget').map((w) => `${w.deck}: [${w.code}] ${w.message}`)).toEqual([]);
    expect(summary.decks).toHaveLength(10);

    for (const lang of languages) {
      const titles = shipped(lang).sections.challenges!.items.map((item) => item.title);
      for (const audience of audiences) {
        const key = `china-ai-2024/${lang}/${audience}`;
        const deck = summary.decks.find((d) => d.key === key)!;
        const folder = t.path(`out/china-ai-2024/${lang}/${audience}`);
        const markdown = readFileSync(join(folder, readdirSync(folder).find((name) => name.endsWith('.md'))!), 'utf8');
        const headings = headingsOf(markdown);
        expect(headings).toHaveLength(deck.slides);
        // Two per slide in depth (policy, industry), four elsewhere: 12 challenges take 6 slides
        // instead of 2, or 3 instead of 1 (more if measurement re-split them).
        const inDepth = audience === 'policy' || audience === 'industry';
        expect(deck.slides, key).toBeGreaterThanOrEqual(shippedDeck(audience, lang).slides + (inDepth ? 4 : 2));
        const marked = headings.filter((title) => title.endsWith(continued[lang]));
        expect(marked.length, key).toBeGreaterThanOrEqual(inDepth ? 5 : 2);
        // The marker follows the heading directly in Chinese (no space before the full-width bracket).
        if (lang === 'zh') for (const title of marked) expect(title, key).toMatch(/[^\s]（续）$/);
        // Every copy of every challenge is on a slide, and the numbering carries on to 12.
        for (const title of titles) for (const copy of [title, `${title} 2`, `${title} 3`]) expect(markdown, key).toContain(copy);
        expect(markdown, key).toMatch(/^12\. \*\*/m);
      }
    }
    expect(seconds).toBeLessThan(40);
  }, 90_000);
});
