import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeckMaker, type DeckMaker } from '../../src/build/deck.js';
import { loadInputs } from '../../src/build/inputs.js';
import type { Inputs, LoadedReport } from '../../src/build/types.js';
import { briefingSchema, type Briefing } from '../../src/schema.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/**
 * The shipped audiences with more data than the shipped report has: every list three times as
 * long. The full briefing (policy) continues each list on balanced "(cont.)" slides, numbered on;
 * the budgeted audiences stay within their budget and say what they left for the full briefing.
 * One build through the real CLI and browser checks that nothing runs off a slide.
 */

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const languages = ['zh', 'en'] as const;
type Lang = (typeof languages)[number];
const continued = { en: ' (cont.)', zh: '（续）' } as const;
const shipped = (lang: Lang): Briefing => briefingSchema.parse(parse(readFileSync(root(`content/china-ai-2024/${lang}.yaml`), 'utf8')));

/** The list three times over; copies get their own titles ("… 2", "… 3"), as new data would. */
function tripled<T>(items: readonly T[]): T[] {
  const copy = (item: T, round: number): T => {
    if (round === 1) return item;
    if (typeof item === 'string') return `${item} ${round}` as T;
    const record = item as Record<string, unknown>;
    const named = ['title', 'name', 'label'].find((k) => typeof record[k] === 'string');
    return named ? ({ ...record, [named]: `${record[named] as string} ${round}` } as T) : item;
  };
  return [1, 2, 3].flatMap((round) => items.map((item) => copy(item, round)));
}

const grown = (briefing: Briefing): Briefing => {
  const copy = structuredClone(briefing);
  copy.summary.points = tripled(copy.summary.points);
  for (const section of Object.values(copy.sections)) {
    for (const kind of ['items', 'timeline', 'groups', 'places'] as const) (section as unknown as Record<string, unknown[]>)[kind] = tripled(section[kind] as unknown[]);
  }
  return copy;
};

let inputs: Inputs;
let maker: DeckMaker;
beforeAll(async () => {
  inputs = await loadInputs({ data: [root('content/china-ai-2024')], templatesDir: root('templates'), projectRoot: root('.') });
  maker = await createDeckMaker(inputs, { outDir: '', fitAuto: true });
});

const make = (lang: Lang, audience: string, briefing: Briefing) => {
  const report = { ...inputs.reports.find((r) => r.language === lang)!, briefing } as LoadedReport;
  return maker.make({ report, profile: inputs.templates.audiences.get(audience)!, key: `grown/${lang}/${audience}` });
};
const titles = (markdown: string) =>
  markdown
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .split(/^---$/m)
    .map((slide) => (/^## (.*)$/m.exec(slide)?.[1] ?? '').replace(/<[^>]+>/g, '').trim());

describe.each(languages)('%s: every list three times as long (composed, no browser)', (lang) => {
  it('the full briefing continues each list on "(cont.)" slides and shows every entry', () => {
    const before = make(lang, 'policy', shipped(lang));
    const after = make(lang, 'policy', grown(shipped(lang)));
    expect(after.rendered.slideCount).toBeGreaterThan(before.rendered.slideCount + 8);
    expect(titles(after.markdown).filter((t) => t.endsWith(continued[lang])).length).toBeGreaterThan(6);
    expect(after.coverage!().omitted).toEqual([]);
    // The numbering carries on across continued slides: the twelfth challenge is numbered 12.
    expect(after.markdown).toMatch(/^12\. /m);
    if (lang === 'zh') for (const t of titles(after.markdown).filter((x) => x.endsWith(continued.zh))) expect(t).toMatch(/[^\s]（续）$/);
  });

  it.each(['exec', 'trends', 'industry', 'public', 'release'])('%s stays within its budget and says what it leaves out', (audience) => {
    const after = make(lang, audience, grown(shipped(lang)));
    expect(after.rendered.slideCount).toBeLessThanOrEqual(after.meta.maxSlides!);
    expect(after.warnings.filter((w) => w.code === 'slide-budget')).toEqual([]);
    expect(after.coverage!().omitted.length).toBeGreaterThan(0);
    for (const o of after.coverage!().omitted) expect(o.reason).not.toBe('');
  });
});

describe('every list three times as long, built through the CLI in the browser', () => {
  const t = testdir({});
  afterAll(() => t.cleanup());

  it('runs off no slide and breaks no word, in any audience or language', async () => {
    for (const lang of languages) writeFileSync(t.path(`${lang}.yaml`), stringify(grown(shipped(lang))));
    const result = await runCli(['build', '--data', t.dir, '-a', 'all', '--lang', 'all', '-f', 'pdf,md', '--no-cache', '--json', '-q', '-o', t.path('out')], { cwd: root('.') });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { decks: Array<{ key: string; slides: number }>; warnings: Array<{ code: string; deck: string; message: string }> };
    expect(summary.warnings.map((w) => `${w.deck}: [${w.code}] ${w.message}`)).toEqual([]);
    expect(summary.decks).toHaveLength(12);
    const policy = t.path('out/china-ai-2024/en/policy');
    const markdown = readFileSync(join(policy, readdirSync(policy).find((n) => n.endsWith('.md'))!), 'utf8');
    expect(markdown).toContain('A compute bottleneck 3');
  }, 180_000);
});
