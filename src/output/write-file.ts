import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BriefgenError, ErrorCode } from '../errors.js';
import { tempName } from './leftovers.js';

export const ArtifactKind = { markdown: 'md', html: 'html', pdf: 'pdf', png: 'png', pptx: 'pptx', notes: 'notes', manifest: 'manifest' } as const;
export type ArtifactKindValue = (typeof ArtifactKind)[keyof typeof ArtifactKind];

/** A file briefgen produces, held in memory until the writer puts it in place. */
export interface Artifact {
  path: string;
  kind: ArtifactKindValue;
  bytes: Uint8Array;
}

/**
 * Writes `bytes` to a temporary name beside `path` and renames it over the target, so a reader
 * (another run, a CI step, a cache lookup) never sees a truncated file and an interrupted run
 * leaves the previous file intact. Raw file-system errors come back as they are.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  // The pid in the name lets the next run remove what a killed one left (src/output/leftovers.ts).
  const temp = join(dir, tempName(basename(path), process.pid, randomBytes(6).toString('hex')));
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (error) {
    // Removing the temporary file is best effort: its failure must never replace the real error.
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Creates a folder and its parents; raw file-system errors come back as they are. */
export async function ensureFolder(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}

/** The one writer of the output folder: an artifact put in place atomically, failures typed. */
export async function writeArtifact(artifact: Artifact): Promise<void> {
  try {
    await writeFileAtomic(artifact.path, artifact.bytes);
  } catch (error) {
    throw new BriefgenError(ErrorCode.write, `could not write ${artifact.path}: ${(error as Error).message}`, { cause: error });
  }
}
