import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { BriefgenError, ErrorCode } from '../../src/errors.js';
import { createRenderer, type RenderedDeck, type ThemeSource } from '../../src/render/render-deck.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'render');
const deckDir = path.join(fixtures, 'deck');
const themesDir = path.join(fixtures, 'themes');

function theme(file: string, name: string): ThemeSource {
  const full = path.join(themesDir, file);
  return { name, css: readFileSync(full, 'utf8'), file: full };
}

const renderer = createRenderer({
  themes: [theme('briefing.css', 'briefing'), theme('wide.css', 'wide')],
  allowedRoots: [fixtures],
});

function render(markdown: string, extra: { title?: string; baseDir?: string } = {}): RenderedDeck {
  return renderer.render({ markdown, lang: 'en', baseDir: extra.baseDir ?? deckDir, title: extra.title });
}

function dataUriOf(file: string, mime: string): string {
  return `data:${mime};base64,${readFileSync(file).toString('base64')}`;
}

const cssUrls = (css: string): string[] =>
  [...css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^"'()\s]*))\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');

/** Every URL the document would load: element sources and CSS `url()`s (links are not loads). */
function loadedUrls(root: HTMLElement): string[] {
  const urls: string[] = [];
  for (const el of root.querySelectorAll('[src], [poster], [srcset]')) {
    for (const attr of ['src', 'poster']) {
      const value = el.getAttribute(attr);
      if (value !== undefined) urls.push(value);
    }
    const srcset = el.getAttribute('srcset');
    if (srcset) urls.push(...srcset.split(',').map((c) => c.trim().split(/\s+/)[0] ?? ''));
  }
  for (const el of root.querySelectorAll('style')) urls.push(...cssUrls(el.textContent));
  for (const el of root.querySelectorAll('[style]')) urls.push(...cssUrls(el.getAttribute('style') ?? ''));
  return urls;
}

describe('render: deck structure', () => {
  const cases: {
    name: string;
    markdown: string;
    slides: number;
    notes: string[];
    size: [number, number];
  }[] = [
    { name: 'one slide without notes', markdown: '# Only', slides: 1, notes: [''], size: [1280, 720] },
    {
      name: 'notes per slide, several comments joined by a blank line',
      markdown: '# One\n\n<!-- first -->\n\n---\n\n# Two\n\n---\n\n# Three\n\n<!-- a -->\n<!-- b -->\n',
      slides: 3,
      notes: ['first', '', 'a\n\nb'],
      size: [1280, 720],
    },
    {
      name: 'directive comments are not notes',
      markdown: '<!-- paginate: true -->\n# One\n\n<!-- _class: lead -->\n',
      slides: 1,
      notes: [''],
      size: [1280, 720],
    },
    { name: 'size 4:3 directive', markdown: '---\nsize: 4:3\n---\n# A\n\n---\n# B', slides: 2, notes: ['', ''], size: [960, 720] },
    { name: 'size from a custom theme', markdown: '---\ntheme: wide\n---\n# Wide', slides: 1, notes: [''], size: [1920, 1080] },
  ];

  it.each(cases)('$name', ({ markdown, slides, notes, size }) => {
    const deck = render(markdown);
    expect(deck.slideCount).toBe(slides);
    expect(deck.notes).toEqual(notes);
    expect([deck.width, deck.height]).toEqual(size);
    const svgs = parse(deck.html).querySelectorAll('svg[data-marpit-svg]');
    expect(svgs).toHaveLength(slides);
    expect(svgs[0]?.getAttribute('viewBox')).toBe(`0 0 ${size[0]} ${size[1]}`);
    expect(deck.html).toContain(`@page { size: ${size[0]}px ${size[1]}px; margin: 0; }`);
  });
});

describe('render: HTML document', () => {
  it('is a complete document with lang, charset, title, marp CSS and script', () => {
    const deck = renderer.render({ markdown: '# Heading', lang: 'ja', baseDir: deckDir, title: 'Q3 <Report> & more' });
    expect(deck.html.startsWith('<!doctype html>\n')).toBe(true);
    const root = parse(deck.html);
    expect(root.querySelector('html')?.getAttribute('lang')).toBe('ja');
    expect(root.querySelector('meta[charset]')?.getAttribute('charset')).toBe('utf-8');
    expect(root.querySelector('title')?.textContent).toBe('Q3 <Report> & more');
    expect(deck.title).toBe('Q3 <Report> & more');
    const styles = root.querySelectorAll('head style').map((s) => s.textContent);
    expect(styles[0]).toBe(deck.css);
    expect(styles.join('\n')).toMatch(/@media print[\s\S]*print-color-adjust: exact/);
    expect(styles.join('\n')).toContain('html[data-export]');
    // marp-core's inline script (auto-scaling for fit headings) is kept, and loads nothing.
    const scripts = root.querySelectorAll('script');
    expect(scripts.some((s) => s.textContent.includes('marp-auto-scaling'))).toBe(true);
    expect(scripts.every((s) => s.getAttribute('src') === undefined)).toBe(true);
  });

  it('keeps each slide\'s speaker notes in the document, hidden and escaped', () => {
    const deck = render('# One\n\n<!-- Say <b>hello</b> first -->\n\n---\n\n# Two\n\n---\n\n# Three\n\n<!-- Wrap up -->\n');
    const root = parse(deck.html);
    const notes = root.querySelector('section.speaker-notes');
    expect(notes?.hasAttribute('hidden')).toBe(true);
    const asides = notes?.querySelectorAll('aside') ?? [];
    expect(asides.map((a) => a.getAttribute('data-slide'))).toEqual(['1', '3']);
    expect(asides[0]?.querySelector('p')?.textContent).toBe('Say <b>hello</b> first');
    expect(asides[0]?.querySelector('b')).toBeNull();
  });

  const titleCases = [
    { name: 'first heading', markdown: 'Intro text\n\n## Sales *up* & away\n\n# Later', title: 'Sales up & away' },
    { name: 'emoji in the heading keep their character', markdown: '# Launch 🚀', title: 'Launch 🚀' },
    { name: 'no heading at all', markdown: 'Just text', title: 'Slides' },
    { name: 'title directive before the heading', markdown: '---\ntitle: Board pack\n---\n# Heading', title: 'Board pack' },
  ];
  it.each(titleCases)('title without an explicit one: $name', ({ markdown, title }) => {
    const deck = render(markdown);
    expect(deck.title).toBe(title);
    expect(parse(deck.html).querySelector('title')?.textContent).toBe(title);
  });

  it('keeps raw HTML to marp-core’s allowlist (no scripts, no inline styles from the Markdown)', () => {
    const deck = render('# A\n\n<script>alert(1)</script>\n\n<div style="color:red" onclick="x()">b</div>\n');
    const root = parse(deck.html);
    expect(root.querySelectorAll('script').some((s) => s.textContent.includes('alert(1)'))).toBe(false);
    const div = root.querySelectorAll('section div').find((d) => d.textContent === 'b');
    expect(div?.getAttribute('style')).toBeUndefined();
    expect(div?.getAttribute('onclick')).toBeUndefined();
  });
});

describe('render: themes', () => {
  it('applies a registered custom theme and inlines the URLs of its CSS relative to the theme file', () => {
    const deck = render('---\ntheme: briefing\n---\n# Themed');
    const section = parse(deck.html).querySelector('section');
    expect(section?.getAttribute('data-theme')).toBe('briefing');
    expect(deck.css).toMatch(/rgb\(12,\s*34,\s*56\)/);
    expect(cssUrls(deck.css)).toContain(dataUriOf(path.join(themesDir, 'blue.png'), 'image/png'));
    expect(deck.externalUrls).toEqual([]);
  });

  const invalid: { name: string; source: ThemeSource; message: RegExp }[] = [
    // The file is the error's location (the CLI prints it before the message), not in the message.
    { name: 'no @theme comment', source: theme('no-name.css', 'no-name'), message: /^invalid theme CSS: .*@theme/ },
    { name: 'a CSS syntax error', source: theme('unclosed.css', 'unclosed'), message: /^invalid theme CSS: Unclosed block/ },
    { name: 'a name that disagrees with @theme', source: theme('wide.css', 'narrow'), message: /wide\.css.*"wide".*"narrow"/ },
  ];
  it.each(invalid)('rejects a theme with $name, naming the file', ({ source, message }) => {
    let error: unknown;
    try {
      createRenderer({ themes: [source], allowedRoots: [fixtures] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BriefgenError);
    const briefgenError = error as BriefgenError;
    expect(briefgenError.code).toBe(ErrorCode.theme);
    expect(briefgenError.message).toMatch(message);
    expect(briefgenError.location?.file).toBe(source.file);
  });
});

describe('render: offline emoji and math', () => {
  it('draws emoji as inlined Twemoji SVG images and loads nothing remote', () => {
    const deck = render('# Hi 😀\n\nThumbs :+1: and 👩‍💻');
    const root = parse(deck.html);
    const emoji = root.querySelectorAll('img[data-marp-twemoji]');
    expect(emoji.map((img) => img.getAttribute('alt'))).toEqual(['😀', '👍', '👩‍💻']);
    for (const img of emoji) {
      const src = img.getAttribute('src') ?? '';
      expect(src.startsWith('data:image/svg+xml;base64,')).toBe(true);
      expect(Buffer.from(src.slice(src.indexOf(',') + 1), 'base64').toString('utf8')).toMatch(/^<svg[\s>]/);
    }
    expect(loadedUrls(root).every((url) => url.startsWith('data:'))).toBe(true);
    expect(deck.externalUrls).toEqual([]);
  });

  it('falls back to the character for an emoji newer than the bundled Twemoji set', () => {
    // U+1FAE9 (face with bags under eyes) arrived in Unicode 16; @twemoji/svg 15 has no image for it.
    const root = parse(render('Tired 🫩 but happy 😀').html);
    const paragraph = root.querySelector('section p');
    expect(paragraph?.textContent).toContain('🫩');
    expect(paragraph?.querySelectorAll('img').map((img) => img.getAttribute('alt'))).toEqual(['😀']);
  });

  it('typesets math with KaTeX and inlines only its woff2 fonts', () => {
    const deck = render('Inline $E = mc^2$\n\n$$\n\\int_0^1 x\\,dx\n$$\n');
    const root = parse(deck.html);
    expect(root.querySelectorAll('.katex')).toHaveLength(2);
    expect(root.querySelector('.katex-display')).not.toBeNull();
    const urls = cssUrls(deck.css);
    const fonts = urls.filter((url) => url.startsWith('data:font/'));
    expect(fonts.length).toBeGreaterThanOrEqual(20);
    expect(fonts.every((url) => url.startsWith('data:font/woff2;base64,'))).toBe(true);
    expect(loadedUrls(root).every((url) => url.startsWith('data:'))).toBe(true);
    expect(deck.css.includes('file:'), 'no file: URL left in the CSS').toBe(false);
  });

  it('adds no math CSS (and no fonts) to a deck without math', () => {
    expect(render('# Plain').css).not.toContain('KaTeX');
  });
});

describe('render: local and external resources', () => {
  const red = dataUriOf(path.join(deckDir, 'images', 'red.png'), 'image/png');

  const inlined = [
    { name: 'Markdown image', markdown: '![alt](images/red.png)', select: 'section img' },
    { name: 'Markdown image with a size keyword', markdown: '![w:200](./images/red.png)', select: 'section img' },
    { name: 'HTML <img>', markdown: '<img src="images/red.png">', select: 'section img' },
    { name: 'absolute path in <img>', markdown: `<img src="${path.join(deckDir, 'images', 'red.png')}">`, select: 'section img' },
  ];
  it.each(inlined)('inlines a local $name as a data URI', ({ markdown, select }) => {
    const deck = render(markdown);
    expect(parse(deck.html).querySelector(select)?.getAttribute('src')).toBe(red);
    expect(deck.externalUrls).toEqual([]);
  });

  it('inlines background images and CSS url() from a <style> in the deck', () => {
    const deck = render('![bg](images/red.png)\n\n<style>\nsection { border-image: url("images/red.png") }\n</style>\n\n# A');
    const figure = parse(deck.html).querySelector('figure');
    expect(cssUrls(figure?.getAttribute('style') ?? '')).toEqual([red]);
    expect(cssUrls(deck.css)).toContain(red);
    expect(deck.externalUrls).toEqual([]);
  });

  it('inlines a backgroundImage directive with a quoted URL', () => {
    const deck = render('<!-- backgroundImage: url("images/red.png") -->\n\n# A');
    const section = parse(deck.html).querySelector('section');
    expect(cssUrls(section?.getAttribute('style') ?? '')).toContain(red);
  });

  const external: { name: string; markdown: string; roots?: string[]; url: string }[] = [
    { name: 'an https image', markdown: '![x](https://example.com/chart.png)', url: 'https://example.com/chart.png' },
    { name: 'a protocol-relative background', markdown: '![bg](//cdn.example.com/bg.jpg)', url: '//cdn.example.com/bg.jpg' },
    { name: 'a file outside the allowed roots', markdown: '![x](../outside.png)', roots: [deckDir], url: '../outside.png' },
    { name: 'a missing file', markdown: '![x](images/missing.png)', url: 'images/missing.png' },
  ];
  it.each(external)('leaves $name as is and lists it', ({ markdown, roots, url }) => {
    const local = roots ? createRenderer({ themes: [], allowedRoots: roots }) : renderer;
    const deck = local.render({ markdown, lang: 'en', baseDir: deckDir });
    expect(deck.externalUrls).toEqual([url]);
    expect(loadedUrls(parse(deck.html))).toContain(url);
  });

  it('inlines the same file once per reference and lists each external URL once', () => {
    const deck = render(
      '![a](images/red.png) ![b](images/red.png)\n\n![c](https://example.com/x.png) ![d](https://example.com/x.png)',
    );
    const srcs = parse(deck.html).querySelectorAll('section img').map((img) => img.getAttribute('src'));
    expect(srcs).toEqual([red, red, 'https://example.com/x.png', 'https://example.com/x.png']);
    expect(deck.externalUrls).toEqual(['https://example.com/x.png']);
  });
});
