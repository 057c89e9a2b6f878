import { sectionRoles, type ContentKind, type Section, type SectionRole } from '../schema.js';

/** Words that name each role, in the order roles are tried (`templates/roles.yaml`). */
export type RoleWords = ReadonlyArray<readonly [SectionRole, readonly string[]]>;

const isRole = (name: string): name is SectionRole => (sectionRoles as readonly string[]).includes(name);
const hasHan = (text: string): boolean => /\p{Script=Han}/u.test(text);

/** `keyRisks`, `key-risks`, `Key risks:` → ` key risk `: lowercase words, a trailing "s" dropped, padded for whole-word search. */
function wordsOf(text: string): string {
  const words = text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
  return ` ${words.join(' ')} `;
}

function roleNamedIn(text: string, table: RoleWords): SectionRole | undefined {
  const latin = wordsOf(text);
  for (const [role, words] of table) {
    for (const word of words) {
      if (hasHan(word) ? text.includes(word) : latin.includes(wordsOf(word))) return role;
    }
  }
  return undefined;
}

/**
 * Pure: what a section is for. Its own `role` first; else the role its key is; else the first role
 * whose words its key, then its title, contains; else one read from its content: metrics, a
 * timeline, groups, quotes; else context.
 */
export function roleOf(key: string, section: Section, table: RoleWords = []): SectionRole {
  if (section.role) return section.role;
  if (isRole(key)) return key;
  const named = roleNamedIn(key, table) ?? roleNamedIn(section.title, table);
  if (named) return named;
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
