import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { parseSource } from '../data/parse-source.js';
import { formatDataPath } from '../data/parse-source.js';
import { BriefgenError, ErrorCode } from '../errors.js';
import { audienceProfileSchema, labelsSchema, type AudienceProfileData } from './profile-schema.js';

export interface TemplateFile {
  name: string;
  file: string;
  source: string;
}

export interface AudienceProfile extends AudienceProfileData {
  name: string;
  file: string;
}

export interface ThemeFile {
  /** The theme's `@theme` name. */
  name: string;
  file: string;
  css: string;
}

/** Everything in a templates folder, read once per run. */
export interface TemplateSet {
  dir: string;
  audiences: Map<string, AudienceProfile>;
  decks: Map<string, TemplateFile>;
  partials: Map<string, TemplateFile>;
  themes: Map<string, ThemeFile>;
  labels: Map<string, Record<string, string>>;
  /** sha256 of each file's content by path relative to `dir`, for cache keys. */
  hashes: Map<string, string>;
}

async function listFiles(dir: string, ext: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full, ext)));
    else if (extname(entry.name) === ext) files.push(full);
  }
  return files;
}

function parseWith<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, file: string, text: string, what: string): T {
  const source = parseSource(file, text);
  const result = schema.safeParse(source.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]! as { path: PropertyKey[]; message: string; code?: string; keys?: string[] };
  // An unknown key is pointed at itself, not at the object it sits in.
  const path = issue.code === 'unrecognized_keys' && issue.keys?.[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
  const dataPath = formatDataPath(issue.path) || '(top level)';
  const message = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys!.length > 1 ? 's' : ''} ${issue.keys!.map((k) => `"${k}"`).join(', ')}` : issue.message;
  throw new BriefgenError(ErrorCode.profile, `invalid ${what} at ${dataPath}: ${message}`, {
    location: { ...source.locate(path), dataPath },
  });
}

const themeNameOf = (css: string): string | undefined => /@theme\s+([\w-]+)/.exec(css)?.[1];

/** Reads `audiences/*.yaml`, `decks/*.hbs`, `partials/**.hbs`, `themes/*.css` and `i18n/*.yaml`. */
export async function loadTemplateSet(dir: string): Promise<TemplateSet> {
  const hashes = new Map<string, string>();
  const read = async (file: string): Promise<string> => {
    const text = await readFile(file, 'utf8');
    hashes.set(relative(dir, file), createHash('sha256').update(text).digest('hex'));
    return text;
  };
  const set: TemplateSet = {
    dir,
    audiences: new Map(),
    decks: new Map(),
    partials: new Map(),
    themes: new Map(),
    labels: new Map(),
    hashes,
  };
  const profileFiles = await listFiles(join(dir, 'audiences'), '.yaml');
  if (profileFiles.length === 0) {
    throw new BriefgenError(ErrorCode.profile, `no audience profiles in ${join(dir, 'audiences')}`, {
      hint: 'a templates folder needs audiences/<name>.yaml, decks/<template>.hbs and themes/<theme>.css',
    });
  }
  for (const file of profileFiles) {
    const name = basename(file, '.yaml');
    set.audiences.set(name, { ...parseWith(audienceProfileSchema, file, await read(file), 'audience profile'), name, file });
  }
  for (const file of await listFiles(join(dir, 'decks'), '.hbs')) {
    const name = basename(file, '.hbs');
    set.decks.set(name, { name, file, source: await read(file) });
  }
  const partialsDir = join(dir, 'partials');
  for (const file of await listFiles(partialsDir, '.hbs')) {
    // Partials in sub-folders are named by their path: `layouts/timeline`.
    const name = relative(partialsDir, file).slice(0, -'.hbs'.length).split(/[\\/]/).join('/');
    set.partials.set(name, { name, file, source: await read(file) });
  }
  for (const file of await listFiles(join(dir, 'themes'), '.css')) {
    const css = await read(file);
    const name = themeNameOf(css);
    if (!name) {
      throw new BriefgenError(ErrorCode.theme, 'theme CSS has no /* @theme name */ comment', {
        location: { file, line: 1 },
        hint: 'start the file with /* @theme my-theme */',
      });
    }
    set.themes.set(name, { name, file, css });
  }
  for (const file of await listFiles(join(dir, 'i18n'), '.yaml')) {
    set.labels.set(basename(file, '.yaml'), parseWith(labelsSchema, file, await read(file), 'label file'));
  }
  for (const theme of set.themes.values()) checkThemeImports(theme, set);
  for (const profile of set.audiences.values()) {
    if (!set.decks.has(profile.template)) {
      throw new BriefgenError(ErrorCode.template, `audience "${profile.name}" uses template "${profile.template}", which does not exist`, {
        location: { file: profile.file, dataPath: 'template' },
        hint: `create ${join(dir, 'decks', `${profile.template}.hbs`)} or pick one of: ${[...set.decks.keys()].join(', ')}`,
      });
    }
    if (!set.themes.has(profile.theme) && !builtInThemes.has(profile.theme)) {
      throw new BriefgenError(ErrorCode.theme, `audience "${profile.name}" uses theme "${profile.theme}", which does not exist`, {
        location: { file: profile.file, dataPath: 'theme' },
        hint: `themes available: ${[...set.themes.keys(), ...builtInThemes].join(', ')}`,
      });
    }
  }
  return set;
}

/**
 * A theme that builds on another (`@import 'default';`, `@import-theme "gaia";`) must name one that
 * exists: a typo would otherwise render with no base theme at all, and show up only as overflow.
 */
function checkThemeImports(theme: ThemeFile, set: TemplateSet): void {
  const imports = /@import(?:-theme)?\s+(?:url\(\s*)?["']([^"']+)["']/g;
  for (const match of theme.css.matchAll(imports)) {
    const name = match[1]!;
    // A file or an address is a CSS import, not a theme: the render stage resolves those.
    if (/[./:]/.test(name)) continue;
    if (set.themes.has(name) || builtInThemes.has(name)) continue;
    const line = theme.css.slice(0, match.index).split('\n').length;
    throw new BriefgenError(ErrorCode.theme, `theme "${theme.name}" imports "${name}", which is not a theme`, {
      location: { file: theme.file, line, excerpt: theme.css.split('\n')[line - 1] },
      hint: `themes available: ${[...set.themes.keys(), ...builtInThemes].join(', ')}`,
    });
  }
}

/** Themes marp-core ships. */
export const builtInThemes = new Set(['default', 'gaia', 'uncover']);
