import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { buildManifest, type ManifestArtifact, type ManifestDeck } from './manifest.js';
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

/** The manifest a deck's files are written under, and the deck's record in it (all but the files). */
export interface DeckListing {
  /** The deck operations of the run's manifest journal (`manifest-journal.ts`). */
  journal: {
    listed(key: string): ManifestDeck | undefined;
    forget(key: string): Promise<void>;
    record(deck: ManifestDeck): Promise<void>;
  };
  deck: Omit<ManifestDeck, 'artifacts'>;
}

const sameListing = (a: ManifestDeck | undefined, b: ManifestDeck): boolean => a !== undefined && JSON.stringify(buildManifest([a])) === JSON.stringify(buildManifest([b]));

/**
 * Puts one deck's files into its folder under `outDir` and returns them as the manifest lists
 * them. Files already holding the same bytes are left alone; with `slides` (PNGs were made), slide
 * PNGs the deck no longer has are removed. With a `listing`, the manifest never names a file in
 * the middle of changing: the deck leaves it before the first file changes, and comes back with
 * its new hashes after the last.
 */
export async function writeDeckFiles(
  outDir: string,
  deckDir: string,
  artifacts: readonly Artifact[],
  options: { slideCount: number; slides: boolean; listing?: DeckListing },
): Promise<ManifestArtifact[]> {
  const hashes = artifacts.map((artifact) => sha256(artifact.bytes));
  const records: ManifestArtifact[] = artifacts.map((artifact, i) => ({
    path: posixPath(relative(outDir, artifact.path)),
    kind: artifact.kind,
    size: artifact.bytes.byteLength,
    sha256: hashes[i]!,
    pages: artifact.kind === ArtifactKind.png ? 1 : options.slideCount,
  }));
  const listing = options.listing;
  const entry = listing ? { ...listing.deck, artifacts: records } : undefined;
  if (listing && !sameListing(listing.journal.listed(listing.deck.key), entry!)) await listing.journal.forget(listing.deck.key);
  for (const [i, artifact] of artifacts.entries()) await writeUnlessSame(artifact, hashes[i]!);
  if (options.slides) await removeStaleSlides(deckDir, new Set(artifacts.filter((a) => a.kind === ArtifactKind.png).map((a) => a.path)));
  if (listing) await listing.journal.record(entry!);
  return records;
}

/**
 * Lists a deck whose files are already in place (restored by the fast path from a checked entry)
 * and removes the slide PNGs of an earlier, longer build of it: the manifest and the folder end as
 * after any build of the deck.
 */
export async function relistDeck(outDir: string, deckDir: string, deck: ManifestDeck, options: { slides: boolean; journal: DeckListing['journal'] }): Promise<void> {
  if (!sameListing(options.journal.listed(deck.key), deck)) await options.journal.forget(deck.key);
  if (options.slides) await removeStaleSlides(deckDir, new Set(deck.artifacts.filter((a) => a.kind === ArtifactKind.png).map((a) => join(outDir, a.path))));
  await options.journal.record(deck);
}

/** Whether every listed file is in `outDir` with exactly the recorded size and sha256. */
export async function deckFilesIntact(outDir: string, artifacts: ReadonlyArray<Pick<ManifestArtifact, 'path' | 'size' | 'sha256'>>): Promise<boolean> {
  for (const artifact of artifacts) {
    const bytes = await readFile(join(outDir, artifact.path)).catch(() => undefined);
    if (!bytes || bytes.byteLength !== artifact.size || sha256(bytes) !== artifact.sha256) return false;
  }
  return true;
}
