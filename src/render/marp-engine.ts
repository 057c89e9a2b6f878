import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Marp, type MarpOptions } from '@marp-team/marp-core';
import katexPlugin from '@marp-team/marp-core/plugins/katex';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** Folder of the `@twemoji/svg` package: one `<codepoints>.svg` file per emoji (Twemoji 15.0 graphics). */
export const twemojiDir: string = packageDir('@twemoji/svg');

/** Folder of KaTeX's web fonts (woff2, woff, ttf). */
export const katexFontsDir: string = path.join(packageDir('katex'), 'dist', 'fonts');

/**
 * marp-core builds an emoji URL as `${base}${size}/${codepoints}.svg` with `size` = `svg` for SVG
 * images, so pointing `base` at the parent of the package folder (`.../@twemoji/`) lands exactly on
 * `.../@twemoji/svg/1f600.svg`.
 */
export const twemojiBaseUrl: string = `${pathToFileURL(path.dirname(twemojiDir)).href}/`;

/** `file:` URL of the KaTeX font folder, with a trailing slash as marp-core's KaTeX plugin expects. */
export const katexFontsUrl: string = `${pathToFileURL(katexFontsDir).href}/`;

/**
 * The one place briefgen configures marp-core, shared by the renderer and by a Marp CLI config
 * (`engine: (options) => createMarp(options)`) so both typeset a deck the same way:
 * Twemoji from the local `@twemoji/svg` package instead of a CDN, math by KaTeX with its fonts
 * from the local `katex` package. marp-core 5's lightweight core has no math of its own, and its
 * MathJax plugin needs font packages the npm registry does not serve, so KaTeX it is.
 * HTML stays at marp-core's default allowlist unless the caller passes `html`.
 */
export function createMarp(options: MarpOptions = {}): Marp {
  const emoji = options.emoji ?? {};
  const marp = new Marp({
    ...options,
    emoji: { ...emoji, twemoji: { ...emoji.twemoji, base: twemojiBaseUrl, ext: 'svg' } },
    math: 'katex',
  });
  // `strict: 'ignore'`: KaTeX's default `warn` writes to the console, and the pipeline never prints.
  return marp.use(katexPlugin({ fontPath: katexFontsUrl, options: { strict: 'ignore' } }));
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const katexFallbackSource = (fontsUrl: string): RegExp =>
  new RegExp(`,\\s*url\\((['"]?)${escapeRegExp(fontsUrl)}[^'")]+\\.(?:woff|ttf)\\1\\)\\s*format\\((["'])(?:woff|truetype)\\2\\)`, 'g');

/**
 * KaTeX's `@font-face` rules list woff2, woff and ttf. Chromium only ever loads the woff2, so the
 * others are dropped before inlining instead of tripling the size of every deck with math.
 * `fontsUrl` is the folder the engine was told to load them from.
 */
export function dropKatexFontFallbacks(css: string, fontsUrl: string = katexFontsUrl): string {
  return css.replace(katexFallbackSource(fontsUrl), '');
}
