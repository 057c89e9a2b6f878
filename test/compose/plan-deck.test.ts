import { describe, expect, it } from 'vitest';
import { planDeck, textWeight } from '../../src/compose/plan-deck.js';
import { briefingSchema, type Briefing } from '../../src/schema.js';
import { profileEntrySchema, type ProfileEntry } from '../../src/templates/profile-schema.js';

const items = (n: number, text = 'A sentence of ordinary length about the point.') => Array.from({ length: n }, (_, i) => ({ title: `Item ${i + 1}`, text }));
const report = (sections: Record<string, unknown>, points: string[] = ['One', 'Two']): Briefing =>
  briefingSchema.parse({ meta: { id: 'r', language: 'en', title: 'R', publishers: ['P'], date: '2025' }, summary: { headline: 'H', points }, sections });
const steps = (...entries: Array<Record<string, unknown>>): ProfileEntry[] => entries.map((e) => profileEntrySchema.parse(e));
const profile = (sections: ProfileEntry[], extra: { maxSlides?: number; minSections?: number; summary?: 'points' | 'headline' | 'none' } = {}) => ({
  name: 'aud',
  sections,
  summary: extra.summary ?? ('points' as const),
  maxSlides: extra.maxSlides,
  minSections: extra.minSections,
});

describe('planDeck', () => {
  const data = report({
    background: { title: 'Background', lead: 'Why it matters.' },
    numbers: { title: 'Numbers', metrics: [{ label: 'A', value: 1 }] },
    risks: { role: 'challenges', title: 'Risks', items: items(3) },
    challenges: { title: 'Challenges', items: items(2) },
    outlook: { role: 'trends', title: 'Outlook', items: items(4), quotes: [{ text: 'Q', author: 'X' }] },
  });

  it('picks sections by role in the profile\'s order, each kind of content its own block', () => {
    const plan = planDeck(data, profile(steps({ roles: ['challenges'] }, { roles: ['trends', 'context'] })));
    expect(plan.blocks.map((b) => `${b.section}:${b.kind}:${b.layout}`)).toEqual(['risks:items:cards', 'challenges:items:cards', 'background:text:text', 'outlook:items:cards', 'outlook:quotes:quotes']);
    expect(plan.omitted).toEqual([{ path: 'sections.numbers', reason: 'shows no metrics sections' }]);
    expect(plan.shown).toContain('sections.risks.items[2]');
  });

  it('infers a role from the key, then from the content', () => {
    const plan = planDeck(data, profile(steps({ roles: ['metrics'] }, { roles: ['context'] })));
    expect(plan.blocks.map((b) => [b.section, b.role])).toEqual([['numbers', 'metrics'], ['background', 'context']]);
  });

  it('limits sections, kinds, entries and slides, and says why for each thing left out', () => {
    const plan = planDeck(data, profile(steps({ roles: ['challenges'], sections: 1, maxItems: 2 }, { roles: ['trends'], kinds: ['items'], maxSlides: 1 })));
    expect(plan.blocks.map((b) => [b.section, b.shown])).toEqual([['risks', [0, 1]], ['outlook', [0, 1, 2, 3]]]);
    expect(plan.omitted).toEqual(
      expect.arrayContaining([
        { path: 'sections.risks.items[2]', reason: 'shows the first 2 entries of a challenges section' },
        { path: 'sections.outlook.quotes', reason: 'shows only the items of trends sections' },
        { path: 'sections.challenges', reason: 'shows only one section of the roles challenges' },
      ]),
    );
  });

  it('fills a deck whose steps pick too few sections with the report\'s others, each where the report has it', () => {
    const plan = planDeck(data, profile(steps({ roles: ['trends'] }), { minSections: 3 }));
    expect([...new Set(plan.blocks.map((b) => b.section))]).toEqual(['background', 'numbers', 'outlook']);
    const filled = plan.blocks.filter((b) => b.section !== 'outlook');
    expect(filled.every((b) => b.optional && b.depth === 'summary')).toBe(true);
    expect(plan.omitted.map((o) => o.path)).toEqual(['sections.risks', 'sections.challenges']);
    // Enough sections already: nothing fills in.
    expect(planDeck(data, profile(steps({ roles: ['challenges', 'trends'] }), { minSections: 3 })).blocks.map((b) => b.section)).not.toContain('background');
  });

  it('reads a role from the words of a key or title when a section gives none', () => {
    const words = [['challenges', ['risk', '问题']], ['recommendations', ['next step']]] as const;
    const plain = report({ 'key-risks': { title: 'What could go wrong', items: items(1) }, part3: { title: '存在问题', items: items(1) }, nextSteps: { title: 'Then', items: items(1) } });
    const plan = planDeck(plain, profile(steps({ roles: ['challenges'] }, { roles: ['recommendations'] })), new Map(), words);
    expect(plan.blocks.map((b) => [b.section, b.role])).toEqual([['key-risks', 'challenges'], ['part3', 'challenges'], ['nextSteps', 'recommendations']]);
  });

  it('shows a few places, or an item or two, on the slide of the block before them in their section', () => {
    const mapped = report({
      policy: { title: 'Policy', timeline: [{ date: '2020', title: 'A' }], places: ['X', 'Y', 'Z'] },
      market: { title: 'Market', groups: [{ title: 'G' }], items: items(1) },
      risks: { title: 'Risks', groups: [{ title: 'G' }], items: items(3) },
    });
    const plan = planDeck(mapped, profile(steps({ rest: true })));
    expect(plan.blocks.map((b) => `${b.section}:${b.kind}:${b.joined ? 'joined' : b.slides}`)).toEqual(['policy:timeline:1', 'policy:places:joined', 'market:groups:1', 'market:items:joined', 'risks:groups:1', 'risks:items:1']);
    expect(plan.slides).toBe(2 + 4);
  });

  it('shows the rest at the end of a full briefing, and everything then is shown', () => {
    const plan = planDeck(data, profile(steps({ roles: ['trends'] }, { rest: true, depth: 'full' })));
    expect(plan.omitted).toEqual([]);
    expect(plan.blocks.map((b) => b.section)).toEqual(['outlook', 'outlook', 'background', 'numbers', 'risks', 'challenges']);
  });

  it('keeps within the slide budget: optional steps first, then spotlights, then one slide per block, then blocks', () => {
    const big = report({ a: { role: 'trends', title: 'A', items: items(12) }, b: { role: 'challenges', title: 'B', items: items(12) }, c: { role: 'context', title: 'C', lead: 'L' } });
    // No so-what and no source: the deck has no closing slide, so cover, summary and three slides.
    const plan = planDeck(big, profile(steps({ roles: ['trends'], layout: 'spotlight' }, { roles: ['challenges'] }, { roles: ['context'], optional: true }), { maxSlides: 5 }));
    expect(plan.closing).toBe(false);
    expect(plan.slides).toBeLessThanOrEqual(5);
    expect(plan.blocks.map((b) => `${b.section}:${b.layout}:${b.slides}`)).toEqual(['a:cards:1', 'b:cards:2']);
    expect(plan.omitted.find((o) => o.path === 'sections.c')!.reason).toBe('leaves it out to stay within 5 slides');
    expect(plan.omitted.some((o) => o.path === 'sections.a.items[11]' && /one slide for it/.test(o.reason))).toBe(true);
  });

  it('takes the entries per slide slide fit measured for a list of titles, within the block\'s slides', () => {
    const wordy: typeof data = structuredClone(data);
    wordy.sections.outlook!.items = items(4, 'A long sentence that goes on for a while about the point. '.repeat(8)).map((item) => ({ ...item, tags: [] }));
    const plan = planDeck(wordy, profile(steps({ roles: ['trends'], kinds: ['items'], depth: 'headline', maxSlides: 1 })), new Map([['sections.outlook.items', 2]]));
    expect(plan.blocks[0]!.depth).toBe('headline');
    expect(plan.blocks[0]!.perSlide).toBe(2);
    expect(plan.blocks[0]!.shown).toEqual([0, 1]);
  });

  it('says less of each entry before it shows fewer: a measured cut at full depth becomes all entries at summary depth', () => {
    const plan = planDeck(data, profile(steps({ roles: ['trends'], kinds: ['items'], depth: 'full', maxSlides: 1 })), new Map([['sections.outlook.items', 2]]));
    const total = data.sections.outlook!.items.length;
    expect(plan.blocks[0]!.depth).toBe('summary');
    expect(plan.blocks[0]!.shown).toHaveLength(Math.min(total, 6));
  });

  it('says more of each entry when its words fill little of the slide', () => {
    const short: typeof data = structuredClone(data);
    short.sections.outlook!.items = [
      { title: 'One', text: 'A short text.', detail: 'A short detail.' },
      { title: 'Two', text: 'Another short text.', detail: 'Another detail.' },
    ] as (typeof data)['sections']['outlook']['items'];
    const plan = planDeck(short, profile(steps({ roles: ['trends'], kinds: ['items'], depth: 'summary', maxSlides: 1 })));
    expect(plan.blocks[0]!.depth).toBe('full');
    // Without a bound on its slides a block keeps the depth it was given.
    expect(planDeck(short, profile(steps({ roles: ['trends'], kinds: ['items'], depth: 'summary' }))).blocks[0]!.depth).toBe('summary');
  });

  it('shows the texts of a short timeline at headline depth, and keeps a long one to its titles', () => {
    const events = (n: number) => Array.from({ length: n }, (_, i) => ({ date: `${2020 + i}`, title: `Step ${i + 1}`, text: 'What happened then.' }));
    const timeline = (n: number) => report({ history: { role: 'timeline', title: 'History', timeline: events(n) } });
    const step = steps({ roles: ['timeline'], depth: 'headline', maxSlides: 1 });
    expect(planDeck(timeline(4), profile(step)).blocks[0]!.depth).toBe('summary');
    expect(planDeck(timeline(6), profile(step)).blocks[0]!.depth).toBe('headline');
  });

  it('counts the summary points only when the summary slide shows them', () => {
    expect(planDeck(data, profile([], { summary: 'headline' })).omitted).toContainEqual({ path: 'summary.points[0]', reason: "shows the summary's headline only" });
    expect(planDeck(data, profile([])).shown).toContain('summary.points[1]');
  });

  it('weighs Chinese characters twice', () => {
    expect(textWeight('ab')).toBe(2);
    expect(textWeight('大模型')).toBe(6);
  });
});
