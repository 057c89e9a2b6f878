import { afterAll, describe, expect, it } from 'vitest';
import { checkMarpSource } from '../../src/build/marp-source-checks.js';
import { testdir } from '../support/testdir.js';

const t = testdir({ 'deck/images/here.png': 'x', 'elsewhere/far.png': 'x' });
const sizes: Record<string, string[]> = { default: ['16:9', '4:3'], gaia: ['16:9', '4:3'] };
const check = (markdown: string, externalUrls: string[] = []) =>
  checkMarpSource({ deck: 'deck/talk.md', cwd: t.dir, markdown, baseDir: t.path('deck'), externalUrls, themeSizes: (name) => sizes[name], defaultTheme: 'default' }).map((w) => `${w.code}: ${w.message}`);

describe('checks of a presenter\'s deck', () => {
  afterAll(() => t.cleanup());

  it('is silent on a clean deck, and on remote URLs (the export reports those)', () => {
    expect(check('---\ntheme: gaia\nsize: 4:3\n---\n\n# Hi\n\n![](images/here.png)\n', ['https://example.com/a.png'])).toEqual([]);
  });

  it('names the line and the path as written of a missing image, and where it looked', () => {
    expect(check('# Hi\n\n\n![bg right](images/gone.png)\n', ['images/gone.png'])).toEqual(['missing-image: line 4: "images/gone.png" not found (looked for deck/images/gone.png)']);
  });

  it('tells an image outside the allowed folders apart, with the flag that loads it', () => {
    expect(check('![](../elsewhere/far.png)\n', ['../elsewhere/far.png'])).toEqual([
      'missing-image: line 1: "../elsewhere/far.png" is outside the folders a deck may load from (elsewhere/far.png); pass --allow-local-files to load it',
    ]);
  });

  it.each([
    ['front matter never closed', '---\ntheme: gaia\n# Hi\n', 'directive: line 1: the front matter is not closed with a "---" line; Marp renders it as slide text'],
    ['front matter that is not YAML', '---\ntheme: gaia\n  bad: [\n---\n# Hi\n', /^directive: line \d: the front matter is not valid YAML/],
    ['an unclosed comment', '# Hi\n\n<!-- note\n\n---\n\n# Lost\n', 'directive: line 3: an HTML comment "<!--" is never closed with "-->"; everything after it is hidden'],
    ['an unknown theme', '---\ntheme: fancy\n---\n# Hi\n', 'directive: line 2: unknown theme "fancy"; Marp renders the default theme instead (register it with --theme-set)'],
    ['an unknown theme in a comment directive', '# Hi\n\n<!-- theme: fancy -->\n', 'directive: line 3: unknown theme "fancy"; Marp renders the default theme instead (register it with --theme-set)'],
    ['a size the theme lacks', '---\nsize: 5:4\n---\n# Hi\n', 'directive: line 2: size "5:4" is not one the theme "default" defines (16:9, 4:3); the slides keep the theme\'s size'],
  ])('warns on %s', (_name, markdown, expected) => {
    const found = check(markdown);
    expect(found).toHaveLength(1);
    if (typeof expected === 'string') expect(found[0]).toBe(expected);
    else expect(found[0]).toMatch(expected);
  });

  it('ignores comments and directives inside code blocks', () => {
    expect(check('# Hi\n\n```html\n<!-- theme: fancy\n```\n')).toEqual([]);
  });
});
