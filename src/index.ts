/**
 * briefgen's programmatic API: the same pipeline the CLI runs. Functions throw `BriefgenError`
 * (with `code`, `exitCode` and a file/line `location`) instead of printing or exiting.
 */
export { build, prepare, measureDecks, renderMarkdownFiles, allFormats } from './pipeline.js';
export type { BuildOptions, BuildDependencies, BuildResult, DeckResult, Format } from './pipeline.js';
export { resolveBuildOptions, type BuildFlags } from './config.js';
export { BriefgenError, ErrorCode, ExitCode, formatError, isBriefgenError } from './errors.js';
export type { SourceLocation } from './errors.js';
export type { Logger } from './log.js';
export { briefingSchema, type Briefing, type BriefingInput } from './schema.js';
export { briefingJsonSchema } from './json-schema.js';
export { loadReports, type LoadedReport } from './data/load-reports.js';
export { loadTemplateSet, type TemplateSet, type AudienceProfile } from './templates/load-template-set.js';
export { createComposer, type Composer } from './compose/compose-deck.js';
export { createRenderer, type Renderer, type RenderedDeck } from './render.js';
export { createBrowserSession, type BrowserSession, type BrowserSessionOptions } from './browser/session.js';
export { exportDeck, type ExportRequest, type ExportResult } from './browser/export-deck.js';
export type { BuildWarning } from './warnings.js';
export type { Manifest } from './manifest.js';
export { version } from './version.js';
