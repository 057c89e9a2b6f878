import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../output/write-file.js';
import { silentLogger, type Logger } from '../log.js';
import { canonicalJson, cacheFormat } from './cache-key.js';

/**
 * What the browser stage made of one deck: the PDF, the slide PNGs, the PPTX, and any other
 * fields, which must be plain JSON (blocked URLs, measurements) and come back from a lookup as
 * JSON gives them.
 */
export interface CachedExport {
  pdf?: Uint8Array;
  pngs: Uint8Array[];
  pptx?: Uint8Array;
}

export interface BuildCache {
  readonly dir: string;
  /**
   * The export stored under `key`, every file checked against its sha256; undefined on a miss.
   * `T` is what was stored under that key (the key's inputs decide it; nothing checks it).
   */
  lookup<T extends CachedExport = CachedExport>(key: string): Promise<T | undefined>;
  /** Stores an export. Best effort: a cache that cannot be written costs speed, never the build. */
  store(key: string, exported: CachedExport): Promise<void>;
}

export interface BuildCacheOptions {
  /** Look entries up; false (`--force`) rebuilds everything but still refreshes the cache. */
  read?: boolean;
  /** Store new entries; false (`--no-cache`) leaves the folder alone. */
  write?: boolean;
  logger?: Logger;
}

interface BlobRef {
  sha256: string;
  size: number;
}

interface Entry {
  format: number;
  key: string;
  pdf?: BlobRef;
  pngs: BlobRef[];
  pptx?: BlobRef;
  /** The export's other fields (blocked URLs and the like), as JSON. */
  facts: Record<string, unknown>;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const debugScope = 'cache';

/**
 * A content-addressed build cache in `dir`: `v<format>/entries/<key>.json` lists the files of one deck's
 * export by sha256, and `v<format>/blobs/<sha256>` holds each file once, however many decks share it.
 * Entries are immutable, so restoring an older copy of the folder (as CI caches do) is always safe.
 */
export function openBuildCache(dir: string, options: BuildCacheOptions = {}): BuildCache {
  const { read = true, write = true, logger = silentLogger } = options;
  const root = join(dir, `v${cacheFormat}`);
  const entryPath = (key: string) => join(root, 'entries', key.slice(0, 2), `${key}.json`);
  const blobPath = (hash: string) => join(root, 'blobs', hash.slice(0, 2), hash);

  const readBlob = async (ref: BlobRef): Promise<Uint8Array | undefined> => {
    const bytes = await readFile(blobPath(ref.sha256)).catch(() => undefined);
    if (!bytes || bytes.byteLength !== ref.size || sha256(bytes) !== ref.sha256) {
      logger.debug(debugScope, `blob ${ref.sha256} is ${bytes ? 'corrupt' : 'missing'}`);
      return undefined;
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };

  const storeBlob = async (bytes: Uint8Array): Promise<BlobRef> => {
    const ref = { sha256: sha256(bytes), size: bytes.byteLength };
    const path = blobPath(ref.sha256);
    const existing = await stat(path).catch(() => undefined);
    if (existing?.size !== ref.size) await writeFileAtomic(path, bytes);
    return ref;
  };

  return {
    dir,
    async lookup<T extends CachedExport>(key: string): Promise<T | undefined> {
      if (!read) return undefined;
      const text = await readFile(entryPath(key), 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      let entry: Entry;
      try {
        entry = JSON.parse(text) as Entry;
      } catch {
        logger.debug(debugScope, `entry ${key} is not JSON; rebuilding`);
        return undefined;
      }
      if (entry.format !== cacheFormat || entry.key !== key || !Array.isArray(entry.pngs)) return undefined;
      const pdf = entry.pdf ? await readBlob(entry.pdf) : undefined;
      if (entry.pdf && !pdf) return undefined;
      const pngs: Uint8Array[] = [];
      for (const ref of entry.pngs) {
        const png = await readBlob(ref);
        if (!png) return undefined;
        pngs.push(png);
      }
      const pptx = entry.pptx ? await readBlob(entry.pptx) : undefined;
      if (entry.pptx && !pptx) return undefined;
      return { ...entry.facts, ...(pdf ? { pdf } : {}), pngs, ...(pptx ? { pptx } : {}) } as unknown as T;
    },
    async store(key, exported) {
      if (!write) return;
      try {
        const { pdf, pngs, pptx, ...facts } = exported;
        const entry: Entry = {
          format: cacheFormat,
          key,
          ...(pdf ? { pdf: await storeBlob(pdf) } : {}),
          pngs: await Promise.all(pngs.map(storeBlob)),
          ...(pptx ? { pptx: await storeBlob(pptx) } : {}),
          // Through JSON and back, so a lookup returns exactly what a fresh export would after storing.
          facts: JSON.parse(canonicalJson(facts)) as Record<string, unknown>,
        };
        await writeFileAtomic(entryPath(key), `${JSON.stringify(entry)}\n`);
      } catch (error) {
        logger.warn(`could not write the build cache in ${dir}: ${(error as Error).message}`);
      }
    },
  };
}
