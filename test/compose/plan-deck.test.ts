import { describe, expect, it } from 'vitest';
import { planDeck, textWeight } from '../../src/compose/plan-deck.js';
import { briefingSchema, type Briefing } from '../../src/schema.js';
import { profileEntrySchema, type ProfileEntry } from '../../src/templates/profile-schema.js';

const items = (n: number, text = 'A sentence of ordinary length about the point.') => Array.from({ length: n }, (_, i) => ({ title: `Item ${i + 1}`, text }));
const report = (sections: Record<string, unknown>, points: string[] = ['One', 'Two']): Briefing =>
  briefingSchema.parse({ meta: { id: 'r', language: 'en', title: 'R', publishers: ['P'], date: '2025' }, summary: { headline: 'H', points }, sections });
const steps = (...entries: Array<Record<string, unknown>>): ProfileEntry[] => entries.map((e) => profileEntrySchema.parse(e));
const profile = (sections: ProfileEntry[], extra: { maxSlides?: number; summary?: 'points' | 'headline' | 'none' } = {}) => ({ name: 'aud', sections, summary: extra.summary ?? ('points' as const), maxSlides: extra.maxSlides });

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
        { path: 'sections.challenges', reason: 'shows no challenges sections' },
      ]),
    );
  });

  it('shows the rest at the end of a full briefing, and everything then is shown', () => {
    const plan = planDeck(data, profile(steps({ roles: ['trends'] }, { rest: true, depth: 'full' })));
    expect(plan.omitted).toEqual([]);
    expect(plan.blocks.map((b) => b.section)).toEqual(['outlook', 'outlook', 'background', 'numbers', 'risks', 'challenges']);
  });

  it('keeps within the slide budget: optional steps first, then spotlights, then one slide per block, then blocks', () => {
    const big = report({ a: { role: 'trends', title: 'A', items: items(12) }, b: { role: 'challenges', title: 'B', items: items(12) }, c: { role: 'context', title: 'C', lead: 'L' } });
    const plan = planDeck(big, profile(steps({ roles: ['trends'], layout: 'spotlight' }, { roles: ['challenges'] }, { roles: ['context'], optional: true }), { maxSlides: 6 }));
    expect(plan.slides).toBeLessThanOrEqual(6);
    expect(plan.blocks.map((b) => `${b.section}:${b.layout}:${b.slides}`)).toEqual(['a:cards:1', 'b:cards:2']);
    expect(plan.omitted.find((o) => o.path === 'sections.c')!.reason).toBe('leaves it out to stay within 6 slides');
    expect(plan.omitted.some((o) => o.path === 'sections.a.items[11]' && /one slide for it/.test(o.reason))).toBe(true);
  });

  it('takes the entries per slide slide fit measured for a list, within the block\'s slides', () => {
    const plan = planDeck(data, profile(steps({ roles: ['trends'], kinds: ['items'], maxSlides: 1 })), new Map([['sections.outlook.items', 2]]));
    expect(plan.blocks[0]!.perSlide).toBe(2);
    expect(plan.blocks[0]!.shown).toEqual([0, 1]);
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
