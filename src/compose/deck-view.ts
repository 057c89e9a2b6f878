import type { Briefing, Section } from '../schema.js';
import type { AudienceProfileData } from '../templates/profile-schema.js';
import type { DeckPlan, PlannedBlock } from './plan-deck.js';
import { restatesTitle } from './restates.js';

/**
 * What a deck template sees as `deck`: the plan made concrete, every entry it shows already picked
 * and worded for the audience (plain words for the public, detail only at full depth), so
 * templates lay out and never decide. Strings here are data; the composer escapes them all.
 */
export interface DeckView {
  audience: string;
  /** Label key of the line above the cover title. */
  kicker?: string;
  register: AudienceProfileData['register'];
  summary: { show: DeckPlan['summary']; headline: string; points: string[]; soWhat?: string };
  blocks: BlockView[];
  /** Whether the deck ends on a closing slide (see DeckPlan.closing). */
  closing: boolean;
  /** Slides the plan expects (measurement may add some). */
  slides: number;
}

export interface BlockView {
  /** The partial that lays it out: `layouts/cards`. */
  partial: string;
  /** The list's name for slide fit and reports: `sections.trends.items`. */
  name: string;
  section: string;
  role: string;
  kind: string;
  depth: string;
  /** The first block of its section: it carries the lead and the section's notes. */
  opensSection: boolean;
  /** The section's topic ("Challenges"), shown small when the section has a headline. */
  topic: string;
  /** The slide title: the section's headline (its point), else its topic. */
  title: string;
  hasHeadline: boolean;
  lead?: string;
  caveat?: string;
  attribution?: string;
  /** false: the lists are examples, not all there are. */
  exhaustive: boolean;
  notes?: string;
  entries: unknown[];
  /** Entries of the data this deck does not show here. */
  more: number;
  /** Entries of that kind in the data. */
  total: number;
  perSlide: number;
  /** The next slide's title, for the speaker's transition. */
  next?: string;
  /** Small blocks of the same section shown on this block's last slide (`layouts/inline/…`). */
  joined: BlockView[];
}

const partialOf = (block: PlannedBlock): string => (block.joined ? `layouts/inline/${block.layout}` : `layouts/${block.layout}`);

function entriesOf(block: PlannedBlock, section: Section, plain: boolean, lang: string): unknown[] {
  const pick = <T>(list: readonly T[]) => block.shown.map((i) => ({ entry: list[i]!, position: i + 1 }));
  switch (block.kind) {
    case 'items':
      return pick(section.items).map(({ entry, position }) => {
        const text = plain ? (entry.plain ?? entry.text) : entry.text;
        // A text that only says its title again gives its place to the detail, where there is one.
        const echo = !plain && block.depth !== 'headline' && Boolean(entry.detail && entry.title && text && restatesTitle(entry.title, text, lang));
        // At headline depth an item shows its title; one without a title still needs its words.
        const body = echo ? entry.detail : block.depth === 'headline' && entry.title ? undefined : text;
        const detail = block.depth === 'full' && !plain && !echo ? entry.detail : undefined;
        // What the card leaves out goes to the speaker, so a short deck still has its facts at hand.
        const unsaid = [body === undefined || echo ? text : undefined, detail === undefined && !echo ? entry.detail : undefined].filter(Boolean);
        const notes = entry.notes ?? (unsaid.length > 0 ? [entry.title, ...unsaid].filter(Boolean).join(' — ') : undefined);
        return {
          position,
          title: entry.title,
          text: body,
          detail,
          tags: entry.tags,
          attribution: entry.attribution,
          notes,
        };
      });
    case 'metrics':
      return pick(section.metrics).map(({ entry, position }) => ({ position, ...entry }));
    case 'timeline':
      return pick(section.timeline).map(({ entry, position }) => ({ position, ...entry, text: block.depth === 'headline' ? undefined : entry.text }));
    case 'groups':
      return pick(section.groups).map(({ entry, position }) => ({ position, ...entry }));
    case 'places':
      return pick(section.places).map(({ entry }) => entry);
    case 'quotes':
      return pick(section.quotes).map(({ entry, position }) => ({ position, ...entry }));
    default:
      return [];
  }
}

/** The section's notes on its first slide; else what a timeline at headline depth does not show. */
function notesOf(block: PlannedBlock, section: Section): string | undefined {
  if (block.opensSection && section.notes) return section.notes;
  const explained =
    block.kind === 'timeline' && block.depth === 'headline'
      ? block.shown.map((i) => section.timeline[i]!).filter((e) => e.text).map((e) => `${e.date} ${e.title} — ${e.text}`)
      : [];
  return explained.length > 0 ? explained.join(' ') : undefined;
}

/** Pure: the `deck` a template sees, from the report, the audience and the plan. */
export function deckView(briefing: Briefing, profile: Pick<AudienceProfileData, 'kicker' | 'register'> & { name: string }, plan: DeckPlan): DeckView {
  const plain = profile.register === 'plain';
  const all = plan.blocks.map((block): BlockView => {
    const section = briefing.sections[block.section]!;
    const lead = plain ? (section.plain ?? section.lead) : section.lead;
    return {
      partial: partialOf(block),
      name: block.measuredAs,
      section: block.section,
      role: block.role,
      kind: block.kind,
      depth: block.depth,
      opensSection: block.opensSection,
      topic: section.title,
      title: section.headline ?? section.title,
      hasHeadline: section.headline !== undefined,
      ...(block.opensSection && lead ? { lead } : {}),
      ...(block.opensSection && section.caveat ? { caveat: section.caveat } : {}),
      ...(block.opensSection && section.attribution ? { attribution: section.attribution } : {}),
      exhaustive: section.exhaustive,
      ...(notesOf(block, section) ? { notes: notesOf(block, section) } : {}),
      entries: entriesOf(block, section, plain, briefing.meta.language),
      more: block.total - block.shown.length,
      total: block.total,
      perSlide: block.perSlide,
      joined: [],
    };
  });
  const blocks: BlockView[] = [];
  all.forEach((view, i) => {
    if (plan.blocks[i]!.joined && blocks.length > 0) blocks.at(-1)!.joined.push(view);
    else blocks.push(view);
  });
  // The transition names what comes next: a remark by who made it, anything else by its title.
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (!next) return;
    const authors = next.kind === 'quotes' ? [...new Set((next.entries as Array<{ author: string }>).map((q) => q.author))] : [];
    block.next = authors.length > 0 ? authors.join(', ') : next.title;
  });
  return {
    audience: profile.name,
    ...(profile.kicker ? { kicker: profile.kicker } : {}),
    register: profile.register,
    summary: {
      show: plan.summary,
      headline: briefing.summary.headline,
      points: plan.points.map((i) => briefing.summary.points[i]!),
      ...(briefing.summary.soWhat ? { soWhat: briefing.summary.soWhat } : {}),
    },
    blocks,
    closing: plan.closing,
    slides: plan.slides,
  };
}
