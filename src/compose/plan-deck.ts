import { kindsOf, roleOf, type RoleWords } from '../data/roles.js';
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
  /**
   * Shown on the last slide of the block before it (of the same section), not on a slide of its
   * own: a few places, or one or two items after a map or a timeline, under the same title.
   */
  joined: boolean;
  /**
   * The name slide fit measures the block's slides by: the list's path, with the depth added
   * (`sections.x.items@summary`) when an earlier measurement at a richer depth no longer applies.
   */
  measuredAs: string;
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
  /** Indexes of the summary points the summary slides show. */
  points: number[];
  blocks: PlannedBlock[];
  /**
   * A closing slide: when there is a takeaway to end on (the so-what, or the headline no summary
   * slide said) or a source to cite; else the deck ends on its last content slide.
   */
  closing: boolean;
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

/** Room a card takes, in Latin-character units: a fixed cost (padding, number, title line) and its words at this depth. */
function cardWeight(item: Section['items'][number], depth: Depth): number {
  const body = depth === 'headline' ? 0 : textWeight(item.text) + (depth === 'full' ? textWeight(item.detail) : 0);
  return 100 + textWeight(item.title) + body;
}

const cardsWeight = (section: Section, shown: number[], depth: Depth): number => shown.reduce((n, i) => n + cardWeight(section.items[i]!, depth), 0);

function cardsPerSlide(section: Section, shown: number[], depth: Depth): number {
  if (shown.length === 0) return 1;
  const average = cardsWeight(section, shown, depth) / shown.length;
  // Full depth only makes cards bigger where the items have a detail to show.
  const limit = depth === 'full' && !shown.some((i) => section.items[i]!.detail) ? cardLimit.summary : cardLimit[depth];
  return Math.max(1, Math.min(limit, Math.floor(cardCapacity[depth] / average)));
}

/** A slide of its own for each item only when the items have that much to say: a detail, or a long text. */
function worthASlide(section: Section, shown: number[]): boolean {
  const items = shown.map((i) => section.items[i]!);
  return items.some((item) => item.detail) || items.reduce((n, item) => n + textWeight(item.text), 0) / Math.max(1, items.length) >= spotlightText;
}
/** Average text (Latin-character units) that makes an item worth a slide of its own. */
const spotlightText = 160;

/** Titles alone suit a long list; three items or fewer have the room to say what they mean. */
const depthFor = (depth: Depth, shown: number[]): Depth => (depth === 'headline' && shown.length <= 3 ? 'summary' : depth);

const lighter: Record<Depth, Depth | undefined> = { full: 'summary', summary: 'headline', headline: undefined };
const richer: Record<Depth, Depth | undefined> = { headline: 'summary', summary: 'full', full: undefined };

/** Fraction of a slide's card capacity the richer depth may fill before the profile's depth stays. */
const roomyShare = 0.6;

/**
 * The depth cards get on a block of `slides` slides: one step richer than the profile asks when
 * its words fill little of the slides (title-only cards under a band of empty space say less
 * than the data has), and one step lighter when slide fit measured that the asked depth cuts
 * entries a one-slide block should show (all four challenges briefly beat two in full).
 */
function cardDepth(section: Section, shown: number[], asked: Depth, slides: number | undefined, measured: number | undefined): { depth: Depth; remeasure: boolean } {
  const base = depthFor(asked, shown);
  const up = richer[base];
  const adds = (depth: Depth) => shown.some((i) => (depth === 'full' ? section.items[i]!.detail : section.items[i]!.text));
  const roomy = up !== undefined && slides !== undefined && adds(up) && shown.length <= cardLimit[up] * slides && cardsWeight(section, shown, up) <= roomyShare * cardCapacity[up] * slides;
  const depth = roomy ? up : base;
  const cut = slides !== undefined && measured !== undefined && measured * slides < shown.length;
  const light = cut ? lighter[depth] : undefined;
  // A measurement made at a richer depth says nothing of a lighter one: it is measured again.
  return light ? { depth: light, remeasure: true } : { depth, remeasure: false };
}

/**
 * Milestones at headline depth show their texts after all when one slide holds them (five at
 * most, each text short): dates and titles alone leave the slide's lower half empty.
 */
function timelineDepth(section: Section, shown: number[], asked: Depth): Depth {
  const events = shown.map((i) => section.timeline[i]!);
  const roomy = events.length <= 5 && events.some((e) => e.text) && events.every((e) => textWeight(e.text) <= spotlightText);
  return asked === 'headline' && roomy ? 'summary' : asked;
}

/** Text under a milestone (Latin-character units) that six columns still hold. */
const shortMilestoneText = 60;

/** Entries per slide for a kind of content, and the layout it gets. */
function layoutOf(kind: ContentKind, section: Section, shown: number[], entry: ProfileEntry): { layout: BlockLayout; perSlide: number } {
  switch (kind) {
    case 'items':
      return entry.layout === 'spotlight' && worthASlide(section, shown) ? { layout: 'spotlight', perSlide: 1 } : { layout: 'cards', perSlide: cardsPerSlide(section, shown, entry.depth) };
    case 'metrics':
      return { layout: 'metrics', perSlide: 6 };
    case 'timeline':
      // Texts of a sentence or more under each milestone need the room of five columns at most;
      // titles alone, or a few words under each, fit six.
      return { layout: 'timeline', perSlide: entry.depth !== 'headline' && shown.some((i) => textWeight(section.timeline[i]!.text) > shortMilestoneText) ? 5 : 6 };
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

/** Summary points to a slide (the summary partial pages them so). */
const pointsPerSlide = 4;

/** Places, or at most this many items, fit under the slide of the block before them. */
const joinableItems = 2;
const joinablePlaces = 16;

/** Marks the small followers of a one-slide block of the same section as shown on its slide. */
function joinSmallFollowers(blocks: PlannedBlock[]): void {
  blocks.forEach((block, i) => {
    const before = blocks[i - 1];
    if (!before || before.section !== block.section || before.slides !== 1 || before.joined || before.kind === 'quotes' || before.layout === 'spotlight') return;
    const small =
      (block.kind === 'places' && block.shown.length <= joinablePlaces && before.kind !== 'items') ||
      (block.kind === 'items' && block.layout === 'cards' && block.shown.length <= joinableItems && ['groups', 'timeline', 'metrics'].includes(before.kind));
    if (!small) return;
    block.joined = true;
    block.slides = 0;
  });
}

/** Slides a list takes in balanced runs of at most `per`. */
const slidesFor = (count: number, per: number): number => Math.max(1, Math.ceil(count / Math.max(1, per)));

/** "only one entry", "the first 3 entries". */
const firstOf = (n: number, one: string, many: string): string => (n === 1 ? `only one ${one}` : `the first ${n} ${many}`);

/**
 * Pure: which of a report's sections an audience's deck shows, in what order, how much of each,
 * and what it leaves out. The profile's steps pick sections by role; each kind of content of a
 * picked section becomes a block with its own layout. When the deck would be longer than the
 * profile's `maxSlides`, optional steps go first, then spotlights become cards, then long blocks
 * keep one slide, then the last blocks go — each omission reported with its reason.
 */
export function planDeck(
  briefing: Briefing,
  profile: Pick<AudienceProfileData, 'sections' | 'summary' | 'maxSlides' | 'minSections'> & { name: string },
  /** Entries per slide that slide fit measured, by list name (`sections.x.items`): they win over the estimate. */
  splits: ReadonlyMap<string, number> = new Map(),
  /** Words that name roles, for sections that give none (`templates/roles.yaml`). */
  roleWords: RoleWords = [],
): DeckPlan {
  const sections = Object.entries(briefing.sections).map(([key, section], order) => ({ key, section, order, role: roleOf(key, section, roleWords), kinds: kindsOf(section) }));
  const taken = new Set<string>();
  /** Sections a step would have taken but for its `sections` limit, and what the step does. */
  const limited = new Map<string, string>();
  const omitted: Omission[] = [];
  let blocks: PlannedBlock[] = [];

  const blocksOf = ({ key, section, role, kinds }: (typeof sections)[number], entry: ProfileEntry, step: number, wanted: ContentKind[]): PlannedBlock[] => {
    for (const kind of kinds.filter((k) => !wanted.includes(k))) {
      omitted.push({ path: `sections.${key}.${kind}`, reason: `shows only the ${entry.kinds!.join(', ')} of ${role} sections` });
    }
    return wanted.map((kind, index) => {
      const list = listOf[kind](section);
      const limit = entry.maxItems ?? list.length;
      let shown = list.map((_, i) => i).slice(0, limit);
      const measured = splits.get(`sections.${key}.${kind}`);
      const { depth, remeasure } =
        kind === 'items'
          ? cardDepth(section, shown, entry.depth, entry.maxSlides, measured)
          : { depth: kind === 'timeline' ? timelineDepth(section, shown, entry.depth) : entry.depth, remeasure: false };
      const laid = layoutOf(kind, section, shown, { ...entry, depth });
      // A block kept to one slide tries all its cards there first: slide fit shrinks them, and
      // only what measurement finds will not fit at the floor is cut (a title counting four shows four).
      const hopeful = entry.maxSlides === 1 && laid.layout === 'cards' ? Math.max(laid.perSlide, Math.min(shown.length, cardLimit[depth])) : laid.perSlide;
      const measuredAs = remeasure ? `sections.${key}.${kind}@${depth}` : `sections.${key}.${kind}`;
      const measuredHere = remeasure ? splits.get(measuredAs) : measured;
      const perSlide = measuredHere !== undefined ? Math.min(hopeful, measuredHere) : hopeful;
      if (entry.maxSlides !== undefined && kind !== 'text') shown = shown.slice(0, entry.maxSlides * perSlide);
      for (let i = shown.length; i < list.length; i += 1) {
        omitted.push({ path: `sections.${key}.${kind}[${i}]`, reason: `shows ${firstOf(shown.length, 'entry', 'entries')} of a ${role} section` });
      }
      return {
        section: key,
        role,
        kind,
        layout: laid.layout,
        depth,
        opensSection: index === 0,
        shown,
        total: list.length,
        perSlide,
        slides: kind === 'text' ? 1 : slidesFor(shown.length, perSlide),
        step,
        optional: entry.optional,
        joined: false,
        measuredAs,
      };
    });
  };

  profile.sections.forEach((entry, step) => {
    const wantedOf = (kinds: ContentKind[]) => kinds.filter((kind) => !entry.kinds || entry.kinds.includes(kind) || (kind === 'text' && entry.kinds.includes('items')));
    // A section with none of the kinds this step shows is left for a later step.
    const candidates = sections.filter((s) => !taken.has(s.key) && (entry.rest === true || entry.roles!.includes(s.role)) && wantedOf(s.kinds).length > 0);
    const picked = entry.sections !== undefined ? candidates.slice(0, entry.sections) : candidates;
    for (const { key } of candidates.slice(picked.length)) {
      limited.set(key, `shows ${firstOf(entry.sections!, 'section', 'sections')} of the roles ${entry.roles?.join(', ') ?? 'left'}`);
    }
    for (const candidate of picked) {
      taken.add(candidate.key);
      blocks.push(...blocksOf(candidate, entry, step, wantedOf(candidate.kinds)));
    }
  });

  // A report whose sections fit few of the steps still gets a deck of its own content: its other
  // sections fill in, each where it stands in the report, one slide each, first to go for the budget.
  const picked = new Set(blocks.map((b) => b.section)).size;
  if (profile.minSections !== undefined && picked < profile.minSections) {
    const fill = sections.filter((s) => !taken.has(s.key) && s.kinds.length > 0).slice(0, profile.minSections - picked);
    const orderOf = new Map(sections.map((s) => [s.key, s.order]));
    fill.forEach((candidate, index) => {
      taken.add(candidate.key);
      const entry: ProfileEntry = { depth: 'summary', layout: 'cards', maxSlides: 1, optional: true };
      const added = blocksOf(candidate, entry, profile.sections.length + index, candidate.kinds);
      const before = blocks.findIndex((b) => orderOf.get(b.section)! > candidate.order);
      blocks.splice(before === -1 ? blocks.length : before, 0, ...added);
    });
  }
  for (const { key, role } of sections) {
    if (!taken.has(key)) omitted.push({ path: `sections.${key}`, reason: limited.get(key) ?? `shows no ${role} sections` });
  }

  joinSmallFollowers(blocks);

  const closing = Boolean(briefing.summary.soWhat) || profile.summary === 'none' || briefing.meta.source !== undefined;
  let points = profile.summary === 'points' ? briefing.summary.points.map((_, i) => i) : [];
  const summarySlides = () => (profile.summary === 'none' ? 0 : slidesFor(points.length, pointsPerSlide));
  const fixed = () => 1 + (closing ? 1 : 0) + summarySlides();
  const total = () => fixed() + blocks.reduce((n, b) => n + b.slides, 0);
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
    // 1b. A long summary keeps the points of one slide.
    if (total() > budget && points.length > pointsPerSlide) {
      for (const i of points.slice(pointsPerSlide)) omitted.push({ path: `summary.points[${i}]`, reason: `has one summary slide, ${over}` });
      points = points.slice(0, pointsPerSlide);
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

  // A block the budget removed leaves its follower on a slide of its own again.
  blocks.forEach((block, i) => {
    if (block.joined && blocks[i - 1]?.section !== block.section) {
      block.joined = false;
      block.slides = 1;
    }
  });
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
  for (const i of points) shown.add(`summary.points[${i}]`);
  if (profile.summary !== 'points') briefing.summary.points.forEach((_, i) => omitted.push({ path: `summary.points[${i}]`, reason: `shows the summary's headline only` }));
  return { summary: profile.summary, points, closing, blocks, slides: total(), shown: [...shown], omitted: omitted.filter((o) => !shown.has(o.path)) };
}
