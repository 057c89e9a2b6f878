import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Marp, type MarpOptions } from 'marp-core-v4';
import { twemojiBaseUrl } from './marp-engine.js';

const require = createRequire(import.meta.url);

/**
 * KaTeX's fonts as this marp-core resolves KaTeX (its own 0.17 copy, not briefgen's 0.18): the fonts
 * must be the ones the stylesheet it emits was written for.
 */
export const marpCliKatexFontsDir: string = path.join(
  path.dirname(require.resolve('katex/package.json', { paths: [path.dirname(require.resolve('marp-core-v4/package.json'))] })),
  'dist',
  'fonts',
);

/** What a presenter's Marp config may change in the engine (Marp CLI's `html`, `options`, `math`). */
export interface MarpCliEngineOptions {
  /** `--html`: `true` allows any HTML, `false` none, absent: marp-core's allowlist. */
  html?: boolean | Record<string, unknown>;
  /** The config file's `options`: marp-core constructor options (markdown-it's `breaks`, `looseYAML` …). */
  engineOptions?: Record<string, unknown>;
}

/**
 * The remote `@import`s of the built-in themes themselves (gaia's Lato and Roboto Mono from
 * fonts.bunny.net). Offline they cannot load, for Marp CLI either: both draw the theme's fallback
 * fonts. They are dropped from a deck's CSS so that a built-in theme never counts as a blocked
 * request; an `@import` a presenter's own theme or `<style>` adds is kept, and reported.
 */
export function builtInThemeImports(marp: MarpEngine): string[] {
  const imports = new Set<string>();
  for (const name of ['default', 'gaia', 'uncover']) {
    const css = (marp.themeSet.get(name) as { css?: string } | undefined)?.css ?? '';
    for (const match of css.matchAll(/@import\s+(?:url\()?["'](?:https?:)?\/\/[^"']+["']\)?[^;]*;/g)) imports.add(match[0]);
  }
  return [...imports];
}

/** The slice of a Marp engine that briefgen's renderer uses; both marp-core lines have it. */
export interface MarpEngine {
  render(markdown: string): { html: string; css: string; comments: string[][] };
  themeSet: { add(css: string): { name: string }; get(name: string): unknown; default: unknown };
  customDirectives: { global: Record<string, (value: string) => Record<string, unknown>> };
}

/**
 * The engine of `briefgen render`: marp-core 4.4, the one Marp CLI 4.5 ships, so that a presenter's
 * deck comes out as Marp CLI makes it (its themes, highlight.js colours, KaTeX by default and MathJax
 * on `math: mathjax`). Only what would need the network changes: Twemoji from the local
 * `@twemoji/svg` package and KaTeX's fonts from the local KaTeX. MathJax draws SVG paths and needs no
 * fonts at all.
 */
export function createMarpCliEngine(options: MarpCliEngineOptions = {}): MarpEngine {
  const given = (options.engineOptions ?? {}) as MarpOptions;
  const givenMath = typeof given.math === 'object' ? given.math : typeof given.math === 'string' ? { lib: given.math } : {};
  const marp = new Marp({
    ...given,
    ...(options.html !== undefined ? { html: options.html as MarpOptions['html'] } : {}),
    emoji: { ...given.emoji, twemoji: { ...given.emoji?.twemoji, base: twemojiBaseUrl, ext: 'svg' } },
    math: { ...givenMath, katexFontPath: `${pathToFileURL(marpCliKatexFontsDir).href}/` },
  });
  return marp as unknown as MarpEngine;
}
