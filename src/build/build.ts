import { join, relative } from 'node:path';
import { defaultPoolSize } from '../browser/session.js';
import { browserIdentity } from '../cache/browser-identity.js';
import { openBuildCache } from '../cache/build-cache.js';
import { briefgenFingerprint } from '../cache/fingerprint.js';
import { silentLogger, type Logger } from '../log.js';
import { removeStaleSlides } from '../output/deck-writer.js';
import { deckOutputDir } from '../output/layout.js';
import { buildManifest, writeManifest } from '../output/manifest.js';
import { selectShard } from '../shard.js';
import { mapLimit } from '../util/map-limit.js';
import { formatWarning } from '../warnings.js';
import { leaseBrowser } from './browser-lease.js';
import { createDeckMaker } from './deck.js';
import { emptyTimings, exportAndWriteDeck, type ExportContext } from './export.js';
import { loadInputs } from './inputs.js';
import { reportCoverage } from './coverage.js';
import { planRun } from './plan.js';
import { restoreUnchanged } from './restore.js';
import { browserFormats, type BuildDependencies, type BuildOptions, type BuildResult, type Deck, type DeckResult } from './types.js';

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const timing = (logger: Logger, stage: string, since: number, extra: Record<string, number> = {}) =>
  logger.debug('timing', `${stage} ${JSON.stringify({ ms: Math.round(performance.now() - since), ...extra })}`);

/**
 * The whole build: inputs → plan → (restore unchanged decks) → compose + render → export → write
 * → manifest. The browser starts on the first deck the cache cannot supply, so a rebuild of
 * unchanged decks never starts it.
 */
export async function build(options: BuildOptions, deps: BuildDependencies = {}): Promise<BuildResult> {
  const logger = deps.logger ?? silentLogger;
  const started = performance.now();
  const inputs = await loadInputs(options, deps.readStdin);
  const plan = planRun(inputs.reports, inputs.templates, options.audiences, options.languages);
  const jobs = selectShard(plan.jobs, options.shard, (job) => job.key);
  timing(logger, 'data', started);
  const restored = options.cache ? await restoreUnchanged(jobs, inputs, options, logger) : undefined;
  const pending = jobs.filter((job) => !restored?.decks.has(job.key));
  let decks: Deck[] = [];
  if (pending.length > 0) {
    const composeStart = performance.now();
    const maker = await createDeckMaker(inputs, { outDir: options.outDir, fitAuto: options.fit?.auto ?? true });
    decks = pending.map((job) => maker.make(job));
    logger.debug('compose', `composed ${decks.length} decks`);
    timing(logger, 'render', composeStart, { decks: decks.length });
  }

  const needsBrowser = browserFormats.some((format) => options.formats.has(format));
  const lease = leaseBrowser({ logger, ...options.browser }, deps.openBrowser);
  const context: ExportContext = { session: () => lease.get(), timings: emptyTimings() };
  if (needsBrowser && options.cache && decks.length > 0) {
    const store = openBuildCache(options.cache.dir, { read: options.cache.read, write: options.cache.write, logger });
    context.cache = { store, key: { fingerprint: await briefgenFingerprint(), browser: await browserIdentity(options.browser) } };
  }
  const date = options.sourceDateEpoch !== undefined ? new Date(options.sourceDateEpoch * 1000) : undefined;
  const results: DeckResult[] = [];
  const total = jobs.length;
  let done = 0;
  const report = (result: DeckResult, ms: number, outputDir: string) => {
    for (const warning of result.warnings) logger.warn(formatWarning(warning));
    done += 1;
    if (deps.onProgress) {
      deps.onProgress({ type: 'deck-done', key: result.key, done, total, cached: result.cached ?? false, slides: result.slides, warnings: result.warnings.length, ms });
    } else {
      logger.info(`${result.cached ? 'restored' : 'built'} ${result.key} (${result.slides} slides) → ${relative(process.cwd(), outputDir) || '.'}`);
    }
    results.push(result);
  };

  for (const result of restored?.decks.values() ?? []) {
    deps.onProgress?.({ type: 'deck-start', key: result.key, total });
    const outputDir = deckOutputDir(options.outDir, result);
    // The folder holds exactly the restored deck's slides, as after any build of it.
    if (options.formats.has('png')) await removeStaleSlides(outputDir, new Set(result.artifacts.filter((a) => a.kind === 'png').map((a) => join(options.outDir, a.path))));
    report(result, 0, outputDir);
  }
  try {
    // As many decks in flight as the session has pages: fewer leaves pages idle, more only queues.
    await mapLimit(decks, options.browser?.poolSize ?? defaultPoolSize(), async (deck) => {
      deps.signal?.throwIfAborted();
      deps.onProgress?.({ type: 'deck-start', key: deck.key, total });
      const deckStart = performance.now();
      const result = await exportAndWriteDeck(deck, options.outDir, { formats: options.formats, allowedRoots: inputs.allowedRoots, date, fitAuto: options.fit?.auto ?? true }, context, logger);
      deps.signal?.throwIfAborted();
      report(result, performance.now() - deckStart, deck.outputDir);
      const inputKey = restored?.inputKeys.get(deck.key);
      if (inputKey) {
        const { cached: _cached, ...record } = result;
        await restored!.entries.store(inputKey, record);
      }
    });
  } finally {
    await lease.close();
  }
  const rounded = Object.fromEntries(Object.entries(context.timings!).map(([k, v]) => [k, Math.round(v)]));
  logger.debug('timing', `export ${JSON.stringify({ ...rounded, decks: decks.length, exported: results.filter((r) => !r.cached).length })}`);
  results.sort(byKey);
  const manifest = buildManifest(results, { sourceDateEpoch: options.sourceDateEpoch, shard: options.shard });
  const manifestPath = join(options.outDir, 'manifest.json');
  await writeManifest(manifestPath, manifest);
  return {
    decks: results,
    warnings: results.flatMap((d) => d.warnings),
    coverage: reportCoverage(inputs.reports, results),
    skipped: plan.skipped,
    manifest,
    manifestPath,
    browserStarted: lease.started,
  };
}
