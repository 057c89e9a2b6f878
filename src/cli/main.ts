import { resolve } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { build } from '../build/build.js';
import { listInputs } from '../build/list.js';
import { mergeManifestFiles } from '../build/merge.js';
import { renderMarkdownFiles } from '../build/render-files.js';
import { loadRenderSettings } from '../build/render-settings.js';
import { describeCoverage } from '../build/coverage.js';
import type { BuildResult, DeckResult } from '../build/types.js';
import type { Logger } from '../log.js';
import { validate } from '../build/validate.js';
import { limitsFromFlags, parseFormats, resolveBuildOptions, type BuildFlags } from '../config.js';
import { BriefgenError, ErrorCode, ExitCode, formatError, isBriefgenError } from '../errors.js';
import { printable } from '../util/printable.js';
import { version } from '../version.js';
import { formatWarning, type BuildWarning } from '../warnings.js';
import { devOptions, runDev, type DevFlags } from './dev-command.js';
import { limitOptions } from './limit-options.js';
import { createLogger, withInterrupt, type CliIo } from './io.js';
import { createProgressReporter, progressMode } from './progress.js';

export type { CliIo };

interface GlobalFlags extends BuildFlags {
  strict?: boolean;
  json?: boolean;
  quiet?: boolean;
  /** `--no-fit`: measure and report overflow, change nothing. */
  fit?: boolean;
  /** `validate --no-measure`: skip the browser. */
  measure?: boolean;
}

const fitOption = {
  type: 'boolean',
  default: true,
  describe: "Shrink overflowing slides down to the audience's floor and re-split long lists (--no-fit: only report overflow)",
} as const;

function buildOptions(y: Argv): Argv<GlobalFlags> {
  return limitOptions(y)
    .option('audience', { alias: 'a', type: 'string', describe: 'Audience name, a comma list, or all (default: the audiences marked default in their profile)' })
    .option('data', { alias: 'd', type: 'string', array: true, describe: 'YAML/JSON report file or folder (- for stdin); default: content/' })
    .option('templates', { alias: 't', type: 'string', describe: 'Templates folder; default: templates/' })
    .option('out', { alias: 'o', type: 'string', describe: 'Output folder', default: 'out' })
    .option('format', { alias: 'f', type: 'string', describe: 'Comma list of pdf,png,pptx,html,md', default: 'pdf,png,pptx,html,md' })
    .option('lang', { alias: 'l', type: 'string', describe: 'Language code(s) of the data, comma list, or all', default: 'all' })
    .option('concurrency', { alias: 'j', type: 'number', describe: 'Browser pages working at once (default: up to 4, by CPU count)' })
    .option('browser-ws', { type: 'string', describe: 'Connect to a running browser at this WebSocket URL (or BRIEFGEN_BROWSER_WS)' }) as unknown as Argv<GlobalFlags>;
}

/** Flags of the build command only: sharding and the build cache. */
function buildRunOptions(y: Argv): Argv<GlobalFlags> {
  return buildOptions(y)
    .option('shard', { type: 'string', describe: 'Build only part K of N of the decks, e.g. 2/3 (for CI matrices)' })
    .option('cache', { type: 'boolean', default: true, describe: 'Reuse PDFs and PNGs of unchanged decks from the build cache (--no-cache: off)' })
    .option('cache-dir', { type: 'string', describe: 'Build cache folder (default: .briefgen-cache)' })
    .option('force', { type: 'boolean', default: false, describe: 'Rebuild every deck, ignoring the build cache (it is still refreshed)' })
    .option('fit', fitOption) as unknown as Argv<GlobalFlags>;
}

/**
 * `--data a -` → `--data=a --data=-`. yargs ends an array option's values at the first argument
 * that starts with a dash, so a bare `-` (standard input) after `--data` or `-d` would become an
 * unknown positional argument; spelled with `=` it is an ordinary value.
 */
export function spellDataValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg !== '--data' && arg !== '-d') {
      out.push(arg);
      continue;
    }
    let values = 0;
    while (i + 1 < argv.length && (argv[i + 1] === '-' || !argv[i + 1]!.startsWith('-'))) {
      out.push(`--data=${argv[(i += 1)]}`);
      values += 1;
    }
    if (values === 0) out.push(arg);
  }
  return out;
}

/**
 * The command line. Returns the exit code; never calls process.exit, so it can run in tests and
 * inside other programs.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let handled = false;
  const run = async (task: (flags: GlobalFlags) => Promise<number>, flags: GlobalFlags) => {
    handled = true;
    exitCode = await guarded(io, flags, task);
  };

  const parser = yargs(spellDataValues(argv))
    .scriptName('briefgen')
    .version(version)
    .strict()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .option('strict', { type: 'boolean', describe: 'Exit 1 on any warning (overflow, slide budget, blocked request)', default: false })
    .option('json', { type: 'boolean', describe: 'Print a machine-readable summary on stdout', default: false })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'Print only warnings and errors', default: false })
    .command(['build', '$0'], 'Build decks from report data (the default command)', buildRunOptions, (flags) => run((f) => runBuild(f, io), flags as GlobalFlags))
    .command(
      'validate',
      'Check data, audience profiles and templates, and measure every slide for overflow in the browser (no PDF)',
      (y) =>
        buildOptions(y)
          .option('measure', { type: 'boolean', default: true, describe: 'Measure slides for overflow in the browser (--no-measure: data and templates only, no browser)' })
          .option('fit', fitOption),
      (flags) => run((f) => runValidate(f, io), flags as GlobalFlags),
    )
    .command('list', 'List the audiences, languages and themes available', (y) => limitOptions(y.option('data', { alias: 'd', type: 'string', array: true }).option('templates', { alias: 't', type: 'string' })), (flags) =>
      run((f) => runList(f, io), flags as GlobalFlags),
    )
    .command(
      'render <files..>',
      'Export plain Marp Markdown files (no data) as PDF, PNG, PPTX and HTML',
      (y) =>
        limitOptions(y)
          .positional('files', { type: 'string', array: true, describe: 'Marp Markdown files' })
          .option('out', { alias: 'o', type: 'string', default: 'out' })
          .option('format', { alias: 'f', type: 'string', default: 'pdf,png,pptx,html' })
          .option('templates', { alias: 't', type: 'string', describe: 'Templates folder whose themes to register' })
          .option('theme', { type: 'string', describe: 'Theme of decks that name none: a theme name or a CSS file (as Marp CLI)' })
          .option('theme-set', { type: 'string', array: true, describe: 'Theme CSS files, or folders of them, to register (as Marp CLI)' })
          .option('html', { type: 'boolean', describe: 'Allow any HTML in the decks (--no-html: none); default: marp-core\'s allowlist' })
          .option('allow-local-files', { type: 'boolean', describe: 'Let decks load local files from anywhere, not only their own and the working folder' })
          .option('config-file', { alias: 'config', type: 'string', describe: 'Marp config file (default: .marprc*, marp.config.* or package.json "marp" in the working folder; --no-config-file: none)' })
          .option('notes', { type: 'boolean', describe: "Also write each deck's speaker notes as <name>.txt" })
          .option('browser-ws', { type: 'string' })
          .option('fit', { type: 'boolean', default: false, describe: 'Shrink slides whose content overflows (default: measure and warn, change nothing)' }),
      (flags) => run((f) => runRender((flags as unknown as { files: string[] }).files, f as RenderCliFlags, io), flags as GlobalFlags),
    )
    .command(
      'merge-manifests <files..>',
      'Merge the manifest.json files of several runs (e.g. CI shards) into one',
      (y) =>
        limitOptions(y)
          .positional('files', { type: 'string', array: true, describe: 'manifest.json files' })
          .option('output', { alias: 'o', type: 'string', describe: 'Write the merged manifest here (default: standard output)' }),
      (flags) => run((f) => runMergeManifests((flags as unknown as { files: string[] }).files, (flags as unknown as { output?: string }).output, f, io), flags as GlobalFlags),
    )
    .command('dev', 'Live preview that rebuilds the deck on every edit of data, templates and themes', (y) => devOptions(y), (flags) =>
      run((f) => runDev(f as DevFlags, io, createLogger(io, Boolean(f.quiet))), flags as GlobalFlags),
    )
    .example('briefgen --audience exec', 'Executive deck of the default report, every language')
    .example('briefgen -a all --lang en -f pdf', 'PDFs of every audience in English')
    .example('briefgen validate --data my-report.yaml', 'Check a data file and measure its slides, no PDF')
    .example('briefgen render talk.md', 'Export an existing Marp deck')
    .example('briefgen dev --audience exec --lang en', 'Live preview on http://127.0.0.1:4173/')
    .epilogue('Exit codes: 0 success, 1 render/export failure or --strict warning, 2 bad usage or input, 130 interrupted.')
    .fail((message, error) => {
      throw error ?? new BriefgenError(ErrorCode.usage, message);
    });

  try {
    await parser.parseAsync();
  } catch (error) {
    if (isBriefgenError(error)) {
      io.stderr(`briefgen: ${formatError(error, io.cwd)}\n\nRun briefgen --help for usage.\n`);
      return error.exitCode;
    }
    io.stderr(`briefgen: ${printable((error as Error).message)}\n`);
    return ExitCode.badInput;
  }
  // --help and --version print and run no command.
  return handled ? exitCode : ExitCode.ok;
}

/** The one place errors are printed: known ones briefly, anything else as a bug with its stack. */
async function guarded(io: CliIo, flags: GlobalFlags, task: (flags: GlobalFlags) => Promise<number>): Promise<number> {
  try {
    return await task(flags);
  } catch (error) {
    if (isBriefgenError(error)) {
      if (flags.json) io.stdout(`${JSON.stringify({ ok: false, error: { code: error.code, message: error.message, location: error.location, hint: error.hint } }, null, 2)}\n`);
      io.stderr(`briefgen: ${formatError(error, io.cwd)}\n`);
      return error.exitCode;
    }
    if ((error as Error)?.name === 'AbortError') {
      io.stderr('briefgen: interrupted; the browser is closed and no partial file was written\n');
      return ExitCode.interrupted;
    }
    io.stderr(`briefgen: internal error (a bug; please report it):\n${printable((error as Error)?.stack ?? String(error))}\n`);
    return ExitCode.failure;
  }
}

function finish(result: BuildResult, flags: GlobalFlags, io: CliIo): number {
  if (flags.json) {
    io.stdout(`${JSON.stringify({ ok: !(flags.strict && result.warnings.length > 0), decks: result.decks, warnings: result.warnings, coverage: result.coverage, skipped: result.skipped, manifest: result.manifestPath }, null, 2)}\n`);
  }
  return strictFailure(result.warnings, flags, io);
}

/** Under --strict, any warning fails the run; the warnings were printed as they came, so only count them. */
function strictFailure(warnings: readonly BuildWarning[], flags: GlobalFlags, io: CliIo): number {
  if (!flags.strict || warnings.length === 0) return ExitCode.ok;
  io.stderr(`briefgen: --strict: ${warnings.length} warning(s), see above\n`);
  return ExitCode.failure;
}

async function runBuild(flags: GlobalFlags, io: CliIo): Promise<number> {
  const options = resolveBuildOptions(flags, io.cwd, io.env);
  const mode = progressMode({ json: flags.json, quiet: flags.quiet, isTTY: io.stderrIsTTY, env: io.env });
  const progress = createProgressReporter(mode, io.stderr, { columns: io.columns });
  const logger = createLogger(io, Boolean(flags.quiet), (text) => progress.print(text));
  const startedAt = performance.now();
  let result: BuildResult;
  try {
    result = await withInterrupt(io, (signal) => build({ ...options, fit: { auto: flags.fit !== false } }, { logger, readStdin: io.readStdin, signal, onProgress: (event) => progress.update(event) }));
  } finally {
    progress.finish();
  }
  const cached = result.decks.filter((d) => d.cached).length;
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  logger.info(`${result.decks.length} deck(s), ${result.decks.reduce((n, d) => n + d.slides, 0)} slides${cached ? `, ${cached} from the build cache` : ''} in ${seconds} s; manifest: ${result.manifestPath}`);
  if (!flags.json) reportRun(result, logger);
  return finish(result, flags, io);
}

async function runMergeManifests(files: string[], output: string | undefined, flags: GlobalFlags, io: CliIo): Promise<number> {
  const { manifest, json } = await mergeManifestFiles(files, { cwd: io.cwd, limits: limitsFromFlags(flags), ...(output ? { output } : {}) });
  if (output) {
    if (!flags.quiet) io.stderr(`merged ${files.length} manifest(s): ${manifest.decks.length} deck(s) → ${output}\n`);
  } else {
    io.stdout(json);
  }
  return ExitCode.ok;
}

/** The flags only `render` has: Marp CLI's names and meanings. */
type RenderCliFlags = GlobalFlags & { theme?: string; themeSet?: string[]; html?: boolean; allowLocalFiles?: boolean; configFile?: string | false; notes?: boolean };

async function runRender(files: string[], flags: RenderCliFlags, io: CliIo): Promise<number> {
  const logger = createLogger(io, Boolean(flags.quiet));
  const base = resolveBuildOptions({ ...flags, audience: undefined }, io.cwd, io.env);
  const { settings: marp, configFile, warnings } = await loadRenderSettings(
    { theme: flags.theme, themeSet: flags.themeSet, html: flags.html, allowLocalFiles: flags.allowLocalFiles, ...(flags.configFile !== undefined ? { configFile: flags.configFile } : {}) },
    io.cwd,
  );
  if (configFile) logger.debug('config', `Marp config: ${configFile}`);
  const result = await withInterrupt(io, (signal) =>
    renderMarkdownFiles(
      files.map((f) => resolve(io.cwd, f)),
      {
        outDir: base.outDir,
        formats: parseFormats(flags.format),
        projectRoot: io.cwd,
        browser: base.browser,
        templatesDir: base.templatesDir,
        templatesGiven: flags.templates !== undefined,
        fit: { auto: flags.fit === true },
        sourceDateEpoch: base.sourceDateEpoch,
        limits: base.limits,
        marp,
        ...(flags.notes ? { notes: true } : {}),
        warnings,
      },
      { logger, signal },
    ),
  );
  return finish(result, flags, io);
}

async function runValidate(flags: GlobalFlags, io: CliIo): Promise<number> {
  const options = resolveBuildOptions(flags, io.cwd, io.env);
  const logger = createLogger(io, Boolean(flags.quiet));
  const measure = flags.measure !== false;
  const result = await withInterrupt(io, (signal) => validate({ ...options, fit: { auto: flags.fit !== false }, measure }, { logger, readStdin: io.readStdin, signal }));
  const overBudget = (d: DeckResult) => d.maxSlides !== undefined && d.slides > d.maxSlides;
  const warnings = result.decks.flatMap((d) => d.warnings);
  if (flags.json) {
    const ok = !(flags.strict && warnings.length > 0);
    const decks = result.decks.map((d) => ({ key: d.key, slides: d.slides, maxSlides: d.maxSlides, overBudget: overBudget(d), ...(d.fit ? { fit: d.fit } : {}), warnings: d.warnings }));
    io.stdout(`${JSON.stringify({ ok, measured: measure, decks, warnings, coverage: result.coverage, skipped: result.skipped }, null, 2)}\n`);
  }
  for (const deck of result.decks) {
    for (const w of deck.warnings) logger.warn(formatWarning(w));
    const fitted = deck.fit && deck.fit.fitted.length > 0 ? `, ${deck.fit.fitted.length} fitted` : '';
    const split = deck.fit && deck.fit.splits.length > 0 ? `, ${deck.fit.splits.map((s) => `${s.list} ${s.per} per slide`).join(', ')}` : '';
    if (!flags.json) logger.info(`${deck.warnings.length === 0 ? 'ok ' : ''}${deck.key}: ${deck.slides} slides${fitted}${split}${deck.warnings.length > 0 ? `, ${deck.warnings.length} warning(s)` : ''}`);
  }
  if (!flags.json) reportRun(result, logger);
  return strictFailure(warnings, flags, io);
}

/** What a run left out: decks skipped (and why), and data no deck shows (and why). */
function reportRun(result: Pick<BuildResult, 'coverage' | 'skipped'>, logger: Logger): void {
  for (const s of result.skipped) logger.info(`skipped ${s.key}: the report has no ${s.missing.map((m) => `"${m}"`).join(', ')}`);
  for (const c of result.coverage) for (const line of describeCoverage(c)) logger.info(line);
}

async function runList(flags: GlobalFlags, io: CliIo): Promise<number> {
  const options = resolveBuildOptions(flags, io.cwd, io.env);
  const listing = await listInputs(options, io.readStdin);
  if (flags.json) {
    io.stdout(`${JSON.stringify(listing, null, 2)}\n`);
    return ExitCode.ok;
  }
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = ['Audiences:'];
  for (const a of listing.audiences) lines.push(`  ${pad(a.name, 10)} ${a.description}${a.maxSlides ? ` (≤ ${a.maxSlides} slides)` : ''}${a.default ? ' [default]' : ''}`);
  lines.push('', 'Languages:', `  ${listing.languages.join(', ')}`, '', 'Themes:');
  for (const t of listing.themes) lines.push(`  ${pad(t.name, 10)} ${t.description}`);
  lines.push('', 'Reports:');
  for (const r of listing.reports) lines.push(`  ${pad(r.id, 18)} ${r.title} [${r.languages.join(', ')}]`);
  // Titles and descriptions come from the data and templates: shown, never obeyed by the terminal.
  io.stdout(`${printable(lines.join('\n'))}\n`);
  return ExitCode.ok;
}
