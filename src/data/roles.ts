import { sectionRoles, type ContentKind, type Section, type SectionRole } from '../schema.js';

const isRole = (name: string): name is SectionRole => (sectionRoles as readonly string[]).includes(name);

/**
 * Pure: what a section is for. Its own `role` first; else the role its key names (a section called
 * `challenges`); else one read from its content: metrics, a timeline, groups, quotes; else context.
 */
export function roleOf(key: string, section: Section): SectionRole {
  if (section.role) return section.role;
  if (isRole(key)) return key;
  const kinds = kindsOf(section);
  if (kinds.includes('metrics')) return 'metrics';
  if (kinds.length === 1 && kinds[0] === 'timeline') return 'timeline';
  if (kinds.includes('groups')) return 'landscape';
  if (kinds.length === 1 && kinds[0] === 'quotes') return 'voices';
  return 'context';
}

/** Pure: the kinds of content a section holds, in the order decks show them; `text` when it has only a lead. */
export function kindsOf(section: Section): ContentKind[] {
  const kinds: ContentKind[] = [];
  // Numbers, a timeline or a map first: the items of such a section say what they show.
  if (section.metrics.length > 0) kinds.push('metrics');
  if (section.timeline.length > 0) kinds.push('timeline');
  if (section.groups.length > 0) kinds.push('groups');
  if (section.items.length > 0) kinds.push('items');
  if (section.places.length > 0) kinds.push('places');
  if (section.quotes.length > 0) kinds.push('quotes');
  if (kinds.length === 0 && (section.lead || section.headline)) kinds.push('text');
  return kinds;
}
