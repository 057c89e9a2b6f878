import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { deckFilesIntact } from './deck-writer.js';
import { buildManifest, parseManifest, serializeManifest, writeManifest, type Manifest, type ManifestDeck, type ManifestOptions } from './manifest.js';

/**
 * `out/manifest.json` kept true while a run writes: a deck leaves the manifest before any of its
 * files change and comes back, with its new hashes, once they are all in place. Each change
 * rewrites the manifest atomically, so whenever a run stops (Ctrl-C, `kill -9`, a failed deck)
 * every file the manifest lists holds exactly the bytes it says.
 */
export interface ManifestJournal {
  readonly path: string;
  /** The deck as the manifest lists it now (its files checked when the journal opened). */
  listed(key: string): ManifestDeck | undefined;
  /** Takes a deck out of the manifest, before its files are rewritten or removed. */
  forget(key: string): Promise<void>;
  /** Lists a deck whose files are all in place. */
  record(deck: ManifestDeck): Promise<void>;
  /** The manifest as it stands. */
  manifest(): Manifest;
  /** Writes the manifest unless the file already says exactly this: a finished run always leaves one. */
  finish(): Promise<Manifest>;
}

/** Manifests whose decks may be listed together: the same briefgen, `SOURCE_DATE_EPOCH` and shard. */
function compatible(a: Manifest, b: Manifest): boolean {
  return a.generator === b.generator && a.sourceDateEpoch === b.sourceDateEpoch && a.shard?.index === b.shard?.index && a.shard?.count === b.shard?.count;
}

const sameDeck = (a: ManifestDeck | undefined, b: ManifestDeck | undefined): boolean =>
  a !== undefined && b !== undefined && serializeManifest(buildManifest([a])) === serializeManifest(buildManifest([b]));

/**
 * Opens the journal of `outDir` (held under the output lock): the previous manifest's decks are
 * kept, so an interrupted or partial run does not forget what an earlier run left, but only when
 * that manifest comes from the same briefgen, `SOURCE_DATE_EPOCH` and shard, and only the decks
 * whose files are all still there, byte for byte. A manifest that listed a changed file is
 * rewritten at once.
 */
export async function openManifestJournal(outDir: string, header: ManifestOptions, logger: Logger = silentLogger): Promise<ManifestJournal> {
  const path = join(outDir, 'manifest.json');
  const fresh = buildManifest([], header);
  const decks = new Map<string, ManifestDeck>();
  /** What the file on disk lists, to tell whether a change must be written. */
  let onDisk: Manifest | undefined;
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    try {
      onDisk = parseManifest(text, path);
    } catch {
      logger.debug('output', `${path} is not a briefgen manifest; it is replaced by this run's`);
    }
  }
  let stale = false;
  if (onDisk && compatible(onDisk, fresh)) {
    for (const deck of onDisk.decks) {
      if (Array.isArray(deck.artifacts) && (await deckFilesIntact(outDir, deck.artifacts))) decks.set(deck.key, deck);
      else {
        stale = true;
        logger.debug('output', `${deck.key}: a file the manifest lists was changed or removed; the deck is no longer listed`);
      }
    }
  } else if (onDisk) {
    logger.debug('output', `${path} comes from another briefgen, SOURCE_DATE_EPOCH or shard; its decks are dropped when this run writes`);
  }

  const current = (): Manifest => buildManifest([...decks.values()], header);
  let writes: Promise<void> = Promise.resolve();
  /** One write at a time, in order; each writes the state as it is when its turn comes. */
  const flush = (): Promise<void> => {
    const next = writes.then(async () => {
      const manifest = current();
      await writeManifest(path, manifest);
      onDisk = manifest;
    });
    writes = next.catch(() => undefined);
    return next;
  };
  if (stale) await flush();

  return {
    path,
    listed: (key) => decks.get(key),
    async forget(key) {
      const wasListed = decks.delete(key);
      if (wasListed || onDisk?.decks.some((d) => d.key === key)) await flush();
    },
    async record(deck) {
      if (sameDeck(decks.get(deck.key), deck) && onDisk && compatible(onDisk, fresh)) return;
      decks.set(deck.key, deck);
      await flush();
    },
    manifest: current,
    async finish() {
      await writes;
      const manifest = current();
      const now = await readFile(path, 'utf8').catch(() => undefined);
      if (now !== serializeManifest(manifest)) await flush();
      return manifest;
    },
  };
}
