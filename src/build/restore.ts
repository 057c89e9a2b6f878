import { dirname, resolve } from 'node:path';
import { browserIdentity } from '../cache/browser-identity.js';
import { openDeckEntries, type DeckEntries } from '../cache/deck-entries.js';
import { briefgenFingerprint, packageVersion } from '../cache/fingerprint.js';
import { deckInputKey, hashTree } from '../cache/input-key.js';
import type { Logger } from '../log.js';
import { deckFilesIntact } from '../output/deck-writer.js';
import { browserFormats, type BuildOptions, type DeckJob, type DeckResult, type Inputs } from './types.js';

/** Decks restored by their input key, and the keys to store the others under. */
export interface Restored {
  entries: DeckEntries;
  inputKeys: Map<string, string>;
  decks: Map<string, DeckResult>;
}

/** Packages whose versions shape composing and rendering (the export cache covers the browser's). */
const renderPackages = ['@marp-team/marp-core', 'katex', '@twemoji/svg', 'puppeteer-core'] as const;

/**
 * The fast path in front of the export cache: a deck whose inputs (data, templates folder, data
 * folder, profile, options, briefgen's code) are unchanged and whose files are all still in the
 * output folder, byte for byte, is neither composed, rendered nor exported. `--force` skips the
 * lookups but still records the inputs. Reads only: it never changes the output folder.
 */
export async function restoreUnchanged(jobs: readonly DeckJob[], inputs: Inputs, options: BuildOptions, logger: Logger): Promise<Restored | undefined> {
  const start = performance.now();
  const cache = options.cache!;
  const entries = openDeckEntries(cache.dir, { read: cache.read, write: cache.write, logger });
  const exclude = [options.outDir, cache.dir];
  const needsBrowser = browserFormats.some((format) => options.formats.has(format));
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
    if (!stored || stored.key !== job.key || !(await deckFilesIntact(options.outDir, stored.artifacts))) continue;
    decks.set(job.key, { ...stored, cached: true });
  }
  logger.debug('timing', `inputs ${JSON.stringify({ ms: Math.round(performance.now() - start), decks: jobs.length, restored: decks.size })}`);
  return { entries, inputKeys, decks };
}
