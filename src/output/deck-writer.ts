import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ManifestArtifact } from './manifest.js';
import { ArtifactKind, writeArtifact, type Artifact } from './write-file.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const posixPath = (path: string): string => path.split(sep).join('/');
const slideName = /^slide-\d+\.png$/;

/** Writes an artifact unless the file already holds exactly these bytes (a warm rebuild touches nothing). */
async function writeUnlessSame(artifact: Artifact, hash: string): Promise<void> {
  const existing = await readFile(artifact.path).catch(() => undefined);
  if (existing && existing.byteLength === artifact.bytes.byteLength && sha256(existing) === hash) return;
  await writeArtifact(artifact);
}

/**
 * Removes PNG slides left from an earlier, longer build of the same deck (after the new ones are in
 * place), so the folder always holds exactly this build's slides.
 */
export async function removeStaleSlides(dir: string, keep: ReadonlySet<string>): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(entries.filter((name) => slideName.test(name) && !keep.has(join(dir, name))).map((name) => rm(join(dir, name), { force: true })));
}

/**
 * Puts one deck's files into its folder under `outDir` and returns them as the manifest lists
 * them. Files already holding the same bytes are left alone; with `slides` (PNGs were made), slide
 * PNGs the deck no longer has are removed.
 */
export async function writeDeckFiles(outDir: string, deckDir: string, artifacts: readonly Artifact[], options: { slideCount: number; slides: boolean }): Promise<ManifestArtifact[]> {
  const records: ManifestArtifact[] = [];
  for (const artifact of artifacts) {
    const hash = sha256(artifact.bytes);
    await writeUnlessSame(artifact, hash);
    const pages = artifact.kind === ArtifactKind.png ? 1 : options.slideCount;
    records.push({ path: posixPath(relative(outDir, artifact.path)), kind: artifact.kind, size: artifact.bytes.byteLength, sha256: hash, pages });
  }
  if (options.slides) await removeStaleSlides(deckDir, new Set(artifacts.filter((a) => a.kind === ArtifactKind.png).map((a) => a.path)));
  return records;
}

/** Whether every listed file is in `outDir` with exactly the recorded size and sha256. */
export async function deckFilesIntact(outDir: string, artifacts: ReadonlyArray<Pick<ManifestArtifact, 'path' | 'size' | 'sha256'>>): Promise<boolean> {
  for (const artifact of artifacts) {
    const bytes = await readFile(join(outDir, artifact.path)).catch(() => undefined);
    if (!bytes || bytes.byteLength !== artifact.size || sha256(bytes) !== artifact.sha256) return false;
  }
  return true;
}
