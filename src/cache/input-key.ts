import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { canonicalJson, cacheFormat } from './cache-key.js';

/** Everything that shapes one deck's files, read before composing or rendering anything. */
export interface DeckInputKeyInput {
  /** briefgen's code and the versions of the packages that compose, render and export. */
  fingerprint: string;
  /** Which browser exports ({@link browserIdentity}), found without starting it. */
  browser: string;
  /** The deck's job key: report, language and audience. */
  deck: string;
  /** The text of the deck's data file. */
  data: string;
  /** {@link hashTree} of the templates folder: profiles, decks, partials, themes, labels. */
  templates: string;
  /** {@link hashTree} of the data file's folder: the other languages, images the deck inlines. */
  dataDir: string;
  /** The audience profile as loaded. */
  profile: unknown;
  /** Build options that shape the output: formats, fit, SOURCE_DATE_EPOCH, allowed roots. */
  options: unknown;
}

/** Trees larger than this are not worth hashing on every run: such decks skip the fast path. */
const treeLimits = { files: 2000, bytes: 64 * 1024 * 1024 };

/** Folders never part of a deck's inputs (version control, packages, caches, outputs). */
const skippedNames = new Set(['node_modules', '.git']);

/**
 * The sha256 of every file under `dir` (relative paths and content, not mtimes), skipping dot
 * folders, `node_modules` and the `exclude` folders (the output and the cache). Undefined when the
 * tree is over the size limits or cannot be read.
 */
export async function hashTree(dir: string, exclude: readonly string[] = []): Promise<string | undefined> {
  const root = resolve(dir);
  const excluded = new Set(exclude.map((p) => resolve(p)));
  const files: string[] = [];
  const walk = async (folder: string): Promise<boolean> => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (skippedNames.has(entry.name) || entry.name.startsWith('.') || excluded.has(full)) continue;
        if (!(await walk(full))) return false;
      } else if (entry.isFile()) {
        files.push(full);
        if (files.length > treeLimits.files) return false;
      }
    }
    return true;
  };
  try {
    if (!(await walk(root))) return undefined;
    const hash = createHash('sha256');
    let bytes = 0;
    for (const file of files.map((f) => relative(root, f).split(sep).join('/')).sort()) {
      const content = await readFile(join(root, file));
      bytes += content.byteLength;
      if (bytes > treeLimits.bytes) return undefined;
      hash.update(`${file}\n${content.byteLength}\n`);
      hash.update(content);
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * Pure: a deck's input key. Coarser than the export key (any template file changes every deck of
 * the templates folder), but computed before composing and rendering, so an unchanged deck skips both.
 */
export function deckInputKey(input: DeckInputKeyInput): string {
  const { data, ...rest } = input;
  const digest = createHash('sha256').update(data).digest('hex');
  return createHash('sha256').update(canonicalJson({ format: cacheFormat, kind: 'inputs', data: digest, ...rest })).digest('hex');
}
