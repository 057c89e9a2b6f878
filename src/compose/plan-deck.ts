import { kindsOf, roleOf } from '../data/roles.js';
import type { Briefing, ContentKind, Section, SectionRole } from '../schema.js';
import type { AudienceProfileData, Depth, ProfileEntry } from '../templates/profile-schema.js';

/** How a block of content is laid out: one partial in `templates/partials/layouts/` each. */
export type BlockLayout = 'cards' | 'spotlight' | 'metrics' | 'timeline' | 'groups' | 'places' | 'quotes' | 'text';

/** One kind of content of one section, as one or more slides of a deck. */
export interface PlannedBlock {
  /** The section's key in `sections`. */
  section: string;
  role: SectionRole;
  kind: ContentKind;
  layout: BlockLayout;
  depth: Depth;
  /** The section's first block: it opens with the section's lead. */
  opensSection: boolean;
  /** Indexes (into the kind's list in the data) of what the block shows. */
  shown: number[];
  /** Entries of that list in the data. */
  total: number;
  /** Entries per slide; the template's `paginate` gets this. */
  perSlide: number;
  /** Slides it is expected to take (measurement may re-split a list into more). */
  slides: number;
  /** The profile step that made it, for the budget: optional steps go first. */
  step: number;
  optional: boolean;
}

/** Something of the data a deck does not show, and why. */
export interface Omission {
  /** `sections.trends`, `sections.trends.items[4]`, `summary.points[2]`. */
  path: string;
  /** What the audience does, as a phrase after its name: "exec shows no context sections". */
  reason: string;
}

export interface DeckPlan {
  summary: AudienceProfileData['summary'];
  blocks: PlannedBlock[];
  /** Slides expected: cover, summary, blocks, closing. */
  slides: number;
  /** Data paths the deck shows (sections and their entries). */
  shown: string[];
  omitted: Omission[];
}

/** The lists a kind of content lives in, in a section. */
const listOf: Record<ContentKind, (s: Section) => readonly unknown[]> = {
  text: () => [],
  items: (s) => s.items,
  metrics: (s) => s.metrics,
  timeline: (s) => s.timeline,
  groups: (s) => s.groups,
  places: (s) => s.places,
  quotes: (s) => s.quotes,
};

/** Width of a text in Latin-character units: CJK characters are twice as wide. */
export function textWeight(text: string | undefined): number {
  let weight = 0;
  for (const char of text ?? '') weight += char.codePointAt(0)! >= 0x1100 ? 2 : 1;
  return weight;
}

/** Card text a 16:9 slide holds at full size, in Latin-character units, by depth. */
const cardCapacity: Record<Depth, number> = { headline: 1400, summary: 1300, full: 1500 };
const cardLimit: Record<Depth, number> = { headline: 8, summary: 6, full: 4 };

function cardsPerSlide(section: Section, shown: number[], depth: Depth): number {
  if (shown.length === 0) return 1;
  const weights = shown.map((i) => {
    const item = section.items[i]!;
    const body = depth === 'headline' ? 0 : textWeight(item.text) + (depth === 'full' ? textWeight(item.detail) : 0);
    // A card has a fixed cost (padding, number, title line) besides its words.
    return 100 + textWeight(item.title) + body;
  });
  const average = weights.reduce((a, b) => a + b, 0) / weights.length;
  // Full depth only makes cards bigger where the items have a detail to show.
  const limit = depth === 'full' && !shown.some((i) => section.items[i]!.detail) ? cardLimit.summary : cardLimit[depth];
  return Math.max(1, Math.min(limit, Math.floor(cardCapacity[depth] / average)));
}

/** Entries per slide for a kind of content, and the layout it gets. */
function layoutOf(kind: ContentKind, section: Section, shown: number[], entry: ProfileEntry): { layout: BlockLayout; perSlide: number } {
  switch (kind) {
    case 'items':
      return entry.layout === 'spotlight' ? { layout: 'spotlight', perSlide: 1 } : { layout: 'cards', perSlide: cardsPerSlide(section, shown, entry.depth) };
    case 'metrics':
      return { layout: 'metrics', perSlide: 6 };
    case 'timeline':
      // Full dates (2024-12-23) or texts under each milestone need the room of four columns.
      return { layout: 'timeline', perSlide: (entry.depth === 'full' && section.timeline.some((e) => e.text)) || section.timeline.some((e) => e.date.length > 7) ? 4 : 6 };
    case 'groups':
      return { layout: 'groups', perSlide: 4 };
    case 'places':
      return { layout: 'places', perSlide: 24 };
    case 'quotes':
      return { layout: 'quotes', perSlide: 1 };
    default:
      return { layout: 'text', perSlide: 1 };
  }
}

/** Slides a list takes in balanced runs of at most `per`. */
const slidesFor = (count: number, per: number): number => Math.max(1, Math.ceil(count / Math.max(1, per)));

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Pure: which of a report's sections an audience's deck shows, in what order, how much of each,
 * and what it leaves out. The profile's steps pick sections by role; each kind of content of a
 * picked section becomes a block with its own layout. When the deck would be longer than the
 * profile's `maxSlides`, optional steps go first, then spotlights become cards, then long blocks
 * keep one slide, then the last blocks go — each omission reported with its reason.
 */
export function planDeck(
  briefing: Briefing,
  profile: Pick<AudienceProfileData, 'sections' | 'summary' | 'maxSlides'> & { name: string },
  /** Entries per slide that slide fit measured, by list name (`sections.x.items`): they win over the estimate. */
  splits: ReadonlyMap<string, number> = new Map(),
): DeckPlan {
  const sections = Object.entries(briefing.sections).map(([key, section]) => ({ key, section, role: roleOf(key, section), kinds: kindsOf(section) }));
  const taken = new Set<string>();
  const omitted: Omission[] = [];
  let blocks: PlannedBlock[] = [];

  profile.sections.forEach((entry, step) => {
    const wantedOf = (kinds: ContentKind[]) => kinds.filter((kind) => !entry.kinds || entry.kinds.includes(kind) || (kind === 'text' && entry.kinds.includes('items')));
    // A section with none of the kinds this step shows is left for a later step.
    const candidates = sections.filter((s) => !taken.has(s.key) && (entry.rest === true || entry.roles!.includes(s.role)) && wantedOf(s.kinds).length > 0);
    const picked = entry.sections !== undefined ? candidates.slice(0, entry.sections) : candidates;
    for (const { key, section, role, kinds } of picked) {
      taken.add(key);
      const wanted = wantedOf(kinds);
      for (const kind of kinds.filter((k) => !wanted.includes(k))) {
        omitted.push({ path: `sections.${key}.${kind}`, reason: `shows only the ${entry.kinds!.join(', ')} of ${role} sections` });
      }
      wanted.forEach((kind, index) => {
        const list = listOf[kind](section);
        const limit = entry.maxItems ?? list.length;
        let shown = list.map((_, i) => i).slice(0, limit);
        const laid = layoutOf(kind, section, shown, entry);
        const { layout } = laid;
        const measured = splits.get(`sections.${key}.${kind}`);
        const perSlide = measured !== undefined ? Math.min(laid.perSlide, measured) : laid.perSlide;
        if (entry.maxSlides !== undefined && kind !== 'text') shown = shown.slice(0, entry.maxSlides * perSlide);
        for (let i = shown.length; i < list.length; i += 1) {
          omitted.push({ path: `sections.${key}.${kind}[${i}]`, reason: `shows the first ${plural(shown.length, 'entry', 'entries')} of a ${role} section` });
        }
        blocks.push({
          section: key,
          role,
          kind,
          layout,
          depth: entry.depth,
          opensSection: index === 0,
          shown,
          total: list.length,
          perSlide,
          slides: kind === 'text' ? 1 : slidesFor(shown.length, perSlide),
          step,
          optional: entry.optional,
        });
      });
    }
  });
  for (const { key, role } of sections) {
    if (!taken.has(key)) omitted.push({ path: `sections.${key}`, reason: `shows no ${role} sections` });
  }

  const fixed = 2 + (profile.summary === 'none' ? 0 : 1);
  const total = () => fixed + blocks.reduce((n, b) => n + b.slides, 0);
  const budget = profile.maxSlides;
  const cut = (block: PlannedBlock, keep: number, why: string) => {
    const path = block.kind === 'text' ? `sections.${block.section}` : `sections.${block.section}.${block.kind}`;
    for (const i of block.shown.slice(keep)) omitted.push({ path: `${path}[${i}]`, reason: why });
    block.shown = block.shown.slice(0, keep);
  };
  if (budget !== undefined) {
    const over = `to stay within ${budget} slides`;
    const leftOut = (block: PlannedBlock) => omitted.push({ path: `sections.${block.section}${block.kind === 'text' ? '' : `.${block.kind}`}`, reason: `leaves it out ${over}` });
    // 1. Optional steps, the last one first.
    while (total() > budget) {
      const last = [...blocks].reverse().find((b) => b.optional);
      if (!last) break;
      blocks.filter((b) => b.step === last.step).forEach(leftOut);
      blocks = blocks.filter((b) => b.step !== last.step);
    }
    // 2. A spotlight (a slide per item) becomes one grid of cards.
    for (const block of blocks.filter((b) => b.layout === 'spotlight')) {
      if (total() <= budget) break;
      block.layout = 'cards';
      block.perSlide = cardsPerSlide(briefing.sections[block.section]!, block.shown, block.depth);
      block.slides = slidesFor(block.shown.length, block.perSlide);
    }
    // 3. The longest blocks keep what fits on one slide.
    for (const block of [...blocks].sort((a, b) => b.slides - a.slides)) {
      if (total() <= budget || block.slides <= 1) break;
      cut(block, block.perSlide, `has one slide for it, to stay within ${budget} slides`);
      block.slides = 1;
    }
    // 4. Then whole blocks from the end.
    while (total() > budget && blocks.length > 0) leftOut(blocks.pop()!);
  }

  // Blocks of one section stay together, and the first one left opens it.
  const seen = new Set<string>();
  for (const block of blocks) {
    block.opensSection = !seen.has(block.section);
    seen.add(block.section);
  }
  const shown = new Set<string>();
  for (const block of blocks) {
    shown.add(`sections.${block.section}`);
    for (const i of block.shown) shown.add(`sections.${block.section}.${block.kind}[${i}]`);
  }
  if (profile.summary === 'points') briefing.summary.points.forEach((_, i) => shown.add(`summary.points[${i}]`));
  else briefing.summary.points.forEach((_, i) => omitted.push({ path: `summary.points[${i}]`, reason: `shows the summary's headline only` }));
  return { summary: profile.summary, blocks, slides: total(), shown: [...shown], omitted: omitted.filter((o) => !shown.has(o.path)) };
}
