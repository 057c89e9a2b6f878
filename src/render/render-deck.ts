import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BriefgenError, ErrorCode } from '../errors.js';
import { createMarp, dropKatexFontFallbacks, katexFontsDir, twemojiDir } from './marp-engine.js';
import {
  anchorThemeUrls,
  decodeAttribute,
  inlineCssUrls,
  inlineHtmlAssets,
  realRoots,
  type AssetContext,
} from './offline-assets.js';
import { buildDocument } from './html-document.js';
import type { MarpEngine } from './marp-cli-engine.js';

export { exportAttribute } from './html-document.js';

export interface ThemeSource {
  name: string;
  css: string;
  file?: string;
}

export interface RendererOptions {
  /** Custom Marp themes to register (CSS with an `@theme name` comment); `name` is that theme name. */
  themes: ThemeSource[];
  /** Folders whose files may be inlined (project root, templates dir, data dir). */
  allowedRoots: string[];
  /**
   * The Marp engine and the folder of the KaTeX fonts it links to; default: briefgen's own
   * (`createMarp`, marp-core 5). `briefgen render` hands in Marp CLI's (`createMarpCliEngine`).
   */
  engine?: { marp: MarpEngine; katexFontsDir: string; dropImports?: readonly string[] };
  /** A theme name to use when a deck names none (Marp CLI's `--theme`); must be registered. */
  defaultTheme?: string;
  /**
   * What a theme's relative `url()` is relative to: its own file (`theme`, briefgen's templates), or
   * the deck's folder (`deck`), as in Marp CLI, which inlines theme CSS into the deck's document.
   */
  themeUrls?: 'theme' | 'deck';
}

export interface RenderInput {
  markdown: string;
  /** Language for `<html lang>`. */
  lang: string;
  /** Folder that relative URLs in the Markdown resolve against. */
  baseDir: string;
  /** Document title (for `<title>`), falls back to the first heading. */
  title?: string;
}

/** What a deck's global directives (`title`, `description`, `author`, `keywords`) say about it. */
export interface DeckDirectives {
  description?: string;
  author?: string;
  keywords?: string[];
}

export interface RenderedDeck {
  /** A complete, self-contained HTML document (no external requests needed). */
  html: string;
  /** marp-core's CSS for the deck (also inlined into html). */
  css: string;
  slideCount: number;
  /** Slide size from the theme/size directive, in CSS px (usually 1280x720). */
  width: number;
  height: number;
  /** Speaker notes per slide (marp-core `comments`, joined with blank lines), length === slideCount. */
  notes: string[];
  /** Non-local URLs referenced by the deck that were NOT inlined (http/https/other files); export blocks them. */
  externalUrls: string[];
  title: string;
  /** The deck's own `description`, `author`, `keywords` directives, when it has them. */
  directives?: DeckDirectives;
}

export interface Renderer {
  render(input: RenderInput): RenderedDeck;
  /** The sizes (`16:9`, `4:3` …) a registered theme defines; `undefined` when no theme has that name. */
  themeSizes(name: string): string[] | undefined;
  /** The theme decks get when they name none. */
  defaultTheme: string;
}

const fallbackTitle = 'Slides';

function registerTheme(marp: MarpEngine, theme: ThemeSource, roots: readonly string[], anchor: boolean): void {
  const where = theme.file ?? `theme "${theme.name}"`;
  let css = theme.css;
  let registered;
  try {
    if (theme.file && anchor) css = anchorThemeUrls(css, theme.file, roots, new Map());
    registered = marp.themeSet.add(css);
  } catch (cause) {
    // PostCSS says where: the line, and the reason without the file name it repeats.
    const { line, reason: cssReason } = cause as { line?: number; reason?: string };
    const reason = cssReason ?? (cause instanceof Error ? cause.message : String(cause));
    throw new BriefgenError(ErrorCode.theme, theme.file ? `invalid theme CSS: ${reason}` : `Invalid theme CSS in ${where}: ${reason}`, {
      location: theme.file ? { file: theme.file, ...(line ? { line, excerpt: theme.css.split('\n')[line - 1] } : {}) } : undefined,
      hint: line ? 'fix the CSS at the marked line' : 'A Marp theme is a CSS file that starts with a `/* @theme name */` comment.',
      cause,
    });
  }
  if (registered.name !== theme.name) {
    throw new BriefgenError(
      ErrorCode.theme,
      `Theme CSS in ${where} declares @theme "${registered.name}", but it is registered as "${theme.name}"`,
      {
        location: theme.file ? { file: theme.file } : undefined,
        hint: `Make the /* @theme */ comment and the theme name agree.`,
      },
    );
  }
}

function slideSize(html: string): { width: number; height: number } {
  const viewBox = /<svg\b[^>]*\bdata-marpit-svg\b[^>]*\bviewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(html);
  const width = Number(viewBox?.[1]);
  const height = Number(viewBox?.[2]);
  return width > 0 && height > 0 ? { width, height } : { width: 1280, height: 720 };
}

/** Visible text of the deck's first heading: emoji by their character, MathML copies dropped. */
function firstHeading(html: string): string | undefined {
  const heading = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/i.exec(html)?.[2];
  if (heading === undefined) return undefined;
  const text = decodeAttribute(
    heading
      .replace(/<math\b[\s\S]*?<\/math>/gi, '')
      .replace(/<img\b[^>]*\balt="([^"]*)"[^>]*>/gi, '$1')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? undefined : text;
}

function lastDirective(marp: MarpEngine, name: string): string | undefined {
  const value: unknown = (marp as unknown as { lastGlobalDirectives?: Record<string, unknown> }).lastGlobalDirectives?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function deckDirectives(marp: MarpEngine): DeckDirectives | undefined {
  const description = lastDirective(marp, 'description');
  const author = lastDirective(marp, 'author');
  const keywords = lastDirective(marp, 'keywords')?.split(',').map((k) => k.trim()).filter(Boolean);
  if (!description && !author && !keywords) return undefined;
  return { ...(description ? { description } : {}), ...(author ? { author } : {}), ...(keywords ? { keywords } : {}) };
}

const sizeNames = (meta: unknown): string[] =>
  (Array.isArray(meta) ? meta : typeof meta === 'string' ? [meta] : []).map((preset) => String(preset).trim().split(/\s+/)[0] ?? '').filter(Boolean);

/** Build once per run (marp-core instance + themes registered once), reuse for every deck. */
export function createRenderer(options: RendererOptions): Renderer {
  const fontsDir = options.engine?.katexFontsDir ?? katexFontsDir;
  const roots = [...realRoots(options.allowedRoots), ...realRoots([twemojiDir, fontsDir])];
  const marp: MarpEngine = options.engine?.marp ?? (createMarp() as unknown as MarpEngine);
  const fontsUrl = `${pathToFileURL(fontsDir).href}/`;
  // Marp CLI reads these global directives for the document and the PDF; accept the same front matter here.
  for (const name of ['title', 'description', 'author', 'keywords']) {
    marp.customDirectives.global[name] = (value: unknown) => (typeof value === 'string' ? { [name]: value } : {});
  }
  for (const theme of options.themes) registerTheme(marp, theme, roots, options.themeUrls !== 'deck');
  if (options.defaultTheme !== undefined) {
    const theme = marp.themeSet.get(options.defaultTheme);
    if (!theme) {
      throw new BriefgenError(ErrorCode.theme, `unknown theme "${options.defaultTheme}"`, {
        hint: 'name a built-in theme (default, gaia, uncover), a theme of --theme-set, or a CSS file',
      });
    }
    marp.themeSet.default = theme;
  }

  const themeSet = marp.themeSet as MarpEngine['themeSet'] & { getThemeMeta?(theme: unknown, key: string): unknown };
  return {
    get defaultTheme() {
      return (themeSet.default as { name?: string } | undefined)?.name ?? 'default';
    },
    themeSizes(name) {
      const theme = themeSet.get(name);
      if (!theme) return undefined;
      return sizeNames(themeSet.getThemeMeta?.(theme, 'size'));
    },
    render(input: RenderInput): RenderedDeck {
      let output: { html: string; css: string; comments: string[][] };
      try {
        output = marp.render(input.markdown);
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new BriefgenError(ErrorCode.render, `marp-core could not render the deck: ${reason}`, { cause });
      }
      const ctx: AssetContext = {
        baseDir: path.resolve(input.baseDir),
        roots,
        cache: new Map(),
        external: new Set(),
      };
      const engineCss = (options.engine?.dropImports ?? []).reduce((text, statement) => text.split(statement).join(''), output.css);
      const css = inlineCssUrls(dropKatexFontFallbacks(engineCss, fontsUrl), ctx);
      const body = inlineHtmlAssets(output.html, ctx);
      const { width, height } = slideSize(output.html);
      const title = input.title?.trim() || lastDirective(marp, 'title') || firstHeading(output.html) || fallbackTitle;
      const directives = deckDirectives(marp);
      const notes = output.comments.map((comments) => comments.join('\n\n'));
      return {
        html: buildDocument({ lang: lastDirective(marp, 'lang') ?? input.lang, title, css, body, width, height, notes }),
        css,
        slideCount: output.comments.length,
        width,
        height,
        notes,
        externalUrls: [...ctx.external],
        title,
        ...(directives ? { directives } : {}),
      };
    },
  };
}
