import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/** A solid PNG of one colour. */
function solidPng(rgb: [number, number, number], size = 64): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([...rgb, 255], i);
  return PNG.sync.write(png);
}

/** The colour at (x, y) of a PNG file, as `r,g,b`. */
function pixel(file: string, x: number, y: number): string {
  const png = PNG.sync.read(readFileSync(file));
  const i = (y * png.width + x) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]].join(',');
}

/** Pixels of a PNG file close to pure red. */
function redPixels(file: string): number {
  const png = PNG.sync.read(readFileSync(file));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! > 200 && png.data[i + 1]! < 60 && png.data[i + 2]! < 60) n++;
  return n;
}

const blueTheme = '/* @theme bluish */\n@import "default";\nsection { background: rgb(0, 0, 255); }\n';

describe('briefgen render: Marp CLI options and presenters\' decks (real browser)', () => {
  const t = testdir({
    'themes/bluish.css': blueTheme,
    'only-themes/themes/bluish.css': blueTheme,
    'nothing/readme.txt': 'no themes here',
    'blue.md': '---\ntheme: bluish\n---\n\n# Blue\n',
    'plain.md': '# No theme named\n',
    'a/talk.md': '# A\n',
    'b/talk.md': '# B\n',
    'sub/missing.md': '# Image\n\n![w:400](missing.png)\n',
    'project/deck.md': '# Outside\n\n![](../missing.png)\n',
    'gaia.md': '---\ntheme: gaia\ndescription: A talk about Gaia\nmath: mathjax\n---\n\n# Gaia\n\n```js\nconst answer = 42;\n```\n\n$$x^2$$\n',
    'html.md': '# HTML\n\n<p align="center">centred</p>\n',
    'notes.md': '# One\n\n<!-- First note. -->\n\n---\n\n# Two\n\n---\n\n# Three\n\n<!-- Third, part one. -->\n<!-- Third, part two. -->\n',
    'bad-config/.marprc.yml': 'themeSet: 3\n',
    'bad-config/deck.md': '# x\n',
    'with-config/.marprc.yml': 'themeSet: ../themes\ntheme: bluish\nhtml: true\n',
  });
  // A red image in the working folder, where a deck's relative URL must never find it.
  writeFileSync(t.path('missing.png'), solidPng([255, 0, 0]));
  afterAll(() => t.cleanup());
  const render = (args: string[], cwd = t.dir) => runCli(['render', ...args, '-o', t.path(`out-${args.join('-').replace(/[^a-z0-9]+/gi, '_')}`), '-f', 'png,html', '-q'], { cwd });

  it('registers --theme-set folders and sets --theme for decks that name none', async () => {
    const set = await render(['blue.md', '--theme-set', 'themes']);
    expect(set.code, set.stderr).toBe(0);
    expect(pixel(t.path('out-blue_md_theme_set_themes/blue/slide-01.png'), 5, 5)).toBe('0,0,255');
    const named = await render(['plain.md', '--theme', 'themes/bluish.css']);
    expect(named.code, named.stderr).toBe(0);
    expect(pixel(t.path('out-plain_md_theme_themes_bluish_css/plain/slide-01.png'), 5, 5)).toBe('0,0,255');
  }, 60_000);

  it('takes the themes of a -t folder that holds only themes/, and refuses one with none (exit 2)', async () => {
    const only = await render(['blue.md', '-t', 'only-themes']);
    expect(only.code, only.stderr).toBe(0);
    expect(pixel(t.path('out-blue_md_t_only_themes/blue/slide-01.png'), 5, 5)).toBe('0,0,255');
    const none = await render(['blue.md', '-t', 'nothing', '--strict']);
    expect(none.code).toBe(2);
  }, 60_000);

  it('warns on an unknown theme (--strict: exit 1)', async () => {
    const result = await render(['blue.md', '--strict']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('blue.md: line 2: unknown theme "bluish"');
  }, 60_000);

  it('resolves a relative image against the deck\'s folder only, and warns with the line when it is missing', async () => {
    const result = await render(['sub/missing.md']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('sub/missing.md: line 3: "missing.png" not found (looked for sub/missing.png)');
    // The red missing.png of the working folder must not stand in for the deck's own.
    expect(redPixels(t.path('out-sub_missing_md/missing/slide-01.png'))).toBe(0);
    const strict = await render(['sub/missing.md', '--strict']);
    expect(strict.code).toBe(1);
  }, 60_000);

  it('warns once, with the line, about an image outside the folders a deck may load from; --allow-local-files loads it', async () => {
    const result = await runCli(['render', 'deck.md', '-o', t.path('out-outside'), '-f', 'png'], { cwd: t.path('project') });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/^warning: .*$/gm)).toEqual(['warning: deck.md: line 3: "../missing.png" is outside the folders a deck may load from (../missing.png); pass --allow-local-files to load it']);
    expect(redPixels(t.path('out-outside/deck/slide-01.png'))).toBe(0);
    const allowed = await runCli(['render', 'deck.md', '--allow-local-files', '-o', t.path('out-allowed'), '-f', 'png', '--strict'], { cwd: t.path('project') });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(redPixels(t.path('out-allowed/deck/slide-01.png'))).toBeGreaterThan(1000);
  }, 60_000);

  it('gives two decks of the same name folders of their own', async () => {
    const result = await runCli(['render', 'a/talk.md', 'b/talk.md', '-o', t.path('out-same'), '-f', 'html', '-q', '--json'], { cwd: t.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(t.path('out-same')).sort()).toEqual(['a-talk', 'b-talk', 'manifest.json']);
    const manifest = JSON.parse(readFileSync(t.path('out-same/manifest.json'), 'utf8')) as { decks: Array<{ artifacts: Array<{ path: string }> }> };
    const paths = manifest.decks.flatMap((d) => d.artifacts.map((a) => a.path));
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('renders a gaia deck offline under --strict: highlight.js, MathJax, the description as PDF subject', async () => {
    const result = await runCli(['render', 'gaia.md', '-o', t.path('out-gaia'), '-f', 'pdf,html', '--strict', '-q'], { cwd: t.dir });
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(t.path('out-gaia/gaia/gaia.html'), 'utf8');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('mjx-container');
    expect(html).not.toContain('fonts.bunny.net');
    const pdf = await PDFDocument.load(readFileSync(t.path('out-gaia/gaia/gaia.pdf')), { updateMetadata: false });
    expect(pdf.getSubject()).toBe('A talk about Gaia');
  }, 60_000);

  it('writes the speaker notes as text with --notes, one block per slide', async () => {
    const result = await runCli(['render', 'notes.md', '--notes', '-o', t.path('out-notes'), '-f', 'html', '-q', '--json'], { cwd: t.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(t.path('out-notes/notes/notes.txt'), 'utf8')).toBe('First note.\n\n---\n\n\n\n---\n\nThird, part one.\n\nThird, part two.\n');
    const manifest = JSON.parse(readFileSync(t.path('out-notes/manifest.json'), 'utf8')) as { decks: Array<{ artifacts: Array<{ path: string; kind: string }> }> };
    expect(manifest.decks[0]!.artifacts.map((a) => a.kind).sort()).toEqual(['html', 'notes']);
  });

  it('keeps markup marp-core\'s allowlist drops only with --html', async () => {
    await render(['html.md']);
    expect(readFileSync(t.path('out-html_md/html/html.html'), 'utf8')).not.toContain('align="center"');
    await render(['html.md', '--html']);
    expect(readFileSync(t.path('out-html_md_html/html/html.html'), 'utf8')).toContain('<p align="center">centred</p>');
  }, 60_000);

  it('reads the Marp config file of the working folder; a bad one is exit 2 naming file and key', async () => {
    const good = await runCli(['render', '../plain.md', '-o', t.path('out-config'), '-f', 'png', '-q'], { cwd: t.path('with-config') });
    expect(good.code, good.stderr).toBe(0);
    expect(pixel(t.path('out-config/plain/slide-01.png'), 5, 5)).toBe('0,0,255');
    const ignored = await runCli(['render', '../plain.md', '--no-config-file', '-o', t.path('out-noconfig'), '-f', 'png', '-q'], { cwd: t.path('with-config') });
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(pixel(t.path('out-noconfig/plain/slide-01.png'), 5, 5)).not.toBe('0,0,255');
    const bad = await runCli(['render', 'deck.md', '-o', t.path('out-bad'), '-q'], { cwd: t.path('bad-config') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('.marprc.yml: themeSet: expected a path or a list of paths, got number');
  }, 60_000);
});
