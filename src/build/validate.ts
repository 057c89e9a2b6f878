import { defaultPoolSize } from '../browser/session.js';
import { silentLogger } from '../log.js';
import { mapLimit } from '../util/map-limit.js';
import { leaseBrowser } from './browser-lease.js';
import { createDeckMaker } from './deck.js';
import { deckExporter, exportDeckArtifacts } from './export.js';
import { loadInputs } from './inputs.js';
import { reportCoverage } from './coverage.js';
import { planRun } from './plan.js';
import type { BuildDependencies, BuildOptions, Deck, DeckResult, ReportCoverage, SkippedDeck } from './types.js';

/** What `validate` found: each deck as a build would report it, the coverage of each report, the decks skipped. */
export interface ValidateResult {
  decks: DeckResult[];
  coverage: ReportCoverage[];
  skipped: SkippedDeck[];
}

export type ValidateOptions = Pick<BuildOptions, 'data' | 'templatesDir' | 'audiences' | 'languages' | 'outDir' | 'projectRoot' | 'browser' | 'fit'> & {
  /** Measure every slide in the browser (default); false checks data and templates only. */
  measure?: boolean;
};

const resultOf = (deck: Deck, slides: number, warnings: DeckResult['warnings'], fit?: DeckResult['fit']): DeckResult => ({
  key: deck.key,
  report: deck.meta.report,
  language: deck.meta.language,
  audience: deck.meta.audience,
  ...(deck.meta.title !== undefined ? { title: deck.meta.title } : {}),
  slides,
  warnings,
  artifacts: [],
  ...(fit ? { fit } : {}),
  ...(deck.meta.maxSlides !== undefined ? { maxSlides: deck.meta.maxSlides } : {}),
  ...(deck.coverage ? { coverage: deck.coverage() } : {}),
});

/**
 * `briefgen validate`: loads data and templates, composes and renders every selected deck, and
 * (unless `measure: false`) measures, fits and re-splits each one in the browser as a build would,
 * without making a PDF or PNG. Writes nothing; returns each deck with what a build would warn about.
 */
export async function validate(options: ValidateOptions, deps: BuildDependencies = {}): Promise<ValidateResult> {
  const logger = deps.logger ?? silentLogger;
  const inputs = await loadInputs(options, deps.readStdin);
  const { jobs, skipped } = planRun(inputs.reports, inputs.templates, options.audiences, options.languages);
  const done = (decks: DeckResult[]): ValidateResult => ({ decks: decks.sort(byKey), coverage: reportCoverage(inputs.reports, decks), skipped });
  if (jobs.length === 0) return done([]);
  const fitAuto = options.fit?.auto ?? true;
  const maker = await createDeckMaker(inputs, { outDir: options.outDir, fitAuto });
  const decks = jobs.map((job) => maker.make(job));
  if (options.measure === false) {
    // No browser: the slide budget by slide count is all that can be known.
    return done(decks.map((deck) => resultOf(deck, deck.rendered.slideCount, deck.warnings.filter((w) => w.code !== 'blocked-request'))));
  }
  const lease = leaseBrowser({ logger, ...options.browser }, deps.openBrowser);
  const results: DeckResult[] = [];
  try {
    await mapLimit(decks, options.browser?.poolSize ?? defaultPoolSize(), async (deck) => {
      deps.signal?.throwIfAborted();
      const { exporter } = deckExporter({ session: () => lease.get() });
      const measured = await exportDeckArtifacts(deck, { formats: new Set(), allowedRoots: inputs.allowedRoots, measure: true, fitAuto }, exporter, logger);
      results.push(resultOf(deck, measured.rendered.slideCount, measured.warnings, measured.fit));
    });
  } finally {
    await lease.close();
  }
  return done(results);
}

const byKey = (a: { key: string }, b: { key: string }): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
