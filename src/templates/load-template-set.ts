import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { parseSource } from '../data/parse-source.js';
import { formatDataPath } from '../data/parse-source.js';
import { BriefgenError, ErrorCode } from '../errors.js';
import type { RoleWords } from '../data/roles.js';
import { audienceProfileSchema, labelsSchema, roleWordsSchema, type AudienceProfileData } from './profile-schema.js';

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
  /** Words that name section roles (`roles.yaml`), for reports whose sections give none. */
  roleWords: RoleWords;
  /** sha256 of each file's content by path relative to `dir`, for cache keys. */
  hashes: Map<string, string>;
}

const within = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/**
 * The files with extension `ext` under `dir`, sorted. Everything in a templates folder becomes part
 * of a deck, so a symlink that leads out of the folder (a partial linked to ~/.ssh/config or
 * /etc/passwd) is refused rather than followed; links within the folder are followed. `root` is
 * the templates folder's real path.
 */
async function listTemplateFiles(dir: string, ext: string, root: string, seen = new Set<string>()): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      if (target === undefined) {
        if (extname(entry.name) === ext) throw templateFileError(full, 'is a symlink to nothing (its target does not exist)');
        continue;
      }
      if (!within(target, root)) throw templateFileError(full, `is a symlink to ${target}, outside the templates folder`);
      const info = await stat(target);
      isDirectory = info.isDirectory();
      isFile = info.isFile();
    }
    if (isDirectory) {
      // A link back up the tree would otherwise be walked forever.
      const real = await realpath(full);
      if (seen.has(real)) continue;
      seen.add(real);
      files.push(...(await listTemplateFiles(full, ext, root, seen)));
    } else if (extname(entry.name) === ext) {
      // A FIFO or device named like a template would block the read forever.
      if (!isFile) throw templateFileError(full, 'is not a regular file');
      files.push(full);
    }
  }
  return files;
}

function templateFileError(file: string, problem: string): BriefgenError {
  return new BriefgenError(ErrorCode.template, `${file} ${problem}`, {
    location: { file },
    hint: 'a templates folder may only use files inside it; copy the file in instead of linking to it',
  });
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

/** Reads `audiences/*.yaml`, `decks/*.hbs`, `partials/**.hbs`, `themes/*.css`, `i18n/*.yaml` and `roles.yaml`. */
export async function loadTemplateSet(dir: string): Promise<TemplateSet> {
  const hashes = new Map<string, string>();
  const root = await realpath(dir).catch(() => dir);
  const listFiles = async (folder: string, ext: string) => listTemplateFiles(folder, ext, root, new Set([await realpath(folder).catch(() => folder)]));
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
    roleWords: [],
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
  const rolesFile = join(dir, 'roles.yaml');
  const rolesText = await read(rolesFile).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (rolesText !== undefined) set.roleWords = Object.entries(parseWith(roleWordsSchema, rolesFile, rolesText, 'role words file')) as unknown as RoleWords;
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
