import { relative, sep } from 'node:path';
import type { Helper } from '../compose/helpers.js';
import { BriefgenError, ErrorCode } from '../errors.js';
import { defaultLimits, limitFlags } from '../data/limits.js';
import { resolveFitOptions } from '../fit/fit-options.js';
import { deckOutputDir, deckStem } from '../output/layout.js';
import type { Renderer } from '../render/render-deck.js';
import { WarningCode, type BuildWarning } from '../warnings.js';
import type { Deck, DeckJob, Inputs, RenderedDeck, SplitOverrides } from './types.js';

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
  /** Most slides a deck may have, after any re-split; default {@link defaultLimits}. */
  maxSlides?: number;
}

const posixPath = (path: string): string => path.split(sep).join('/');

/** The template helpers briefgen ships, by name (the live preview layers reloaded ones over them). */
export async function builtInHelpers(): Promise<ReadonlyArray<readonly [string, Helper]>> {
  return (await import('../compose/helpers.js')).helperRegistry;
}

/** The warning for a deck longer than its audience's budget, or none. */
export function budgetWarning(key: string, slides: number, maxSlides: number | undefined): BuildWarning[] {
  if (maxSlides === undefined || slides <= maxSlides) return [];
  return [{ code: WarningCode.budget, deck: key, message: `${slides} slides, over the audience's budget of ${maxSlides}` }];
}

/** The deck maker's share of a run's limits. */
export const slideLimitOf = (limits: { deckSlides?: number } | undefined): { maxSlides?: number } =>
  limits?.deckSlides !== undefined ? { maxSlides: limits.deckSlides } : {};

/**
 * A deck longer than the run's slide limit is an input error, found before the browser starts
 * (and again after slide fit re-splits a list): 100,000 list items must not become 25,000 slides.
 */
export function checkSlideLimit(key: string, slides: number, limit: number, template?: string): void {
  if (slides <= limit) return;
  throw new BriefgenError(ErrorCode.limit, `${key} has ${slides.toLocaleString('en')} slides, over the limit of ${limit.toLocaleString('en')} slides per deck`, {
    ...(template ? { location: { file: template } } : {}),
    hint: `shorten the lists the deck paginates, or raise the limit with ${limitFlags.deckSlides}`,
  });
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
      // A measured overflow in a paginated list composes this one deck again with fewer items per slide.
      const maxSlides = options.maxSlides ?? defaultLimits.deckSlides;
      const templateFile = templates.decks.get(profile.template)?.file;
      const recompose = (overrides: SplitOverrides) => {
        const markdown = createComposer(templates, withSplitOverrides(helpers, overrides)).compose(input);
        const rendered = render(markdown);
        checkSlideLimit(job.key, rendered.slideCount, maxSlides, templateFile);
        return { markdown, rendered };
      };
      const markdown = composer.compose(input);
      const rendered = render(markdown);
      checkSlideLimit(job.key, rendered.slideCount, maxSlides, templateFile);
      const ids = { report: report.id, language: report.language, audience: profile.name };
      return {
        key: job.key,
        outputDir: options.outDir === '' ? '' : deckOutputDir(options.outDir, ids),
        stem: deckStem(ids),
        markdown,
        rendered,
        fit: resolveFitOptions(profile.fit, templates.themes.get(profile.theme)?.css, options.fitAuto),
        recompose,
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
          ...rendered.externalUrls.map((url) => ({ code: WarningCode.blockedRequest, deck: job.key, message: `loads ${url}, which the export blocks (only local files and data: URIs load)` })),
        ],
      };
    },
  };
}
