import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { findMarpConfig, readMarpConfig, type MarpConfig } from '../data/marp-config.js';
import { BriefgenError, ErrorCode } from '../errors.js';
import type { ThemeSource } from '../render/render-deck.js';
import { WarningCode, type BuildWarning } from '../warnings.js';

/** `briefgen render`'s own flags that Marp CLI also has, as the CLI parsed them (absent: not given). */
export interface RenderFlags {
  theme?: string;
  themeSet?: string[];
  html?: boolean;
  allowLocalFiles?: boolean;
  imageScale?: number;
  /** A Marp config file to read; `false`: none; absent: the one Marp CLI would find in the working folder. */
  configFile?: string | false;
}

/** What one `render` run does to its decks, after flags and the Marp config file are merged. */
export interface RenderSettings {
  /** CSS files to register, from `--theme-set`, the config's `themeSet` and a `--theme` that is a file. */
  themeFiles: string[];
  /** The theme of decks that name none: a name (a CSS file's is read from its `@theme` comment). */
  theme?: { name?: string; file?: string };
  html?: boolean | Record<string, unknown>;
  allowLocalFiles: boolean;
  lang?: string;
  engineOptions?: Record<string, unknown>;
  imageScale: number;
  meta: { title?: string; description?: string; author?: string; keywords?: string[] };
}

/**
 * Flags win over the config file, the config file over the defaults; written once, here. Paths of
 * flags resolve against the working folder, those of the config file already against its folder.
 */
export function mergeRenderSettings(flags: RenderFlags, config: MarpConfig | undefined, cwd: string): RenderSettings {
  const themeSet = flags.themeSet ? flags.themeSet.map((p) => path.resolve(cwd, p)) : (config?.themeSet ?? []);
  const themeValue = flags.theme !== undefined ? (/\.css$/i.test(flags.theme) ? path.resolve(cwd, flags.theme) : flags.theme) : config?.theme;
  const themeIsFile = themeValue !== undefined && path.isAbsolute(themeValue);
  return {
    themeFiles: themeSet,
    ...(themeValue !== undefined ? { theme: themeIsFile ? { file: themeValue } : { name: themeValue } } : {}),
    ...((flags.html ?? config?.html) !== undefined ? { html: flags.html ?? config?.html } : {}),
    allowLocalFiles: flags.allowLocalFiles ?? config?.allowLocalFiles ?? false,
    ...(config?.lang ? { lang: config.lang } : {}),
    ...(config?.options ? { engineOptions: config.options } : {}),
    imageScale: flags.imageScale ?? config?.imageScale ?? 1,
    meta: { title: config?.title, description: config?.description, author: config?.author, keywords: config?.keywords },
  };
}

async function cssFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return cssFilesUnder(full);
        return Promise.resolve(entry.isFile() && /\.css$/i.test(entry.name) ? [full] : []);
      }),
  );
  return nested.flat();
}

const themeName = (css: string): string => /\/\*[\s*]*@theme\s+([^\s*]+)/.exec(css)?.[1] ?? '';

/**
 * The theme CSS of `--theme-set` (files, and folders searched for `.css` files at any depth, as Marp
 * CLI does). A path that does not exist, or a folder with no CSS, is an input error: a deck would
 * otherwise silently come out in the default theme.
 */
export async function readThemeFiles(paths: readonly string[], origin: string): Promise<ThemeSource[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info) throw new BriefgenError(ErrorCode.theme, `theme set ${given} does not exist`, { hint: `check ${origin}` });
    if (info.isDirectory()) {
      const found = await cssFilesUnder(given);
      if (found.length === 0) throw new BriefgenError(ErrorCode.theme, `theme set ${given} holds no .css file`, { hint: `a theme set is CSS files with a /* @theme name */ comment, or folders of them (${origin})` });
      files.push(...found);
    } else {
      files.push(given);
    }
  }
  const unique = [...new Set(files)];
  return Promise.all(unique.map(async (file) => {
    const css = await readFile(file, 'utf8');
    return { name: themeName(css), css, file };
  }));
}

/**
 * The settings of a `render` run: the Marp config file Marp CLI would read (or the one named, or
 * none), merged under the flags. Options of the file that `render` does not act on are a warning.
 */
export async function loadRenderSettings(flags: RenderFlags, cwd: string): Promise<{ settings: RenderSettings; configFile?: string; warnings: BuildWarning[] }> {
  const file = flags.configFile === false ? undefined : flags.configFile ? path.resolve(cwd, flags.configFile) : findMarpConfig(cwd);
  if (file && !existsSync(file)) throw new BriefgenError(ErrorCode.usage, `the Marp config file ${flags.configFile} does not exist`, { hint: 'check --config-file' });
  const config = file ? await readMarpConfig(file) : undefined;
  const warnings: BuildWarning[] =
    config && config.ignored.length > 0
      ? [{ code: WarningCode.config, deck: path.relative(cwd, config.file) || config.file, message: `ignored option(s) ${config.ignored.join(', ')}: briefgen render does not use them` }]
      : [];
  return { settings: mergeRenderSettings(flags, config, cwd), ...(file ? { configFile: file } : {}), warnings };
}
