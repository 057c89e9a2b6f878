import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { BriefgenError, ErrorCode } from '../errors.js';
import { processAlive, processStart } from '../util/processes.js';
import { tempName } from './leftovers.js';

/** Who holds an output folder: enough to tell a live run from one that was killed. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The process's start time (Linux), so a pid reused after a crash is not taken for the holder. */
  start?: string;
  /** When it took the lock (ISO 8601), for the waiting message. */
  since: string;
}

export interface OutputLock {
  readonly path: string;
  /** Gives the folder up; idempotent, and a no-op if the lock is no longer ours. */
  release(): Promise<void>;
}

export interface LockOptions {
  /** Stops waiting (Ctrl-C). */
  signal?: AbortSignal;
  /** false: fail at once when another run holds the folder, instead of waiting for it. */
  wait?: boolean;
  /** Told once, when the folder turns out to be busy and this run starts to wait. */
  onWait?: (holder: LockHolder) => void;
  pollMs?: number;
}

/** The lock file of an output folder: one run writes into a folder at a time. */
export const lockFileOf = (outDir: string): string => join(outDir, '.briefgen.lock');

const parseHolder = (text: string): LockHolder | undefined => {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
};

/** Creates `path` holding `text` only if it does not exist: written aside, then hard-linked into place, so it is never seen half-written. */
async function createExclusive(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), tempName(basename(path), process.pid, randomBytes(6).toString('hex')));
  await writeFile(temp, text);
  try {
    await link(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // File systems without hard links: an exclusive create, very briefly empty.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') await writeFile(path, text, { flag: 'wx' });
    else throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** A holder that is certainly gone: on this host, and its process ended (or its pid now names another process). */
async function isStale(holder: LockHolder | undefined): Promise<boolean> {
  if (!holder) return true;
  if (holder.host !== hostname()) return false;
  if (!processAlive(holder.pid)) return true;
  if (holder.start === undefined) return false;
  const start = await processStart(holder.pid);
  return start !== undefined && start !== holder.start;
}

/**
 * Removes a stale lock. Only the run that holds the short-lived breaker may do so, and it checks
 * under the breaker that the lock is still the stale one: two runs that found the same stale lock
 * cannot both take the folder.
 */
async function breakStale(path: string, staleText: string, me: string): Promise<void> {
  const breaker = `${path}.break`;
  try {
    await createExclusive(breaker, me);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = parseHolder(await readFile(breaker, 'utf8').catch(() => ''));
    // A breaker whose run was killed during the takeover: clear it and try again.
    if (await isStale(holder)) await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === staleText) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

/**
 * Takes the output folder for this run: concurrent runs into one folder would interleave their
 * files and manifests, so the second waits for the first (or, with `wait: false`, fails with a
 * clear message). A lock left by a killed run is taken over. The folder must exist.
 */
export async function lockOutputFolder(outDir: string, options: LockOptions = {}): Promise<OutputLock> {
  const path = lockFileOf(outDir);
  const start = await processStart(process.pid);
  const me: LockHolder = { pid: process.pid, host: hostname(), ...(start !== undefined ? { start } : {}), since: new Date().toISOString() };
  const text = `${JSON.stringify(me)}\n`;
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await createExclusive(path, text);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new BriefgenError(ErrorCode.write, `cannot lock the output folder ${outDir}: ${(error as Error).message}`, { cause: error });
      }
    }
    const held = await readFile(path, 'utf8').catch(() => undefined);
    if (held === undefined) continue;
    const holder = parseHolder(held);
    if (await isStale(holder)) {
      await breakStale(path, held, text);
      continue;
    }
    if (options.wait === false) {
      throw new BriefgenError(ErrorCode.output, `${outDir} is being written by another briefgen run (process ${holder!.pid} on ${holder!.host}, since ${holder!.since})`, {
        hint: `try again when it is done; if no such run exists, delete ${path}`,
      });
    }
    if (!told) options.onWait?.(holder!);
    told = true;
    await sleep(options.pollMs ?? 200, undefined, options.signal ? { signal: options.signal } : undefined);
  }
  // An exit without release (an uncaught error, process.exit) must not leave the folder locked.
  const releaseSync = (): void => {
    try {
      if (readFileSync(path, 'utf8') === text) unlinkSync(path);
    } catch {
      // Gone already.
    }
  };
  process.on('exit', releaseSync);
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', releaseSync);
      const now = await readFile(path, 'utf8').catch(() => undefined);
      if (now === text) await unlink(path).catch(() => undefined);
    },
  };
}
