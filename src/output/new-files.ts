import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { BriefgenError, ErrorCode } from '../errors.js';
import { writeFileAtomic } from './write-file.js';

/** A file `init` or `eject` makes: its path under the target folder, and its bytes. */
export interface NewFile {
  path: string;
  bytes: Uint8Array | string;
}

/**
 * Writes files that must not exist yet (a scaffold, an ejected copy): every path is checked before
 * the first is written, so a second `init` or `eject` changes nothing of what a user already has.
 */
export async function writeNewFiles(folder: string, files: readonly NewFile[]): Promise<string[]> {
  const taken: string[] = [];
  for (const file of files) {
    const exists = await lstat(join(folder, file.path)).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? false : Promise.reject(error)),
    );
    if (exists) taken.push(file.path);
  }
  if (taken.length > 0) {
    throw new BriefgenError(ErrorCode.output, `${taken.length} of the files to write already exist in ${folder}: ${taken.slice(0, 5).join(', ')}${taken.length > 5 ? ', …' : ''}`, {
      hint: 'nothing was written; choose another folder, or move those files away first',
    });
  }
  for (const file of files) {
    try {
      await writeFileAtomic(join(folder, file.path), file.bytes);
    } catch (error) {
      throw new BriefgenError(ErrorCode.write, `could not write ${join(folder, file.path)}: ${(error as Error).message}`, { cause: error });
    }
  }
  return files.map((f) => f.path);
}
