import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deckFingerprint, deckTemplateInputs } from '../../src/dev/deck-inputs.js';
import type { AudienceProfile, TemplateSet } from '../../src/templates/load-template-set.js';

const dir = '/t';
function set(options: { deck: string; partials: Record<string, string>; themes?: Record<string, string>; labels?: string[] }): TemplateSet {
  const partials = new Map(Object.entries(options.partials).map(([name, source]) => [name, { name, file: join(dir, 'partials', `${name}.hbs`), source }]));
  const themes = new Map(Object.entries(options.themes ?? { plain: '/* @theme plain */' }).map(([name, css]) => [name, { name, file: join(dir, 'themes', `${name}.css`), css }]));
  const hashes = new Map<string, string>();
  for (const p of partials.values()) hashes.set(join('partials', `${p.name}.hbs`), `h-${p.source}`);
  for (const t of themes.values()) hashes.set(join('themes', `${t.name}.css`), `h-${t.css}`);
  hashes.set(join('decks', 'd.hbs'), `h-${options.deck}`);
  return {
    dir,
    audiences: new Map(),
    decks: new Map([['d', { name: 'd', file: join(dir, 'decks', 'd.hbs'), source: options.deck }]]),
    partials,
    themes,
    labels: new Map((options.labels ?? ['en']).map((lang) => [lang, {}])),
    hashes,
  };
}

const profile = (extra: Partial<AudienceProfile> = {}): AudienceProfile => ({
  name: 'a',
  file: join(dir, 'audiences', 'a.yaml'),
  description: {},
  default: false,
  register: 'standard',
  summary: 'points',
  sections: [],
  template: 'd',
  theme: 'plain',
  requires: [],
  paginate: true,
  fit: { minScale: 0.75 },
  ...extra,
});

describe('deckTemplateInputs', () => {
  it('follows partials through partials, block partials and quoted names, and skips unused ones', () => {
    const templates = set({
      deck: '{{> cover}}\n{{#> "frame"}}x{{/frame}}\n{{> @partial-block}}',
      partials: { cover: '{{~> layouts/title }}', 'layouts/title': '# t', frame: '{{> @partial-block}}', unused: 'u' },
    });
    expect(deckTemplateInputs(templates, profile(), 'en')).toEqual(
      [join('audiences', 'a.yaml'), join('decks', 'd.hbs'), join('i18n', 'en.yaml'), join('partials', 'cover.hbs'), join('partials', 'frame.hbs'), join('partials', 'layouts/title.hbs'), join('themes', 'plain.css')].sort(),
    );
  });

  it('counts every partial when one is called by a computed name, and the footer’s partials', () => {
    const templates = set({ deck: '{{> (lookup . "kind")}}', partials: { a: 'a', b: 'b' } });
    expect(deckTemplateInputs(templates, profile(), 'en')).toEqual(expect.arrayContaining([join('partials', 'a.hbs'), join('partials', 'b.hbs')]));
    const footer = set({ deck: 'body', partials: { foot: 'f', other: 'o' } });
    const inputs = deckTemplateInputs(footer, profile({ footer: '{{> foot}}' }), 'en');
    expect(inputs).toContain(join('partials', 'foot.hbs'));
    expect(inputs).not.toContain(join('partials', 'other.hbs'));
  });

  it('follows theme imports and falls back to English labels', () => {
    const templates = set({ deck: '', partials: {}, themes: { plain: '/* @theme plain */\n@import "base";', base: '/* @theme base */', other: '/* @theme other */' } });
    const inputs = deckTemplateInputs(templates, profile(), 'fr');
    expect(inputs).toEqual(expect.arrayContaining([join('themes', 'plain.css'), join('themes', 'base.css'), join('i18n', 'fr.yaml'), join('i18n', 'en.yaml')]));
    expect(inputs).not.toContain(join('themes', 'other.css'));
  });
});

describe('deckFingerprint', () => {
  it('changes with an input file, a missing file appearing, or an extra value, and only then', () => {
    const templates = set({ deck: 'x', partials: { cover: 'c' } });
    const inputs = [join('decks', 'd.hbs'), join('i18n', 'fr.yaml')];
    const base = deckFingerprint(templates, inputs, ['data-1']);
    expect(deckFingerprint(templates, inputs, ['data-1'])).toBe(base);
    expect(deckFingerprint(templates, inputs, ['data-2'])).not.toBe(base);
    templates.hashes.set(join('i18n', 'fr.yaml'), 'new');
    expect(deckFingerprint(templates, inputs, ['data-1'])).not.toBe(base);
    templates.hashes.set(join('partials', 'cover.hbs'), 'changed but not an input');
    templates.hashes.delete(join('i18n', 'fr.yaml'));
    expect(deckFingerprint(templates, inputs, ['data-1'])).toBe(base);
  });
});
