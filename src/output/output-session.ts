import { stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { BriefgenError, ErrorCode } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { removeStaleTempFiles } from './leftovers.js';
import { openManifestJournal, type ManifestJournal } from './manifest-journal.js';
import type { ManifestOptions } from './manifest.js';
import { lockOutputFolder, type LockHolder } from './output-lock.js';
import { ensureFolder } from './write-file.js';

/** A run's hold on its output folder: the lock, and the manifest kept true as decks are written. */
export interface OutputSession {
  readonly dir: string;
  readonly journal: ManifestJournal;
  /** Releases the folder (idempotent); call on every exit path. */
  close(): Promise<void>;
}

export interface OutputSessionOptions {
  /** The folders decks will be written to: checked now, and cleared of a killed run's temporary files. */
  deckDirs?: readonly string[];
  /** The manifest header this run writes (`SOURCE_DATE_EPOCH`, shard). */
  manifest?: ManifestOptions;
  logger?: Logger;
  signal?: AbortSignal;
  /** false: fail when another run holds the folder (the live preview), rather than wait. */
  wait?: boolean;
}

/** Bytes the file systems briefgen runs on allow in one name and in a whole path (Linux). */
const maxNameBytes = 255;
const maxPathBytes = 4095;

async function kindOf(path: string): Promise<'folder' | 'file' | 'missing'> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
  return info === undefined ? 'missing' : info.isDirectory() ? 'folder' : 'file';
}

/** The first path from the root down to `path` that exists and is not a folder. */
async function fileInTheWay(path: string): Promise<string | undefined> {
  const parts = resolve(path).split(sep);
  for (let i = 2; i <= parts.length; i += 1) {
    const prefix = parts.slice(0, i).join(sep) || sep;
    const kind = await kindOf(prefix).catch(() => 'missing' as const);
    if (kind === 'file') return prefix;
    if (kind === 'missing') return undefined;
  }
  return undefined;
}

/**
 * Checks, before any browser work, that the output folder can take the run's decks: `--out` names
 * a folder (or a place one can be made), no file stands where a deck's folder must go, and no
 * path is too long for the file system. Creates the output folder.
 */
export async function checkOutputFolder(outDir: string, deckDirs: readonly string[] = [], longestFile = 'manifest.json'): Promise<void> {
  const blocked = await fileInTheWay(outDir);
  if (blocked) {
    throw new BriefgenError(ErrorCode.output, blocked === resolve(outDir) ? `the output folder ${outDir} is a file` : `the output folder ${outDir} cannot be made: ${blocked} is a file`, {
      hint: 'pass --out a folder (it is created when missing)',
    });
  }
  try {
    await ensureFolder(outDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BriefgenError(code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? ErrorCode.write : ErrorCode.output, `cannot make the output folder ${outDir}: ${(error as Error).message}`, { cause: error });
  }
  for (const dir of deckDirs) {
    const inside = relative(outDir, dir);
    const way = await fileInTheWay(dir);
    if (way) {
      throw new BriefgenError(ErrorCode.output, `${way} is a file where a deck's folder (${inside.split(sep).join('/')}) must go`, {
        hint: `move or delete ${way}, or pass another --out`,
      });
    }
    for (const name of [...inside.split(sep), longestFile]) {
      if (Buffer.byteLength(name) > maxNameBytes) {
        throw new BriefgenError(ErrorCode.output, `the name ${name.slice(0, 40)}… in ${dir} is ${Buffer.byteLength(name)} bytes, more than a file system allows (${maxNameBytes})`, {
          hint: 'use a shorter report id, language or audience name',
        });
      }
    }
    const longest = join(dir, longestFile);
    if (Buffer.byteLength(longest) > maxPathBytes) {
      throw new BriefgenError(ErrorCode.output, `the path ${longest.slice(0, 60)}… is ${Buffer.byteLength(longest)} bytes, more than a file system allows (${maxPathBytes})`, {
        hint: 'pass a shorter --out',
      });
    }
  }
}

/**
 * Takes the output folder for one run: checks it, locks it (waiting for another run that holds
 * it), removes the temporary files killed runs left in it, and opens its manifest journal.
 */
export async function openOutputSession(outDir: string, options: OutputSessionOptions = {}): Promise<OutputSession> {
  const logger = options.logger ?? silentLogger;
  const deckDirs = options.deckDirs ?? [];
  await checkOutputFolder(outDir, deckDirs);
  const lock = await lockOutputFolder(outDir, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.wait !== undefined ? { wait: options.wait } : {}),
    onWait: (holder: LockHolder) => logger.info(`waiting for the briefgen run in process ${holder.pid} (since ${holder.since}) to finish writing ${outDir}…`),
  });
  try {
    const journal = await openManifestJournal(outDir, options.manifest ?? {}, logger);
    const listedDirs = journal.manifest().decks.flatMap((deck) => deck.artifacts.map((a) => dirname(join(outDir, a.path))));
    const removed = await removeStaleTempFiles([outDir, ...deckDirs, ...listedDirs]);
    for (const file of removed) logger.debug('output', `removed ${file}, left by a run that was stopped`);
    return { dir: outDir, journal, close: () => lock.release() };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
