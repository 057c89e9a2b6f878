import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../output/write-file.js';
import { silentLogger, type Logger } from '../log.js';
import type { CacheHealth } from './build-cache.js';
import { cacheFormat } from './cache-key.js';

/** A deck's files as the manifest lists them (paths relative to the output folder). */
export interface StoredArtifact {
  path: string;
  size: number;
  sha256: string;
}

/** What a build made of one deck: its manifest record and files, stored under its input key. */
export interface StoredDeck {
  artifacts: readonly StoredArtifact[];
}

export interface DeckEntries {
  /** The deck stored under `key`; undefined on a miss or when reading is off (`--force`). */
  lookup<T extends StoredDeck>(key: string): Promise<T | undefined>;
  /** Best effort, like the export cache: a failure costs speed, never the build. */
  store(key: string, deck: StoredDeck): Promise<void>;
}

/**
 * Build results keyed on a deck's inputs, in `dir/v<format>/inputs/`: the fast path in front of the export
 * cache. Entries hold only the manifest record; the files themselves are checked in the output folder.
 */
export function openDeckEntries(dir: string, options: { read?: boolean; write?: boolean; logger?: Logger; health?: CacheHealth } = {}): DeckEntries {
  const { read = true, write = true, logger = silentLogger, health = {} } = options;
  const entryPath = (key: string) => join(dir, `v${cacheFormat}`, 'inputs', key.slice(0, 2), `${key}.json`);
  return {
    async lookup<T extends StoredDeck>(key: string): Promise<T | undefined> {
      if (!read) return undefined;
      const text = await readFile(entryPath(key), 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      try {
        const entry = JSON.parse(text) as { format?: number; key?: string; deck?: T };
        if (entry.format !== cacheFormat || entry.key !== key || !Array.isArray(entry.deck?.artifacts)) return undefined;
        return entry.deck;
      } catch {
        logger.debug('cache', `input entry ${key} is not JSON; rebuilding`);
        return undefined;
      }
    },
    async store(key, deck) {
      if (!write || health.broken) return;
      try {
        await writeFileAtomic(entryPath(key), `${JSON.stringify({ format: cacheFormat, key, deck })}\n`);
      } catch (error) {
        health.broken = (error as Error).message;
        logger.warn(`could not write the build cache in ${dir}: ${(error as Error).message}; the rest of the run does without storing`);
      }
    },
  };
}
