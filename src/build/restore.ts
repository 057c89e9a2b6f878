import { dirname, resolve } from 'node:path';
import { browserIdentity } from '../cache/browser-identity.js';
import type { CacheHealth } from '../cache/build-cache.js';
import { openDeckEntries, type DeckEntries } from '../cache/deck-entries.js';
import { briefgenFingerprint, packageVersion } from '../cache/fingerprint.js';
import { deckInputKey, hashTree } from '../cache/input-key.js';
import type { Logger } from '../log.js';
import { defaultLimits } from '../data/limits.js';
import { deckFilesIntact } from '../output/deck-writer.js';
import { expectedDeckFiles } from '../output/layout.js';
import type { ManifestArtifact, ManifestDeck } from '../output/manifest.js';
import { measuresSlides, type BuildOptions, type DeckJob, type DeckResult, type Inputs } from './types.js';

/** Decks restored by their input key, and the keys to store the others under. */
export interface Restored {
  entries: DeckEntries;
  inputKeys: Map<string, string>;
  decks: Map<string, DeckResult>;
}

const fileKey = (a: Pick<ManifestArtifact, 'path' | 'size' | 'sha256'>): string => `${a.path}\0${a.size}\0${a.sha256}`;
const sameFiles = (a: readonly ManifestArtifact[], b: readonly ManifestArtifact[]): boolean =>
  a.length === b.length && a.map(fileKey).sort().join('\n') === b.map(fileKey).sort().join('\n');

/**
 * Pure: why a stored record cannot be this job's deck, or undefined when it can. The record names
 * files the fast path keeps (and whose stale neighbours it removes), so it must be exactly what a
 * build of this deck writes: its own key and folder, a plausible slide count, and one file per
 * format with one PNG per slide, each with a size and a sha256.
 */
export function entryProblem(stored: DeckResult, job: DeckJob, options: Pick<BuildOptions, 'formats' | 'limits'>): string | undefined {
  const ids = { report: job.report.id, language: job.report.language, audience: job.profile.name };
  if (stored.key !== job.key || stored.report !== ids.report || stored.language !== ids.language || stored.audience !== ids.audience) return `it is the entry of ${String(stored.key)}`;
  const maxSlides = options.limits?.deckSlides ?? defaultLimits.deckSlides;
  if (!Number.isSafeInteger(stored.slides) || stored.slides < 1 || stored.slides > maxSlides) return `it claims ${String(stored.slides)} slides`;
  if (!Array.isArray(stored.warnings) || !Array.isArray(stored.artifacts)) return 'it is not a deck record';
  const expected = expectedDeckFiles(ids, stored.slides, options.formats);
  const claimed = [...stored.artifacts].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (claimed.length !== expected.length) return `it lists ${claimed.length} files where a deck of ${stored.slides} slides has ${expected.length}`;
  for (const [i, file] of expected.entries()) {
    const artifact = claimed[i]!;
    if (artifact.path !== file.path || artifact.kind !== file.kind || artifact.pages !== file.pages) return `it lists ${String(artifact.path)} where ${file.path} belongs`;
    if (!Number.isSafeInteger(artifact.size) || artifact.size < 0 || !/^[0-9a-f]{64}$/.test(String(artifact.sha256))) return `its record of ${file.path} has no size or sha256`;
  }
  return undefined;
}

/** Packages whose versions shape composing and rendering (the export cache covers the browser's). */
const renderPackages = ['@marp-team/marp-core', 'katex', '@twemoji/svg', 'puppeteer-core'] as const;

/**
 * The fast path in front of the export cache: a deck whose inputs (data, templates folder, data
 * folder, profile, options, briefgen's code) are unchanged and whose files are all still in the
 * output folder, byte for byte, is neither composed, rendered nor exported. `--force` skips the
 * lookups but still records the inputs. Reads only: it never changes the output folder.
 */
export async function restoreUnchanged(
  jobs: readonly DeckJob[],
  inputs: Inputs,
  options: BuildOptions & { cache?: { health?: CacheHealth } },
  logger: Logger,
  listed: (key: string) => ManifestDeck | undefined = () => undefined,
): Promise<Restored | undefined> {
  const start = performance.now();
  const cache = options.cache!;
  const entries = openDeckEntries(cache.dir, { read: cache.read, write: cache.write, logger, ...(cache.health ? { health: cache.health } : {}) });
  const exclude = [options.outDir, cache.dir];
  const needsBrowser = measuresSlides(options.formats);
  const [code, versions, browser, templatesHash] = await Promise.all([
    briefgenFingerprint(),
    Promise.all(renderPackages.map(async (name) => `${name}@${await packageVersion(name)}`)),
    needsBrowser ? browserIdentity(options.browser) : Promise.resolve('not used'),
    hashTree(inputs.templates.dir, exclude),
  ]);
  if (templatesHash === undefined) return undefined;
  const folders = new Map<string, Promise<string | undefined>>();
  const folderHash = (dir: string) => {
    let hash = folders.get(dir);
    if (!hash) folders.set(dir, (hash = hashTree(dir, exclude)));
    return hash;
  };
  const shaping = {
    formats: [...options.formats].sort(),
    fitAuto: options.fit?.auto ?? true,
    sourceDateEpoch: options.sourceDateEpoch ?? null,
    allowedRoots: inputs.allowedRoots,
  };
  const inputKeys = new Map<string, string>();
  const decks = new Map<string, DeckResult>();
  for (const job of jobs) {
    if (job.report.file === '-' || job.report.file === '<stdin>') continue;
    const dataDir = await folderHash(dirname(resolve(job.report.file)));
    if (dataDir === undefined) continue;
    const key = deckInputKey({
      fingerprint: `${code} ${versions.join(' ')}`,
      browser,
      deck: job.key,
      data: job.report.text,
      templates: templatesHash,
      dataDir,
      profile: job.profile,
      options: shaping,
    });
    inputKeys.set(job.key, key);
    const stored = await entries.lookup<DeckResult>(key);
    if (!stored) continue;
    const problem = entryProblem(stored, job, options);
    if (problem) {
      // Rewritten after this deck is built again, so the next run hits.
      logger.debug('cache', `input entry of ${job.key} ignored: ${problem}`);
      continue;
    }
    // Files the manifest lists were checked when the output folder was opened: no need to hash them again.
    const known = listed(job.key);
    if (!(known && sameFiles(known.artifacts, stored.artifacts)) && !(await deckFilesIntact(options.outDir, stored.artifacts))) continue;
    decks.set(job.key, { ...stored, cached: true });
  }
  logger.debug('timing', `inputs ${JSON.stringify({ ms: Math.round(performance.now() - start), decks: jobs.length, restored: decks.size })}`);
  return { entries, inputKeys, decks };
}
