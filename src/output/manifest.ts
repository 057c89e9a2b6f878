import { BriefgenError, ErrorCode } from '../errors.js';
import { ArtifactKind, writeArtifact, type ArtifactKindValue } from './write-file.js';
import type { Shard } from '../shard.js';
import { version } from '../version.js';
import type { BuildWarning } from '../warnings.js';

/** One file of a deck, as the manifest lists it. */
export interface ManifestArtifact {
  /** Relative to the output folder, `/`-separated on every platform. */
  path: string;
  kind: ArtifactKindValue;
  /** Bytes. */
  size: number;
  sha256: string;
  /** Pages of the PDF, slides of the Markdown and HTML, 1 for a slide PNG. */
  pages: number;
}

/** What of its report a deck shows: data paths on its slides, and those it leaves out and why. */
export interface DeckCoverage {
  shown: string[];
  omitted: Array<{ path: string; reason: string }>;
}

/** One deck and its files; an artifact's audience, language and warnings are its deck's. */
export interface ManifestDeck {
  key: string;
  report: string;
  language: string;
  audience: string;
  title?: string;
  slides: number;
  warnings: BuildWarning[];
  artifacts: ManifestArtifact[];
  /** Present for decks composed from report data. */
  coverage?: DeckCoverage;
}

/** `out/manifest.json`: what a run produced, for CI and other tools. */
export interface Manifest {
  generator: string;
  /** `SOURCE_DATE_EPOCH` of the build, when set: the only time a manifest mentions. */
  sourceDateEpoch?: number;
  /** Set when the run built one shard of the jobs (`--shard K/N`); merged manifests have none. */
  shard?: Shard;
  decks: ManifestDeck[];
}

export interface ManifestOptions {
  sourceDateEpoch?: number;
  shard?: Shard;
  generator?: string;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Pure: a deck in canonical order (artifacts by path), so equal builds give equal bytes. */
function canonicalDeck(deck: ManifestDeck): ManifestDeck {
  return {
    key: deck.key,
    report: deck.report,
    language: deck.language,
    audience: deck.audience,
    ...(deck.title !== undefined ? { title: deck.title } : {}),
    slides: deck.slides,
    warnings: deck.warnings.map((w) => ({ ...w })),
    artifacts: [...deck.artifacts]
      .sort((a, b) => byString(a.path, b.path))
      .map((a) => ({ path: a.path, kind: a.kind, size: a.size, sha256: a.sha256, pages: a.pages })),
    ...(deck.coverage ? { coverage: { shown: [...deck.coverage.shown].sort(byString), omitted: [...deck.coverage.omitted].sort((a, b) => byString(a.path, b.path)) } } : {}),
  };
}

/**
 * Pure: the manifest of a run's decks. Sorted, and without timestamps unless `SOURCE_DATE_EPOCH`
 * gives one, so identical builds give identical files.
 */
export function buildManifest(decks: readonly ManifestDeck[], options: ManifestOptions = {}): Manifest {
  return {
    generator: options.generator ?? `briefgen ${version}`,
    ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
    ...(options.shard && options.shard.count > 1 ? { shard: { ...options.shard } } : {}),
    decks: decks.map(canonicalDeck).sort((a, b) => byString(a.key, b.key)),
  };
}

/** The manifest as written to disk: two-space JSON and a final newline. */
export const serializeManifest = (manifest: Manifest): string => `${JSON.stringify(manifest, null, 2)}\n`;

/** A manifest read back from a file, checked enough to merge safely. */
export function parseManifest(text: string, file: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BriefgenError(ErrorCode.dataParse, `${file} is not JSON: ${(error as Error).message}`, { location: { file } });
  }
  const manifest = value as Partial<Manifest>;
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.generator !== 'string' || !Array.isArray(manifest.decks)) {
    throw new BriefgenError(ErrorCode.dataShape, `${file} is not a briefgen manifest (no generator and decks)`, { location: { file } });
  }
  return manifest as Manifest;
}

/** Equal as JSON after canonical ordering. */
const sameDeck = (a: ManifestDeck, b: ManifestDeck): boolean => JSON.stringify(canonicalDeck(a)) === JSON.stringify(canonicalDeck(b));

/**
 * Pure: one manifest from the manifests of several runs, e.g. the shards of a CI matrix. Refuses to
 * mix briefgen versions or `SOURCE_DATE_EPOCH`s, a deck built differently twice, a file claimed by
 * two decks, and an incomplete set of shards; a deck listed twice the same way counts once.
 * `files` name the inputs in errors.
 */
export function mergeManifests(manifests: readonly Manifest[], files: readonly string[] = manifests.map((_, i) => `manifest ${i + 1}`)): Manifest {
  if (manifests.length === 0) throw new BriefgenError(ErrorCode.usage, 'no manifests to merge');
  const first = manifests[0]!;
  const decks = new Map<string, { deck: ManifestDeck; file: string }>();
  const owners = new Map<string, string>();
  manifests.forEach((manifest, i) => {
    const file = files[i] ?? `manifest ${i + 1}`;
    if (manifest.generator !== first.generator) {
      throw new BriefgenError(ErrorCode.usage, `${file} was written by ${manifest.generator}, ${files[0]} by ${first.generator}`, {
        hint: 'build every shard with the same briefgen version',
      });
    }
    if (manifest.sourceDateEpoch !== first.sourceDateEpoch) {
      throw new BriefgenError(ErrorCode.usage, `${file} has SOURCE_DATE_EPOCH ${manifest.sourceDateEpoch ?? '(unset)'}, ${files[0]} has ${first.sourceDateEpoch ?? '(unset)'}`, {
        hint: 'give every shard the same SOURCE_DATE_EPOCH',
      });
    }
    for (const deck of manifest.decks) {
      const seen = decks.get(deck.key);
      if (seen) {
        if (!sameDeck(seen.deck, deck)) {
          throw new BriefgenError(ErrorCode.usage, `deck ${deck.key} differs between ${seen.file} and ${file}`, {
            hint: 'each deck should be built by one shard; check that every runner got the same --shard count',
          });
        }
        continue;
      }
      for (const artifact of deck.artifacts) {
        const owner = owners.get(artifact.path);
        if (owner !== undefined) throw new BriefgenError(ErrorCode.usage, `${artifact.path} belongs to both ${owner} and ${deck.key} (in ${file})`);
        owners.set(artifact.path, deck.key);
      }
      decks.set(deck.key, { deck, file });
    }
  });
  checkShards(manifests, files);
  return buildManifest(
    [...decks.values()].map((d) => d.deck),
    { generator: first.generator, sourceDateEpoch: first.sourceDateEpoch },
  );
}

/** Shard manifests must come as a complete set: every K of one N, once each. */
function checkShards(manifests: readonly Manifest[], files: readonly string[]): void {
  const sharded = manifests.map((m, i) => ({ shard: m.shard, file: files[i] ?? `manifest ${i + 1}` })).filter((m) => m.shard);
  if (sharded.length === 0) return;
  if (sharded.length !== manifests.length) {
    throw new BriefgenError(ErrorCode.usage, `some manifests are shards and some are not (${sharded.map((m) => m.file).join(', ')} are shards)`);
  }
  const count = sharded[0]!.shard!.count;
  const seen = new Map<number, string>();
  for (const { shard, file } of sharded) {
    if (shard!.count !== count) throw new BriefgenError(ErrorCode.usage, `${file} is shard ${shard!.index}/${shard!.count}, but ${sharded[0]!.file} is one of ${count}`);
    const other = seen.get(shard!.index);
    if (other !== undefined) throw new BriefgenError(ErrorCode.usage, `${file} and ${other} are both shard ${shard!.index}/${count}`);
    seen.set(shard!.index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) {
    throw new BriefgenError(ErrorCode.usage, `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing from the merge`, {
      hint: 'pass the manifest of every shard; a failed runner leaves its part of the decks unbuilt',
    });
  }
}

/** Writes the manifest atomically to `path`. */
export async function writeManifest(path: string, manifest: Manifest): Promise<void> {
  await writeArtifact({ path, kind: ArtifactKind.manifest, bytes: new TextEncoder().encode(serializeManifest(manifest)) });
}
