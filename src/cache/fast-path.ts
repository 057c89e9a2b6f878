import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../log.js';
import { removeStaleSlides } from '../output/write-artifacts.js';
import { deckOutputDir } from '../output/layout.js';
import type { BuildOptions, DeckResult } from '../pipeline.js';
import type { DeckJob } from '../plan.js';
import type { TemplateSet } from '../templates/load-template-set.js';
import { browserIdentity } from './browser-identity.js';
import { artifactsIntact, openDeckEntries, type DeckEntries } from './deck-entries.js';
import { briefgenFingerprint, packageVersion } from './fingerprint.js';
import { deckInputKey, hashTree } from './input-key.js';

/** Decks restored by their input key, and the keys to store the others under. */
export interface FastPath {
  entries: DeckEntries;
  inputKeys: Map<string, string>;
  restored: Map<string, DeckResult>;
}

/** Packages whose versions shape composing and rendering (the export cache covers the browser's). */
const renderPackages = ['@marp-team/marp-core', 'katex', '@twemoji/svg', 'puppeteer-core'] as const;

/**
 * The fast path in front of the export cache: a deck whose inputs (data, templates folder, data
 * folder, profile, options, briefgen's code) are unchanged and whose files are all still in the
 * output folder, byte for byte, is neither composed, rendered nor exported. `--force` skips the
 * lookups but still records the inputs.
 */
export async function fastPath(jobs: readonly DeckJob[], templates: TemplateSet, options: BuildOptions, allowedRoots: string[], logger: Logger): Promise<FastPath | undefined> {
  const start = performance.now();
  const cache = options.cache!;
  const entries = openDeckEntries(cache.dir, { read: cache.read, write: cache.write, logger });
  const exclude = [options.outDir, cache.dir];
  const needsBrowser = options.formats.has('pdf') || options.formats.has('png');
  const [code, versions, browser, templatesHash] = await Promise.all([
    briefgenFingerprint(),
    Promise.all(renderPackages.map(async (name) => `${name}@${await packageVersion(name)}`)),
    needsBrowser ? browserIdentity(options.browser) : Promise.resolve('not used'),
    hashTree(templates.dir, exclude),
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
    allowedRoots,
  };
  const inputKeys = new Map<string, string>();
  const restored = new Map<string, DeckResult>();
  for (const job of jobs) {
    if (job.report.file === '-') continue;
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
    if (!stored || stored.key !== job.key || !(await artifactsIntact(options.outDir, stored.artifacts))) continue;
    if (options.formats.has('png')) {
      const outDir = deckOutputDir(options.outDir, job);
      await removeStaleSlides(outDir, new Set(stored.artifacts.filter((a) => a.kind === 'png').map((a) => join(options.outDir, a.path))));
    }
    restored.set(job.key, { ...stored, cached: true });
  }
  logger.debug('timing', `inputs ${JSON.stringify({ ms: Math.round(performance.now() - start), decks: jobs.length, restored: restored.size })}`);
  return { entries, inputKeys, restored };
}
