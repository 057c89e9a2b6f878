import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureFolder, writeFileAtomic } from '../output/write-file.js';
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

/** What the deck asking for an export needs: an entry that does not fit it is a miss. */
export interface ExportShape {
  slideCount: number;
  /** Slide size in pixels: every PNG must be this size. */
  width: number;
  height: number;
  pdf: boolean;
  png: boolean;
  /** Whether a PowerPoint file is asked for (older callers say nothing: no check). */
  pptx?: boolean;
}

export interface BuildCache {
  readonly dir: string;
  /**
   * The export stored under `key`, or undefined on a miss. Nothing in the folder is trusted: the
   * entry must be intact (its seal), name this key, and fit `shape` (a PDF when one is asked for,
   * one PNG per slide of the right size), and every file must match its size and sha256 and be
   * what its kind says (a PDF, a PNG). `T` is what was stored under that key.
   */
  lookup<T extends CachedExport = CachedExport>(key: string, shape?: ExportShape): Promise<T | undefined>;
  /** Stores an export. Best effort: a cache that cannot be written costs speed, never the build. */
  store(key: string, exported: CachedExport, shape?: ExportShape): Promise<void>;
}

export interface BuildCacheOptions {
  /** Look entries up; false (`--force`) rebuilds everything but still refreshes the cache. */
  read?: boolean;
  /** Store new entries; false (`--no-cache`) leaves the folder alone. */
  write?: boolean;
  logger?: Logger;
  /** Shared by the stores of one run: the first failure to write warns once, and writing stops. */
  health?: CacheHealth;
}

/** How the cache fares in one run: once a write failed, the rest of the run does without writing. */
export interface CacheHealth {
  broken?: string;
}

/**
 * Whether the cache folder can be used at all (it is a folder, or can be made one). A cache that
 * cannot be used is one warning, and the run builds without it: it costs speed, never the build.
 */
export async function checkCacheFolder(dir: string, logger: Logger = silentLogger): Promise<boolean> {
  try {
    await ensureFolder(join(dir, `v${cacheFormat}`));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOTDIR' || code === 'EEXIST' ? 'a file stands where its folder must be'
      : code === 'EACCES' || code === 'EPERM' ? 'no permission to write there'
      : code === 'EROFS' ? 'the file system is read-only'
      : code === 'ENOSPC' ? 'the disk is full'
      : (error as Error).message;
    logger.warn(`the build cache in ${dir} cannot be used (${reason}); building without it`);
    return false;
  }
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
  /** The deck the export was made for, when the store was told. */
  shape?: ExportShape;
  /** The export's other fields (blocked URLs and the like), as JSON. */
  facts: Record<string, unknown>;
  /** sha256 of everything above: an entry garbled, truncated or edited by hand is a miss. */
  seal: string;
}

const sealOf = (entry: Omit<Entry, 'seal'>): string => createHash('sha256').update(canonicalJson({ ...entry })).digest('hex');

/** The PNG signature, then the IHDR chunk's width and height (big-endian, bytes 16–23). */
function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.byteLength < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A whole PDF: the header at the start, the end-of-file marker in the last kilobyte. */
function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8)).toString('latin1');
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + Math.max(0, bytes.byteLength - 1024), Math.min(bytes.byteLength, 1024)).toString('latin1');
  return head.startsWith('%PDF-') && tail.includes('%%EOF');
}

/** Pure: why a sealed entry cannot serve a deck of this shape, or undefined. */
function shapeProblem(entry: Entry, shape: ExportShape): string | undefined {
  if (entry.shape && (entry.shape.slideCount !== shape.slideCount || entry.shape.width !== shape.width || entry.shape.height !== shape.height)) return 'it was made for another slide count or size';
  if (shape.pdf !== (entry.pdf !== undefined)) return shape.pdf ? 'it has no PDF' : 'it has a PDF';
  const pngs = shape.png ? shape.slideCount : 0;
  if (entry.pngs.length !== pngs) return `it has ${entry.pngs.length} PNGs for ${pngs} slides`;
  if (shape.pptx !== undefined && shape.pptx !== (entry.pptx !== undefined)) return shape.pptx ? 'it has no PowerPoint file' : 'it has a PowerPoint file';
  return undefined;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const debugScope = 'cache';

/**
 * A content-addressed build cache in `dir`: `v<format>/entries/<key>.json` lists the files of one deck's
 * export by sha256, and `v<format>/blobs/<sha256>` holds each file once, however many decks share it.
 * Entries are immutable, so restoring an older copy of the folder (as CI caches do) is always safe.
 */
export function openBuildCache(dir: string, options: BuildCacheOptions = {}): BuildCache {
  const { read = true, write = true, logger = silentLogger, health = {} } = options;
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
    // A blob of the right size may still be garbled: only one that hashes right is kept, so a
    // corrupt blob is replaced by the next store instead of making every later lookup miss.
    const existing = await stat(path).catch(() => undefined);
    const intact = existing?.size === ref.size && sha256(await readFile(path).catch(() => new Uint8Array())) === ref.sha256;
    if (!intact) await writeFileAtomic(path, bytes);
    return ref;
  };

  return {
    dir,
    async lookup<T extends CachedExport>(key: string, shape?: ExportShape): Promise<T | undefined> {
      if (!read) return undefined;
      const text = await readFile(entryPath(key), 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      const miss = (why: string): undefined => {
        logger.debug(debugScope, `entry ${key} ${why}; exporting again`);
        return undefined;
      };
      let entry: Entry;
      try {
        entry = JSON.parse(text) as Entry;
      } catch {
        return miss('is not JSON');
      }
      if (typeof entry !== 'object' || entry === null || entry.format !== cacheFormat || !Array.isArray(entry.pngs)) return miss('is not an entry of this cache format');
      const { seal, ...sealed } = entry;
      if (seal !== sealOf(sealed)) return miss('is not intact (its seal does not match)');
      if (entry.key !== key) return miss(`belongs to ${String(entry.key)}`);
      const problem = shape ? shapeProblem(entry, shape) : undefined;
      if (problem) return miss(`does not fit the deck: ${problem}`);
      const pdf = entry.pdf ? await readBlob(entry.pdf) : undefined;
      if (entry.pdf && !pdf) return undefined;
      if (pdf && !looksLikePdf(pdf)) return miss('holds a PDF that is not one');
      const pngs: Uint8Array[] = [];
      for (const ref of entry.pngs) {
        const png = await readBlob(ref);
        if (!png) return undefined;
        const size = pngSize(png);
        if (!size || (shape && (size.width !== shape.width || size.height !== shape.height))) return miss('holds a PNG that is not a slide of this size');
        pngs.push(png);
      }
      const pptx = entry.pptx ? await readBlob(entry.pptx) : undefined;
      if (entry.pptx && !pptx) return undefined;
      if (pptx && !(pptx[0] === 0x50 && pptx[1] === 0x4b && pptx[2] === 0x03 && pptx[3] === 0x04)) return miss('holds a PowerPoint file that is not a zip');
      return { ...entry.facts, ...(pdf ? { pdf } : {}), pngs, ...(pptx ? { pptx } : {}) } as unknown as T;
    },
    async store(key, exported, shape) {
      if (!write || health.broken) return;
      try {
        const { pdf, pngs, pptx, ...facts } = exported;
        const unsealed: Omit<Entry, 'seal'> = {
          format: cacheFormat,
          key,
          ...(pdf ? { pdf: await storeBlob(pdf) } : {}),
          pngs: await Promise.all(pngs.map(storeBlob)),
          ...(pptx ? { pptx: await storeBlob(pptx) } : {}),
          ...(shape ? { shape: { slideCount: shape.slideCount, width: shape.width, height: shape.height, pdf: shape.pdf, png: shape.png, pptx: shape.pptx } } : {}),
          // Through JSON and back, so a lookup returns exactly what a fresh export would after storing.
          facts: JSON.parse(canonicalJson(facts)) as Record<string, unknown>,
        };
        await writeFileAtomic(entryPath(key), `${JSON.stringify({ ...unsealed, seal: sealOf(unsealed) })}\n`);
      } catch (error) {
        health.broken = (error as Error).message;
        logger.warn(`could not write the build cache in ${dir}: ${(error as Error).message}; the rest of the run does without storing`);
      }
    },
  };
}
