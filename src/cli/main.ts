import { resolve } from 'node:path';
import yargs from 'yargs';
import { build } from '../build/build.js';
import { listInputs } from '../build/list.js';
import { mergeManifestFiles } from '../build/merge.js';
import { renderMarkdownFiles } from '../build/render-files.js';
import { loadRenderSettings } from '../build/render-settings.js';
import { describeCoverage } from '../build/coverage.js';
import type { BuildResult, DeckResult } from '../build/types.js';
import type { Logger } from '../log.js';
import { validate } from '../build/validate.js';
import { limitsFromFlags, parseFormats, parseSelection, resolveBuildOptions, type BuildFlags } from '../config.js';
import { ejectTemplates, initReport } from '../build/scaffold.js';
import { loadConfigFile } from '../config-file.js';
import { BriefgenError, displayPath, ErrorCode, ExitCode, formatError, isBriefgenError } from '../errors.js';
import { commandNames, optionsOf, type CommandName } from '../option-table.js';
import { describeOrigin, resolveSettings, type Settings } from '../settings.js';
import { printable } from '../util/printable.js';
import { version } from '../version.js';
import { formatWarning, type BuildWarning } from '../warnings.js';
import { runDev, type DevFlags } from './dev-command.js';
import { declareConfigOption, declareOptions } from './declare-options.js';
import { createLogger, jsonLine, withInterrupt, type CliIo } from './io.js';
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

/** Before flags are parsed: would this run print JSON? (`--json` on the line, or `BRIEFGEN_JSON`.) */
function jsonRequested(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const flag = argv.filter((a) => a === '--json' || a === '--no-json' || a.startsWith('--json=')).at(-1);
  if (flag !== undefined) return flag === '--json' || flag === '--json=true';
  return /^(1|true|yes|on)$/i.test(env.BRIEFGEN_JSON ?? '');
}

/** The command a command line names (for the JSON of an error found while parsing it). */
const commandOf = (argv: readonly string[]): CommandName => (commandNames as readonly string[]).find((c) => argv.includes(c)) as CommandName | undefined ?? 'build';

/** Settings of one command: the config file (found or named), then the one precedence of `src/settings.ts`. */
async function settingsFor(command: CommandName, argv: Record<string, unknown>, io: CliIo): Promise<Settings> {
  const named = (argv.config as string | undefined) ?? (io.env.BRIEFGEN_CONFIG || undefined);
  const file = await loadConfigFile(io.cwd, named);
  const settings = resolveSettings({ command, flags: argv, env: io.env, cwd: io.cwd, ...(file ? { file } : {}) });
  // DEBUG=briefgen:config: each value not left at its default, and which source set it.
  const logger = createLogger(io, false, io.stderr, jsonRequested([], io.env) || argv.json === true);
  for (const [key, origin] of Object.entries(settings.origins)) {
    if (origin.source !== 'default') logger.debug('config', `${key} = ${JSON.stringify(settings.values[key])} from ${describeOrigin(origin, (f) => displayPath(f, io.cwd))}`);
  }
  return settings;
}

/**
 * The command line. Returns the exit code; never calls process.exit, so it can run in tests and
 * inside other programs.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let handled = false;
  const out = { json: jsonRequested(argv, io.env), command: commandOf(argv) };
  const run =
    (command: CommandName, task: (flags: GlobalFlags, settings: Settings, argv: Record<string, unknown>) => Promise<number>) =>
    async (parsed: Record<string, unknown>) => {
      handled = true;
      out.command = command;
      exitCode = await guarded(io, out, async () => {
        const settings = await settingsFor(command, parsed, io);
        out.json = settings.values.json === true;
        return task(settings.values as GlobalFlags, settings, parsed);
      });
    };

  const parser = yargs()
    .scriptName('briefgen')
    .version(version)
    .alias('version', 'v')
    .help()
    .alias('help', 'h')
    .strict()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .command(['build', '$0'], 'Build decks from report data (the default command)', (y) => declareConfigOption(declareOptions(y, 'build')), run('build', (f) => runBuild(f, io)))
    .command(
      'validate',
      'Check data, audience profiles and templates, and measure every slide for overflow in the browser (writes nothing)',
      (y) => declareConfigOption(declareOptions(y, 'validate')),
      run('validate', (f) => runValidate(f, io)),
    )
    .command('list', 'List the audiences, languages, themes and reports available', (y) => declareConfigOption(declareOptions(y, 'list')), run('list', (f) => runList(f, io)))
    .command(
      'render <files..>',
      'Export plain Marp Markdown files (no data) as PDF, PNG, PPTX and HTML',
      (y) => declareConfigOption(declareOptions(y.positional('files', { type: 'string', array: true, describe: 'Marp Markdown files' }), 'render')),
      run('render', (f, _s, a) => runRender(a.files as string[], f, io)),
    )
    .command(
      'merge-manifests <files..>',
      'Merge the manifest.json files of several runs (e.g. CI shards) into one',
      (y) =>
        declareConfigOption(declareOptions(y, 'merge-manifests'))
          .positional('files', { type: 'string', array: true, describe: 'manifest.json files' })
          .option('output', { alias: 'o', type: 'string', describe: 'Write the merged manifest here', defaultDescription: 'standard output' }),
      run('merge-manifests', (f, _s, a) => runMergeManifests(a.files as string[], lastOf(a.output), f, io)),
    )
    .command('dev', 'Live preview that rebuilds the deck on every edit of data, templates and themes', (y) => declareConfigOption(declareOptions(y, 'dev')), run('dev', (f) => runDev(f as DevFlags, io, createLogger(io, Boolean(f.quiet)))))
    .command(
      'init [folder]',
      'Start a new report: content/<id>/<lang>.yaml with one section of each kind, ready to build',
      (y) => declareOptions(y.positional('folder', { type: 'string', describe: 'Folder of the new report (created if missing); its name becomes the report id', default: '.' }), 'init'),
      run('init', (f, _s, a) => runInit(String(a.folder ?? '.'), f, io)),
    )
    .command(
      'eject <what> [folder]',
      'Copy the shipped templates into your project, to change them; builds there use your copy',
      (y) =>
        declareOptions(
          y
            .positional('what', { type: 'string', choices: ['templates'], describe: 'What to copy: templates (audiences, deck templates, partials, themes, labels)' })
            .positional('folder', { type: 'string', describe: 'Where to put the copy', default: 'templates' }),
          'eject',
        ),
      run('eject', (f, _s, a) => runEject(String(a.folder ?? 'templates'), f, io)),
    )
    .command('config', 'Show the options a run would use, and where each one comes from (flag, BRIEFGEN_* variable, config file, default)', (y) => declareConfigOption(declareOptions(y, 'config')), run('config', (_f, s) => runConfig(s, io)))
    .example('briefgen --audience exec', 'Executive deck of the default report, every language')
    .example('briefgen -a all --lang en -f pdf', 'PDFs of every audience in English')
    .example('briefgen validate --data my-report.yaml', 'Check a data file and measure its slides, no PDF')
    .example('briefgen render talk.md', 'Export an existing Marp deck')
    .example('briefgen dev --audience exec --lang en', 'Live preview on http://127.0.0.1:4173/')
    .example('briefgen init my-report --lang en,zh', 'A new report in English and Chinese, ready for briefgen validate --strict')
    .example('briefgen eject templates', 'Your own copy of the templates, in templates/')
    .example('briefgen config', 'The options in effect here, and where each one was set')
    .epilogue(
      'Every option can also be set as a BRIEFGEN_<OPTION> variable (BRIEFGEN_OUT, BRIEFGEN_MAX_LIST_ITEMS) or in a config file (briefgen.config.{js,mjs,json,yaml}, .briefgenrc*, or "briefgen" in package.json); a flag wins over the variable, the variable over the file.\n\nExit codes: 0 success, 1 render/export failure or --strict warning, 2 bad usage or input, 130 interrupted.',
    )
    .fail((message, error) => {
      throw error ?? new BriefgenError(ErrorCode.usage, message);
    });

  try {
    // With a callback, yargs hands over what --help and --version print instead of writing to the
    // console itself, so it goes through io like everything else.
    let shown = '';
    await parser.parseAsync(spellDataValues(argv), {}, (_error, _argv, output) => {
      shown = output;
    });
    if (!handled && shown) io.stdout(`${shown}\n`);
  } catch (error) {
    const known = isBriefgenError(error) ? error : new BriefgenError(ErrorCode.usage, (error as Error).message);
    printError(io, out, known, '\n\nRun briefgen --help for usage.');
    return known.exitCode;
  }
  // --help and --version print and run no command.
  return handled ? exitCode : ExitCode.ok;
}

const lastOf = (value: unknown): string | undefined => (Array.isArray(value) ? (value.at(-1) as string | undefined) : (value as string | undefined));

/** An error, printed once: plain on stderr; under --json, the error object on stdout and one JSON line on stderr. */
function printError(io: CliIo, out: { json: boolean; command: CommandName }, error: BriefgenError, tail = ''): void {
  if (!out.json) {
    io.stderr(`briefgen: ${formatError(error, io.cwd)}${tail}\n`);
    return;
  }
  const body = errorBody(error, io.cwd);
  io.stdout(`${JSON.stringify({ command: out.command, ok: false, error: body }, null, 2)}\n`);
  io.stderr(jsonLine({ event: 'error', ...body }));
}

/** The one place errors are printed: known ones briefly, anything else as a bug with its stack. */
async function guarded(io: CliIo, out: { json: boolean; command: CommandName }, task: () => Promise<number>): Promise<number> {
  try {
    return await task();
  } catch (error) {
    if (isBriefgenError(error)) {
      printError(io, out, error);
      return error.exitCode;
    }
    if ((error as Error)?.name === 'AbortError') {
      printError(io, out, new BriefgenError(ErrorCode.interrupted, 'interrupted; the browser is closed and no partial file was written'));
      return ExitCode.interrupted;
    }
    const bug = new BriefgenError(ErrorCode.internal, `internal error (a bug; please report it):\n${printable((error as Error)?.stack ?? String(error))}`);
    printError(io, out, bug);
    return ExitCode.failure;
  }
}

/** `{code, exitCode, message, location?, hint?}`: the `error` of every command's JSON. */
function errorBody(error: BriefgenError, cwd: string): Record<string, unknown> {
  const location = error.location ? { ...error.location, file: displayPath(error.location.file, cwd) } : undefined;
  return { code: error.code, exitCode: error.exitCode, message: error.message, ...(location ? { location } : {}), ...(error.hint ? { hint: error.hint } : {}) };
}

/** The logger of a command: JSON lines on stderr under --json, else plain text. */
const loggerOf = (flags: GlobalFlags, io: CliIo, write?: (text: string) => void): Logger => createLogger(io, Boolean(flags.quiet), write ?? io.stderr, Boolean(flags.json));

/** Under --strict, any warning fails the run; the warnings were printed as they came, so only count them. */
function strictFailure(warnings: readonly BuildWarning[], flags: GlobalFlags, io: CliIo): number {
  if (!flags.strict || warnings.length === 0) return ExitCode.ok;
  // Under --json the summary's `ok: false` says it; stderr carries only JSON lines.
  if (!flags.json) io.stderr(`briefgen: --strict: ${warnings.length} warning(s), see above\n`);
  return ExitCode.failure;
}

/** build and render: the decks written, every warning, what was left out, the manifest. */
function finish(command: 'build' | 'render', result: BuildResult, flags: GlobalFlags, io: CliIo): number {
  if (flags.json) {
    const ok = !(flags.strict && result.warnings.length > 0);
    io.stdout(`${JSON.stringify({ command, ok, decks: result.decks, warnings: result.warnings, coverage: result.coverage, skipped: result.skipped, manifest: result.manifestPath }, null, 2)}\n`);
  }
  return strictFailure(result.warnings, flags, io);
}

async function runBuild(flags: GlobalFlags, io: CliIo): Promise<number> {
  const options = resolveBuildOptions(flags, io.cwd, io.env);
  const mode = progressMode({ json: flags.json, quiet: flags.quiet, isTTY: io.stderrIsTTY, env: io.env });
  const progress = createProgressReporter(mode, io.stderr, { columns: io.columns });
  const logger = loggerOf(flags, io, (text) => progress.print(text));
  const startedAt = performance.now();
  let result: BuildResult;
  try {
    result = await withInterrupt(io, (signal) => build({ ...options, fit: { auto: flags.fit !== false } }, { logger, readStdin: io.readStdin, signal, onProgress: (event) => progress.update(event) }));
  } finally {
    progress.finish();
  }
  if (!flags.json) {
    const cached = result.decks.filter((d) => d.cached).length;
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    logger.info(`${result.decks.length} deck(s), ${result.decks.reduce((n, d) => n + d.slides, 0)} slides${cached ? `, ${cached} from the build cache` : ''} in ${seconds} s; manifest: ${result.manifestPath}`);
    reportRun(result, logger);
  }
  return finish('build', result, flags, io);
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
  const logger = loggerOf(flags, io);
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
  return finish('render', result, flags, io);
}

async function runValidate(flags: GlobalFlags, io: CliIo): Promise<number> {
  const options = resolveBuildOptions(flags, io.cwd, io.env);
  const logger = loggerOf(flags, io);
  const measure = flags.measure !== false;
  const result = await withInterrupt(io, (signal) => validate({ ...options, fit: { auto: flags.fit !== false }, measure }, { logger, readStdin: io.readStdin, signal }));
  const overBudget = (d: DeckResult) => d.maxSlides !== undefined && d.slides > d.maxSlides;
  const warnings = result.decks.flatMap((d) => d.warnings);
  for (const deck of result.decks) {
    for (const w of deck.warnings) logger.warn(formatWarning(w));
    if (flags.json) continue;
    const fitted = deck.fit && deck.fit.fitted.length > 0 ? `, ${deck.fit.fitted.length} fitted` : '';
    const split = deck.fit && deck.fit.splits.length > 0 ? `, ${deck.fit.splits.map((s) => `${s.list} ${s.per} per slide`).join(', ')}` : '';
    logger.info(`${deck.warnings.length === 0 ? 'ok ' : ''}${deck.key}: ${deck.slides} slides${fitted}${split}${deck.warnings.length > 0 ? `, ${deck.warnings.length} warning(s)` : ''}`);
  }
  if (flags.json) {
    const ok = !(flags.strict && warnings.length > 0);
    // One shape whether or not the browser measured: `fit` is null when it did not.
    const decks = result.decks.map((d) => ({ key: d.key, slides: d.slides, maxSlides: d.maxSlides ?? null, overBudget: overBudget(d), fit: d.fit ?? null, warnings: d.warnings }));
    io.stdout(`${JSON.stringify({ command: 'validate', ok, measured: measure, decks, warnings, coverage: result.coverage, skipped: result.skipped }, null, 2)}\n`);
    return strictFailure(warnings, flags, io);
  }
  reportRun(result, logger);
  return strictFailure(warnings, flags, io);
}

/** init and eject: the folder and the files written in it. */
function reportScaffold(command: 'init' | 'eject', made: { folder: string; files: string[] }, flags: GlobalFlags, io: CliIo, next: string): number {
  const shown = displayPath(made.folder, io.cwd) || '.';
  const folder = flags.json || !/\s/.test(shown) ? shown : `"${shown}"`;
  if (flags.json) {
    io.stdout(`${JSON.stringify({ command, ok: true, folder, files: made.files }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const logger = loggerOf(flags, io);
  for (const file of made.files.length > 12 ? [...made.files.slice(0, 10), `… and ${made.files.length - 10} more`] : made.files) logger.info(`  wrote ${file}`);
  logger.info(next.replace('{folder}', folder));
  return ExitCode.ok;
}

async function runInit(folder: string, flags: GlobalFlags, io: CliIo): Promise<number> {
  const made = await initReport({ folder: resolve(io.cwd, folder), languages: parseSelection(flags.lang) });
  return reportScaffold('init', made, flags, io, 'next: cd {folder} && npx briefgen validate --strict, then npx briefgen dev to edit with a live preview');
}

async function runEject(folder: string, flags: GlobalFlags, io: CliIo): Promise<number> {
  const made = await ejectTemplates({ folder: resolve(io.cwd, folder) });
  return reportScaffold('eject', made, flags, io, `${made.files.length} files in {folder}; builds in this folder now use them (or pass --templates {folder})`);
}

/** `briefgen config`: every option of the table, its value and where it came from. */
async function runConfig(settings: Settings, io: CliIo): Promise<number> {
  const json = settings.values.json === true;
  const rows = optionsOf('config').map((spec) => ({ key: spec.key, value: settings.values[spec.key] ?? null, origin: settings.origins[spec.key]! }));
  if (json) {
    const options = Object.fromEntries(rows.map((r) => [r.key, { value: r.value, source: r.origin.source, ...(r.origin.source === 'default' ? {} : { from: describeOrigin(r.origin, (f) => displayPath(f, io.cwd)) }) }]));
    io.stdout(`${JSON.stringify({ command: 'config', ok: true, configFile: settings.configFile ? displayPath(settings.configFile, io.cwd) : null, options }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const shown = (v: unknown) => (v === null ? '(unset)' : Array.isArray(v) ? v.join(', ') : String(v));
  const width = Math.max(...rows.map((r) => r.key.length));
  const valueWidth = Math.min(40, Math.max(...rows.map((r) => shown(r.value).length)));
  const lines = [`config file: ${settings.configFile ? displayPath(settings.configFile, io.cwd) : 'none found'}`, ''];
  for (const r of rows) lines.push(`${r.key.padEnd(width)}  ${shown(r.value).padEnd(valueWidth)}  ${describeOrigin(r.origin, (f) => displayPath(f, io.cwd))}`);
  io.stdout(`${printable(lines.join('\n'))}\n`);
  return ExitCode.ok;
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
    io.stdout(`${JSON.stringify({ command: 'list', ok: true, ...listing }, null, 2)}\n`);
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
