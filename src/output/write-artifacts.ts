import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile, readdir } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { BriefgenError, ErrorCode } from '../errors.js';

export const ArtifactKind = { markdown: 'md', html: 'html', pdf: 'pdf', png: 'png', manifest: 'manifest' } as const;
export type ArtifactKindValue = (typeof ArtifactKind)[keyof typeof ArtifactKind];

/** A file briefgen produces, held in memory until the writer puts it in place. */
export interface Artifact {
  path: string;
  kind: ArtifactKindValue;
  bytes: Uint8Array;
}

/**
 * The only code that writes to the output folder. Each file is written to a temporary name beside
 * its target and renamed over it, so a reader never sees a truncated file and an interrupted run
 * leaves the previous file intact.
 */
export async function writeArtifact(artifact: Artifact): Promise<void> {
  const dir = dirname(artifact.path);
  const temp = join(dir, `.${basename(artifact.path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, artifact.bytes);
    await rename(temp, artifact.path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new BriefgenError(ErrorCode.write, `could not write ${artifact.path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Removes PNG slides left from an earlier, longer build of the same deck (after the new ones are in
 * place), so the folder always holds exactly this build's slides.
 */
export async function removeStaleSlides(dir: string, keep: ReadonlySet<string>): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    entries.filter((name) => /^slide-\d+\.png$/.test(name) && !keep.has(join(dir, name))).map((name) => rm(join(dir, name), { force: true })),
  );
}
