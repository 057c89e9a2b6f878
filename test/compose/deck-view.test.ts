import { describe, expect, it } from 'vitest';
import { deckView } from '../../src/compose/deck-view.js';
import { planDeck } from '../../src/compose/plan-deck.js';
import { briefingSchema } from '../../src/schema.js';
import { profileEntrySchema } from '../../src/templates/profile-schema.js';

const briefing = briefingSchema.parse({
  meta: { id: 'r', language: 'en', title: 'R', publishers: ['P'], date: '2025' },
  summary: { headline: 'H', points: ['One'] },
  sections: {
    risks: {
      role: 'challenges',
      title: 'Risks',
      items: [
        { title: 'No hit application yet', text: 'The industry has yet to produce a hit application.', detail: 'No clear path to revenue has been found.' },
        { title: 'A compute bottleneck', text: 'Training relies ever more on scarce chips that few can buy.', detail: 'Imports are restricted.' },
      ],
    },
  },
});
const view = (depth: 'summary' | 'full') => {
  const profile = { name: 'aud', summary: 'points' as const, sections: [profileEntrySchema.parse({ roles: ['challenges'], depth })] };
  return deckView(briefing, { name: 'aud', register: 'standard' }, planDeck(briefing, profile)).blocks[0]!.entries as Array<{ text?: string; detail?: string; notes?: string }>;
};

describe('deckView', () => {
  it('gives the place of a text that only restates its title to the detail, and the text to the notes', () => {
    for (const depth of ['summary', 'full'] as const) {
      const [echo, other] = view(depth);
      expect(echo!.text).toBe('No clear path to revenue has been found.');
      expect(echo!.detail).toBeUndefined();
      expect(echo!.notes).toContain('The industry has yet to produce a hit application.');
      expect(other!.text).toBe('Training relies ever more on scarce chips that few can buy.');
    }
    expect(view('full')[1]!.detail).toBe('Imports are restricted.');
  });
});
