import { relative, sep } from 'node:path';
import type { Helper } from '../compose/helpers.js';
import { BriefgenError, ErrorCode } from '../errors.js';
import { resolveFitOptions } from '../fit/fit-options.js';
import { deckOutputDir, deckStem } from '../output/layout.js';
import type { Renderer } from '../render/render-deck.js';
import { WarningCode, type BuildWarning } from '../warnings.js';
import { checkDeck, type Expectation } from './deck-checks.js';
import type { Deck, DeckJob, Inputs, RenderedDeck, SplitOverrides } from './types.js';
import type { Briefing } from '../schema.js';
import type { DeckView } from '../compose/deck-view.js';

/** Makes the decks of one template set: compose (Handlebars → Marp Markdown), then render (→ HTML). */
export interface DeckMaker {
  make(job: DeckJob): Deck;
}

export interface DeckMakerOptions {
  /** Where the deck's files will go (the usual `out/` layout); decks that are never written may pass ''. */
  outDir: string;
  /** false (`--no-fit`): the export measures and reports, and changes nothing. */
  fitAuto: boolean;
  /** Template helpers in place of the built-in registry (the live preview reloads them). */
  helpers?: ReadonlyArray<readonly [string, Helper]>;
}

const posixPath = (path: string): string => path.split(sep).join('/');

/** The template helpers briefgen ships, by name (the live preview layers reloaded ones over them). */
export async function builtInHelpers(): Promise<ReadonlyArray<readonly [string, Helper]>> {
  return (await import('../compose/helpers.js')).helperRegistry;
}

/** A few words of what each entry a deck shows says, to find it on the slides. */
function expectations(view: DeckView): Expectation[] {
  const probe = (text: unknown) => (typeof text === 'string' ? [...text].slice(0, 24).join('') : '');
  return view.blocks.flatMap((block) =>
    block.kind === 'text'
      ? [{ path: `sections.${block.section}`, text: probe(block.title) }]
      : (block.entries as Array<Record<string, unknown>>).map((entry, i) => ({
          path: `${block.name}[${typeof entry.position === 'number' ? entry.position - 1 : i}]`,
          text: probe(typeof entry === 'string' ? entry : (entry.title ?? entry.label ?? entry.name ?? entry.text)),
        })),
  );
}

/** People and topics of a report that speaker notes may name: quote authors, section titles. */
function namesOf(briefing: Briefing): string[] {
  const sections = Object.values(briefing.sections);
  return [...new Set([...sections.flatMap((s) => s.quotes.map((q) => q.author)), ...sections.map((s) => s.title)])];
}

/** The warning for a deck longer than its audience's budget, or none. */
export function budgetWarning(key: string, slides: number, maxSlides: number | undefined): BuildWarning[] {
  if (maxSlides === undefined || slides <= maxSlides) return [];
  return [{ code: WarningCode.budget, deck: key, message: `${slides} slides, over the audience's budget of ${maxSlides}` }];
}

/** Renders, turning anything marp-core throws into a render error naming the deck. */
export function renderChecked(renderer: Renderer, input: Parameters<Renderer['render']>[0], key: string): RenderedDeck {
  try {
    return renderer.render(input);
  } catch (error) {
    if (error instanceof BriefgenError) throw error;
    throw new BriefgenError(ErrorCode.render, `rendering ${key} failed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Compiles the template set and registers its themes once, and returns a maker that composes and
 * renders each deck of the run with them. Handlebars and Marp load here, not at the top: a
 * rebuild the cache serves entirely never loads them.
 */
export async function createDeckMaker(inputs: Pick<Inputs, 'templates' | 'allowedRoots'>, options: DeckMakerOptions): Promise<DeckMaker> {
  const [{ createComposer }, { createRenderer }, { helperRegistry }, { withSplitOverrides }] = await Promise.all([
    import('../compose/compose-deck.js'),
    import('../render/render-deck.js'),
    import('../compose/helpers.js'),
    import('../compose/paginate.js'),
  ]);
  const { templates } = inputs;
  const helpers = options.helpers ?? helperRegistry;
  const composer = createComposer(templates, helpers);
  const renderer = createRenderer({
    themes: [...templates.themes.values()].map((t) => ({ name: t.name, css: t.css, file: t.file })),
    allowedRoots: inputs.allowedRoots,
  });
  return {
    make(job) {
      const { report, profile } = job;
      const input = { briefing: report.briefing, profile, lang: report.language };
      const render = (markdown: string) => renderChecked(renderer, { markdown, lang: report.language, baseDir: report.baseDir, title: report.briefing.meta.title }, job.key);
      const names = namesOf(report.briefing);
      const { markdown, plan, view } = composer.compose(input);
      const rendered = render(markdown);
      // What the deck as last composed shows: slide fit may compose it again with lists re-split.
      const current = { expected: expectations(view), coverage: { shown: plan.shown, omitted: plan.omitted } };
      // A measured overflow in a paginated list composes this one deck again with fewer items per slide.
      const recompose = (overrides: SplitOverrides) => {
        const again = createComposer(templates, withSplitOverrides(helpers, overrides)).compose({ ...input, splits: overrides });
        current.expected = expectations(again.view);
        current.coverage = { shown: again.plan.shown, omitted: again.plan.omitted };
        return { markdown: again.markdown, rendered: render(again.markdown) };
      };
      const inspect = (deck: RenderedDeck) => checkDeck({ key: job.key, html: deck.html, notes: deck.notes, expected: current.expected, names });
      const ids = { report: report.id, language: report.language, audience: profile.name };
      return {
        key: job.key,
        outputDir: options.outDir === '' ? '' : deckOutputDir(options.outDir, ids),
        stem: deckStem(ids),
        markdown,
        rendered,
        fit: resolveFitOptions(profile.fit, templates.themes.get(profile.theme)?.css, options.fitAuto),
        recompose,
        inspect,
        coverage: () => current.coverage,
        template: posixPath(relative(templates.dir, templates.decks.get(profile.template)?.file ?? profile.template)),
        meta: {
          ...ids,
          title: report.briefing.meta.title,
          author: report.briefing.meta.publishers.join(', '),
          subject: profile.description[report.language] ?? profile.name,
          keywords: report.briefing.meta.keywords,
          maxSlides: profile.maxSlides,
        },
        warnings: [
          ...budgetWarning(job.key, rendered.slideCount, profile.maxSlides),
          ...inspect(rendered),
          ...rendered.externalUrls.map((url) => ({ code: WarningCode.blockedRequest, deck: job.key, message: `loads ${url}, which the export blocks (only local files and data: URIs load)` })),
        ],
      };
    },
  };
}
