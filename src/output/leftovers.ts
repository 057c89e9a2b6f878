import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '../util/processes.js';

/** The hidden name a writer puts bytes under before renaming them into place: owner's pid first. */
export const tempName = (name: string, pid: number, suffix: string): string => `.${name}.${pid}-${suffix}.tmp`;

const tempPattern = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp$/;

/** The pid in a temporary file's name, or undefined for any other file. */
export function tempOwner(name: string): number | undefined {
  const match = tempPattern.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Removes the temporary files a killed run left in `dirs` (a `kill -9` between writing and
 * renaming): only those whose owning process is gone. Missing folders are skipped; returns what
 * was removed.
 */
export async function removeStaleTempFiles(dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const owner = tempOwner(name);
      if (owner === undefined || owner === process.pid || processAlive(owner)) continue;
      await rm(join(dir, name), { force: true }).catch(() => undefined);
      removed.push(join(dir, name));
    }
  }
  return removed;
}
