/**
 * briefgen's programmatic API: the same stages the CLI runs. Functions throw `BriefgenError`
 * (with `code`, `exitCode` and a file/line `location`) instead of printing or exiting.
 */
export { build } from './build/build.js';
export { validate, type ValidateOptions } from './build/validate.js';
export { renderMarkdownFiles } from './build/render-files.js';
export { listInputs, type Listing } from './build/list.js';
export { loadInputs } from './build/inputs.js';
export { planDecks } from './build/plan.js';
export { createDeckMaker, type DeckMaker } from './build/deck.js';
export { allFormats } from './build/types.js';
export type { BuildOptions, BuildDependencies, BuildResult, Deck, DeckJob, DeckResult, ExportedDeck, Format, Inputs } from './build/types.js';
export { resolveBuildOptions, type BuildFlags } from './config.js';
export { BriefgenError, ErrorCode, ExitCode, formatError, isBriefgenError } from './errors.js';
export type { SourceLocation } from './errors.js';
export type { Logger } from './log.js';
export { briefingSchema, type Briefing, type BriefingInput } from './schema.js';
export { briefingJsonSchema } from './json-schema.js';
export type { LoadedReport } from './data/load-reports.js';
export type { TemplateSet, AudienceProfile } from './templates/load-template-set.js';
export type { RenderedDeck } from './render/render-deck.js';
export { createBrowserSession, type BrowserSession, type BrowserSessionOptions } from './browser/session.js';
export type { BuildWarning } from './warnings.js';
export type { Manifest } from './output/manifest.js';
export { version } from './version.js';
