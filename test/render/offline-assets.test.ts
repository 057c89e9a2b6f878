import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anchorThemeUrls,
  inlineCssUrls,
  inlineHtmlAssets,
  realRoots,
  resolveAsset,
  type AssetContext,
} from '../../src/render/offline-assets.js';

let work: string;
let root: string;
let outside: string;
const pngBytes = Buffer.from('89504e470d0a1a0a', 'hex');
const png = `data:image/png;base64,${pngBytes.toString('base64')}`;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'briefgen-assets-'));
  root = path.join(work, 'root');
  outside = path.join(work, 'outside');
  mkdirSync(path.join(root, 'img'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(root, 'img', 'a b.png'), pngBytes);
  writeFileSync(path.join(root, 'img', 'x.png'), pngBytes);
  writeFileSync(path.join(outside, 'secret.png'), pngBytes);
  symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'img', 'link.png'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const context = (): AssetContext => ({ baseDir: root, roots: realRoots([root]), cache: new Map(), external: new Set() });

describe('resolveAsset', () => {
  const cases: { url: string; kind: 'none' | 'local' | 'external' }[] = [
    { url: '', kind: 'none' },
    { url: '#section', kind: 'none' },
    { url: 'data:image/png;base64,AAAA', kind: 'none' },
    { url: 'img/x.png', kind: 'local' },
    { url: './img/x.png?v=2#frag', kind: 'local' },
    { url: 'img/a%20b.png', kind: 'local' },
    { url: 'img/missing.png', kind: 'external' },
    { url: 'img', kind: 'external' },
    { url: '../outside/secret.png', kind: 'external' },
    { url: 'img/link.png', kind: 'external' },
    { url: 'https://example.com/x.png', kind: 'external' },
    { url: 'HTTP://EXAMPLE.COM/x.png', kind: 'external' },
    { url: '//example.com/x.png', kind: 'external' },
    { url: 'ftp://example.com/x.png', kind: 'external' },
  ];
  it.each(cases)('$url → $kind', ({ url, kind }) => {
    expect(resolveAsset(url, root, realRoots([root])).kind).toBe(kind);
  });

  it('accepts absolute paths and file: URLs inside the roots', () => {
    const file = path.join(root, 'img', 'x.png');
    expect(resolveAsset(file, '/', realRoots([root])).kind).toBe('local');
    expect(resolveAsset(pathToFileURL(file).href, '/', realRoots([root])).kind).toBe('local');
  });

  it('drops roots that do not exist', () => {
    expect(realRoots([root, path.join(work, 'nope')])).toHaveLength(1);
  });
});

describe('inlineHtmlAssets', () => {
  const cases: { name: string; html: string; expected: string; external: string[] }[] = [
    { name: 'img src', html: '<img src="img/x.png" alt="">', expected: `<img src="${png}" alt="">`, external: [] },
    {
      name: 'entity-encoded src',
      html: '<img src="img/x.png?a=1&amp;b=2" />',
      expected: `<img src="${png}" />`,
      external: [],
    },
    {
      name: 'srcset candidates',
      html: '<img srcset="img/x.png 1x, https://e.com/y.png 2x">',
      expected: `<img srcset="${png} 1x, https://e.com/y.png 2x">`,
      external: ['https://e.com/y.png'],
    },
    {
      name: 'url() in a style attribute with entity quotes',
      html: '<figure style="background-image:url(&quot;img/a%20b.png&quot;);"></figure>',
      expected: `<figure style="background-image:url(&quot;${png}&quot;);"></figure>`,
      external: [],
    },
    {
      name: 'external and unchanged attributes keep their exact text',
      html: '<img src="https://e.com/z.png" title="a &amp; b">',
      expected: '<img src="https://e.com/z.png" title="a &amp; b">',
      external: ['https://e.com/z.png'],
    },
    {
      name: 'script bodies are left alone',
      html: '<script>if (a<b) x = "<img src=\\"img/x.png\\">";</script><img src="img/x.png">',
      expected: `<script>if (a<b) x = "<img src=\\"img/x.png\\">";</script><img src="${png}">`,
      external: [],
    },
  ];
  it.each(cases)('$name', ({ html, expected, external }) => {
    const ctx = context();
    expect(inlineHtmlAssets(html, ctx)).toBe(expected);
    expect([...ctx.external]).toEqual(external);
  });
});

describe('CSS URLs', () => {
  it('inlines quoted and bare url() and records remote @import', () => {
    const ctx = context();
    const css = `@import "https://fonts.example/x.css";\na{background:url(img/x.png)}\nb{background:url('img/x.png')}\nc{background:url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg'/>")}`;
    const out = inlineCssUrls(css, ctx);
    expect(out).toContain(`a{background:url("${png}")}`);
    expect(out).toContain(`b{background:url("${png}")}`);
    expect(out).toContain(`c{background:url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg'/>")}`);
    expect([...ctx.external]).toEqual(['https://fonts.example/x.css']);
  });

  it('anchors a theme’s relative URLs to the theme file: inlined inside the roots, absolute file: URLs outside', () => {
    const themeFile = path.join(root, 'theme.css');
    const out = anchorThemeUrls(
      'a{background:url(img/x.png)} b{background:url(../outside/secret.png)} c{background:url(https://e.com/q.png)}',
      themeFile,
      realRoots([root]),
      new Map(),
    );
    expect(out).toBe(
      `a{background:url("${png}")} b{background:url("${pathToFileURL(path.join(outside, 'secret.png')).href}")} c{background:url(https://e.com/q.png)}`,
    );
    // Rendered later against any deck folder, the anchored URL still points at the same file: external.
    const ctx = { ...context(), baseDir: '/somewhere/else' };
    inlineCssUrls(out, ctx);
    expect([...ctx.external]).toEqual([pathToFileURL(path.join(outside, 'secret.png')).href, 'https://e.com/q.png']);
  });
});
