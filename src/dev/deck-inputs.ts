import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import type { AudienceProfile, TemplateSet } from '../templates/load-template-set.js';

/** `{{> name}}`, `{{#> name}}`, `{{~> "name"}}`; group 1 is the name or `(` for a dynamic partial. */
const partialReference = /{{~?\s*#?>\s*(\(|"[^"]+"|'[^']+'|[^\s}~]+)/g;
/** `@import "name";` and `@import-theme 'name';`, Marp's ways to build a theme on another. */
const themeImport = /@import(?:-theme)?\s+(?:url\()?["']([^"']+)["']/g;

function referencedPartials(source: string): { names: string[]; dynamic: boolean } {
  const names: string[] = [];
  let dynamic = false;
  for (const match of source.matchAll(partialReference)) {
    const raw = match[1]!;
    if (raw === '(') dynamic = true;
    else if (!raw.startsWith('@')) names.push(raw.replace(/^["']|["']$/g, ''));
  }
  return { names, dynamic };
}

/**
 * The template-set files (paths relative to the set's folder) one audience's deck is made from:
 * its profile, its deck template, the partials it reaches, its theme and what that imports, and
 * its labels. Partials called by a computed name make every partial an input.
 */
export function deckTemplateInputs(set: TemplateSet, profile: AudienceProfile, lang: string): string[] {
  const inputs = new Set<string>([relative(set.dir, profile.file)]);
  const deck = set.decks.get(profile.template);
  const queue = [deck?.source ?? '', profile.header ?? '', profile.footer ?? ''];
  if (deck) inputs.add(relative(set.dir, deck.file));
  const seenPartials = new Set<string>();
  while (queue.length > 0) {
    const { names, dynamic } = referencedPartials(queue.pop()!);
    if (dynamic) {
      for (const partial of set.partials.values()) inputs.add(relative(set.dir, partial.file));
      break;
    }
    for (const name of names) {
      const partial = set.partials.get(name);
      if (!partial || seenPartials.has(name)) continue;
      seenPartials.add(name);
      inputs.add(relative(set.dir, partial.file));
      queue.push(partial.source);
    }
  }
  const themes = [profile.theme];
  const seenThemes = new Set<string>();
  while (themes.length > 0) {
    const theme = set.themes.get(themes.pop()!);
    if (!theme || seenThemes.has(theme.name)) continue;
    seenThemes.add(theme.name);
    inputs.add(relative(set.dir, theme.file));
    for (const match of theme.css.matchAll(themeImport)) themes.push(match[1]!);
  }
  // The composer falls back to English labels when a language has none; a new file must count too.
  inputs.add(join('i18n', `${lang}.yaml`));
  if (!set.labels.has(lang)) inputs.add(join('i18n', 'en.yaml'));
  // Which sections the deck picks depends on the role words.
  inputs.add('roles.yaml');
  return [...inputs].sort();
}

/** A fingerprint of everything a deck is built from: equal fingerprints, equal decks. */
export function deckFingerprint(set: TemplateSet, inputs: readonly string[], extra: readonly string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) hash.update(`${input}\0${set.hashes.get(input) ?? '-'}\n`);
  for (const value of extra) hash.update(`${value}\n`);
  return hash.digest('hex');
}
