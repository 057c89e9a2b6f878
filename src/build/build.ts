import { tmpdir } from 'node:os';
import { relative } from 'node:path';
import { defaultPoolSize, removeStaleProfiles } from '../browser/session.js';
import { browserIdentity } from '../cache/browser-identity.js';
import { checkCacheFolder, openBuildCache } from '../cache/build-cache.js';
import { briefgenFingerprint } from '../cache/fingerprint.js';
import { defaultLimits } from '../data/limits.js';
import { BriefgenError, ErrorCode, isBriefgenError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { relistDeck } from '../output/deck-writer.js';
import { deckOutputDir } from '../output/layout.js';
import { openOutputSession } from '../output/output-session.js';
import { selectShard } from '../shard.js';
import { mapWeighted } from '../util/map-limit.js';
import { formatWarning } from '../warnings.js';
import { leaseBrowser } from './browser-lease.js';
import { createDeckMaker, slideLimitOf } from './deck.js';
import { emptyTimings, exportAndWriteDeck, type ExportContext } from './export.js';
import { loadInputs } from './inputs.js';
import { reportCoverage } from './coverage.js';
import { planRun } from './plan.js';
import { restoreUnchanged } from './restore.js';
import { measuresSlides, type BuildDependencies, type BuildOptions, type BuildResult, type Deck, type DeckResult } from './types.js';

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const timing = (logger: Logger, stage: string, since: number, extra: Record<string, number> = {}) =>
  logger.debug('timing', `${stage} ${JSON.stringify({ ms: Math.round(performance.now() - since), ...extra })}`);

/** Failures that end the whole run: an interrupt, or a browser that is gone for every deck. */
const isFatal = (error: unknown): boolean =>
  (error as Error)?.name === 'AbortError' || !isBriefgenError(error) || error.code === ErrorCode.browser || error.code === ErrorCode.browserMissing;

/** The decks that failed, as one error: a single failure as it is, several listed one per line. */
function deckFailures(failures: ReadonlyArray<{ key: string; error: BriefgenError }>, total: number): BriefgenError {
  if (failures.length === 1) return failures[0]!.error;
  const allInput = failures.every((f) => f.error.exitCode === failures[0]!.error.exitCode && f.error.exitCode === 2);
  const lines = failures.map((f) => `  ${f.key}: ${f.error.message.split('\n')[0]}`);
  return new BriefgenError(allInput ? failures[0]!.error.code : ErrorCode.export, `${failures.length} of ${total} decks failed:\n${lines.join('\n')}`, {
    hint: failures.length < total ? 'the other decks were written and are in the manifest; fix these and build again' : 'fix these and build again',
  });
}

/**
 * The whole build: inputs → plan → (restore unchanged decks) → compose + render → export → write
 * → manifest. The output folder is checked and locked before any browser work, and its manifest
 * is kept true deck by deck. The browser starts on the first deck the cache cannot supply, so a
 * rebuild of unchanged decks never starts it. A deck that fails does not stop the others; the run
 * then fails with every deck's error once they are done.
 */
export async function build(options: BuildOptions, deps: BuildDependencies = {}): Promise<BuildResult> {
  const logger = deps.logger ?? silentLogger;
  const started = performance.now();
  logger.debug('build', `reading the data (${options.data.join(', ')}) and the templates`);
  const inputs = await loadInputs(options, deps.readStdin, deps.signal);
  const plan = planRun(inputs.reports, inputs.templates, options.audiences, options.languages);
  const jobs = selectShard(plan.jobs, options.shard, (job) => job.key);
  timing(logger, 'data', started);
  const deckDirs = jobs.map((job) => deckOutputDir(options.outDir, { report: job.report.id, language: job.report.language, audience: job.profile.name }));
  const output = await openOutputSession(options.outDir, {
    deckDirs,
    manifest: { sourceDateEpoch: options.sourceDateEpoch, shard: options.shard },
    logger,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  // Browser profiles that killed runs left: swept on every build, also those that start no browser.
  await removeStaleProfiles(tmpdir(), logger);
  const lease = leaseBrowser({ logger, ...options.browser }, deps.openBrowser);
  const results: DeckResult[] = [];
  let finished = false;
  try {
    const { journal } = output;
    // An unusable cache (a file where its folder should be) is one warning and a build without it.
    const cache = options.cache && (await checkCacheFolder(options.cache.dir, logger)) ? { ...options.cache, health: {} } : undefined;
    const restored = cache ? await restoreUnchanged(jobs, inputs, { ...options, cache }, logger, journal.listed) : undefined;
    const pending = jobs.filter((job) => !restored?.decks.has(job.key));
    let decks: Deck[] = [];
    if (pending.length > 0) {
      const composeStart = performance.now();
      const maker = await createDeckMaker(inputs, { outDir: options.outDir, fitAuto: options.fit?.auto ?? true, ...slideLimitOf(options.limits) });
      decks = pending.map((job) => maker.make(job));
      logger.debug('compose', `composed ${decks.length} decks`);
      timing(logger, 'render', composeStart, { decks: decks.length });
    }

    const needsBrowser = measuresSlides(options.formats);
    const context: ExportContext = { session: () => lease.get(), timings: emptyTimings(), journal, ...(deps.signal ? { signal: deps.signal } : {}) };
    if (needsBrowser && cache && decks.length > 0) {
      const store = openBuildCache(cache.dir, { read: cache.read, write: cache.write, logger, health: cache.health });
      context.cache = { store, key: { fingerprint: await briefgenFingerprint(), browser: await browserIdentity(options.browser) } };
    }
    const date = options.sourceDateEpoch !== undefined ? new Date(options.sourceDateEpoch * 1000) : undefined;
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
      const { cached: _cached, fit: _fit, maxSlides: _maxSlides, ...record } = result;
      // The folder holds exactly the restored deck's slides (its entry was checked against the deck), as after any build of it.
      await relistDeck(options.outDir, outputDir, record, { slides: options.formats.has('png'), journal });
      report(result, 0, outputDir);
    }
    const failures: Array<{ key: string; error: BriefgenError }> = [];
    const poolSize = options.browser?.poolSize ?? defaultPoolSize();
    // As many decks in flight as the session has pages, and not more slides at once than one
    // deck may have: a browser's memory grows with the slides it holds.
    await mapWeighted(decks, poolSize, options.limits?.deckSlides ?? defaultLimits.deckSlides, (deck) => deck.rendered.slideCount, async (deck) => {
      deps.signal?.throwIfAborted();
      deps.onProgress?.({ type: 'deck-start', key: deck.key, total });
      const deckStart = performance.now();
      let result: DeckResult;
      try {
        result = await exportAndWriteDeck(deck, options.outDir, { formats: options.formats, allowedRoots: inputs.allowedRoots, date, fitAuto: options.fit?.auto ?? true, measure: needsBrowser }, context, logger);
      } catch (error) {
        if (deps.signal?.aborted) throw deps.signal.reason;
        if (isFatal(error)) throw error;
        failures.push({ key: deck.key, error: error as BriefgenError });
        logger.debug('build', `${deck.key} failed: ${(error as Error).message}`);
        return;
      }
      deps.signal?.throwIfAborted();
      report(result, performance.now() - deckStart, deck.outputDir);
      const inputKey = restored?.inputKeys.get(deck.key);
      if (inputKey) {
        const { cached: _cached, ...record } = result;
        await restored!.entries.store(inputKey, record);
      }
    });
    const rounded = Object.fromEntries(Object.entries(context.timings!).map(([k, v]) => [k, Math.round(v)]));
    logger.debug('timing', `export ${JSON.stringify({ ...rounded, decks: decks.length, exported: results.filter((r) => !r.cached).length })}`);
    const manifest = await journal.finish();
    finished = true;
    if (failures.length > 0) throw deckFailures(failures.sort(byKey), total);
    results.sort(byKey);
    return {
      decks: results,
      warnings: results.flatMap((d) => d.warnings),
      coverage: reportCoverage(inputs.reports, results),
      skipped: plan.skipped,
      manifest,
      manifestPath: journal.path,
      browserStarted: lease.started,
    };
  } finally {
    await lease.close();
    await output.close();
    if (!finished) logger.debug('build', `stopped with ${results.length} deck(s) written; the manifest lists what is in place`);
  }
}
