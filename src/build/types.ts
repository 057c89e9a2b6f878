/**
 * The values that flow through the build's stages, apart from the code that makes them, so no two
 * stages import each other for a type: options → jobs → decks → exported decks → results.
 */
import type { BrowserSession, BrowserSessionOptions } from '../browser/session.js';
import type { Helper } from '../compose/helpers.js';
import type { SplitOverrides } from '../compose/paginate.js';
import type { InputLimits } from '../data/limits.js';
import type { LoadedReport } from '../data/load-reports.js';
import type { StdinReader } from '../data/read-source.js';
import type { FitOptions } from '../fit/auto-fit.js';
import type { DeckFit } from '../fit/fit-report.js';
import type { Logger } from '../log.js';
import type { DeckCoverage, Manifest, ManifestDeck } from '../output/manifest.js';
import type { Artifact } from '../output/write-file.js';
import type { RenderedDeck } from '../render/render-deck.js';
import type { Shard } from '../shard.js';
import type { AudienceProfile, TemplateSet } from '../templates/load-template-set.js';
import type { BuildWarning } from '../warnings.js';

export type { DeckCoverage };
export type { Artifact, BuildWarning, Helper, DeckFit, LoadedReport, RenderedDeck, TemplateSet, AudienceProfile, BrowserSession, BrowserSessionOptions, SplitOverrides, InputLimits, StdinReader };

export const allFormats = ['pdf', 'png', 'pptx', 'html', 'md'] as const;
export type Format = (typeof allFormats)[number];

/** The formats made in the browser: a build asking for any of them starts one. */
export const browserFormats: readonly Format[] = ['pdf', 'png', 'pptx'];

/**
 * The formats people present from: a build making any of them measures and fits every slide in
 * the browser. The HTML deck is one (it is shown full screen), so an HTML-only build is fitted and
 * checked for overflow as a PDF build is; only a Markdown-only build needs no browser.
 */
export const presentedFormats: readonly Format[] = [...browserFormats, 'html'];

/** Pure: does a run making `formats` measure its slides in the browser? */
export const measuresSlides = (formats: ReadonlySet<Format>): boolean => presentedFormats.some((f) => formats.has(f));

/** Names picked on the command line, or every one there is. */
export type Selection = readonly string[] | 'all';

/** Everything a build needs, resolved by the caller (the CLI or a library user). */
export interface BuildOptions {
  /** Data files or folders; `-` reads standard input. */
  data: readonly string[];
  templatesDir: string;
  outDir: string;
  /** `default`: the audiences whose profile says `default: true` (all, when none does). */
  audiences: Selection | 'default';
  languages: Selection;
  formats: ReadonlySet<Format>;
  /** Folders the deck may load files from (templates, data and project). */
  projectRoot: string;
  browser?: BrowserSessionOptions;
  /** `SOURCE_DATE_EPOCH` in seconds: the PDFs' dates, and the one time the manifest records. */
  sourceDateEpoch?: number;
  /** Build only this part of the (report × language × audience) jobs (`--shard K/N`). */
  shard?: Shard;
  /** The build cache of browser exports; absent: none. */
  cache?: { dir: string; read: boolean; write: boolean };
  /**
   * Slide fit. Whenever the browser runs, every slide is measured for overflow; `auto: false`
   * (`--no-fit`) reports it without shrinking or re-splitting anything. Default: auto.
   */
  fit?: { auto: boolean };
  /** Bounds on data size, list and string length, YAML aliases and slides; absent fields: the defaults. */
  limits?: Partial<InputLimits>;
}

/** What the caller lends the build: where to report, how to read stdin, when to stop. */
export interface BuildDependencies {
  logger?: Logger;
  /** Reads standard input, at most `maxBytes` (+1 to tell it is more), stopping on `signal`. */
  readStdin?: StdinReader;
  /** Aborts the run at once, decks in flight included; the browser is closed either way. */
  signal?: AbortSignal;
  /** Supplies the browser session (tests and long-lived servers pass a warm one). */
  openBrowser?: (options?: BrowserSessionOptions) => Promise<BrowserSession>;
  /** Told when a deck starts and when it is done (the CLI draws its progress from this). */
  onProgress?: (event: ProgressEvent) => void;
}

/** What the build reports while it runs; the CLI turns it into progress output. */
export type ProgressEvent =
  | { type: 'deck-start'; key: string; total: number }
  | {
      type: 'deck-done';
      key: string;
      /** Decks finished so far, this one included. */
      done: number;
      total: number;
      /** Its PDF and PNGs came from the build cache. */
      cached: boolean;
      slides: number;
      warnings: number;
      ms: number;
    };

/** The loaded inputs of a run: read once, shared by every deck. */
export interface Inputs {
  templates: TemplateSet;
  reports: LoadedReport[];
  /** Folders a deck may load files from: the project, the templates folder, each data folder. */
  allowedRoots: string[];
}

/** One deck to build: a report in one language for one audience. */
export interface DeckJob {
  report: LoadedReport;
  profile: AudienceProfile;
  /** `report/lang/audience`, stable across runs; used for shards, caches and logs. */
  key: string;
}

/** A deck composed and rendered, with everything its export needs to know. */
export interface Deck {
  key: string;
  outputDir: string;
  /** File name of the PDF, Markdown and HTML without extension. */
  stem: string;
  markdown: string;
  rendered: RenderedDeck;
  /** Slide fit options; absent: the defaults. */
  fit?: FitOptions;
  /** Composes and renders the deck again with fewer items per slide for some lists. */
  recompose?: (overrides: SplitOverrides) => { markdown: string; rendered: RenderedDeck };
  /** Checks of the rendered deck that need no browser (empty slides, repetition, notes, coverage). */
  inspect?: (rendered: RenderedDeck) => BuildWarning[];
  /** What of the report's data this deck, as last composed, shows, and what it leaves out and why. */
  coverage?: () => DeckCoverage;
  /** The deck template, relative to the templates folder, for overflow reports. */
  template?: string;
  /** What the deck is and what its PDF says about itself. */
  meta: {
    report: string;
    language: string;
    audience: string;
    title?: string;
    author?: string;
    subject?: string;
    keywords: string[];
    maxSlides?: number;
  };
  /** Warnings known without a browser: the slide budget, requests the export would block. */
  warnings: BuildWarning[];
}

/** One deck exported: the files to write and what to tell the user. */
export interface ExportedDeck {
  /** The deck as exported: re-composed when fitting re-split a list. */
  markdown: string;
  rendered: RenderedDeck;
  /** What a build writes for the deck, in this order: PDF, PNGs, PPTX, Markdown, HTML (with the fit). */
  artifacts: Artifact[];
  /** Blocked requests, overflow and the slide budget, as a build reports them. */
  warnings: BuildWarning[];
  /** What measuring found and fitting changed (when the browser ran). */
  fit?: DeckFit;
}

/** A deck as a run reports it: its manifest record, and how it was made. */
export interface DeckResult extends ManifestDeck {
  /** The PDF, PNGs and PPTX came from the build cache: no browser work for this deck. */
  cached?: boolean;
  /** What measuring found and fitting changed (when the browser ran). */
  fit?: DeckFit;
  /** The audience's slide budget, when it has one. */
  maxSlides?: number;
}

/** What of one report (in one language) the decks of a run show, and what none of them shows. */
export interface ReportCoverage {
  report: string;
  language: string;
  /** Decks of the run the figures count. */
  decks: string[];
  sections: { total: number; shown: number };
  entries: { total: number; shown: number };
  /** Data no deck shows, each with why: the reason every deck gave. */
  unused: Array<{ path: string; reasons: string[] }>;
}

/** A deck a run skipped, and what its report lacks for it. */
export interface SkippedDeck {
  key: string;
  missing: string[];
}

export interface BuildResult {
  decks: DeckResult[];
  warnings: BuildWarning[];
  /** Per report and language: what the run's decks show of it, and what none of them shows. */
  coverage: ReportCoverage[];
  /** Decks the run did not build because a report lacks what the audience requires. */
  skipped: SkippedDeck[];
  manifest: Manifest;
  manifestPath: string;
  /** Whether a browser was started for this run. */
  browserStarted: boolean;
}
