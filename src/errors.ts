import { isAbsolute, relative } from 'node:path';
import { printable, printableLine } from './util/printable.js';

/** Exit statuses of the CLI; library callers see the same numbers on `BriefgenError.exitCode`. */
export const ExitCode = {
  ok: 0,
  /** A render or export failure, or a warning under `--strict`. */
  failure: 1,
  /** Bad usage or bad input: unknown audience, invalid data, template error. */
  badInput: 2,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM, after cleaning up. */
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Where in a user's file a problem sits. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path into the data, e.g. `sections.trends.items[2].title`. */
  dataPath?: string;
  /** The offending source line, shown under the message when known. */
  excerpt?: string;
}

export const ErrorCode = {
  usage: 'E_USAGE',
  dataParse: 'E_DATA_PARSE',
  dataShape: 'E_DATA_SHAPE',
  unknownAudience: 'E_UNKNOWN_AUDIENCE',
  unknownLanguage: 'E_UNKNOWN_LANGUAGE',
  template: 'E_TEMPLATE',
  profile: 'E_PROFILE',
  theme: 'E_THEME',
  browserMissing: 'E_BROWSER_MISSING',
  /** The run's browser could not start, or is gone (killed, disconnected): no deck can be exported. */
  browser: 'E_BROWSER',
  render: 'E_RENDER',
  export: 'E_EXPORT',
  write: 'E_WRITE',
  port: 'E_PORT',
  /** Input over one of the run's limits (data size, list length, string length, YAML aliases, slides). */
  limit: 'E_LIMIT',
  /** The output folder is taken by another run, or is not a folder. */
  output: 'E_OUTPUT',
  /** Stopped by Ctrl-C or SIGTERM (only ever printed: a run never throws it on purpose). */
  interrupted: 'E_INTERRUPTED',
  /** Not one of briefgen's errors: a bug, printed with its stack. */
  internal: 'E_INTERNAL',
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

const exitCodeOf: Record<ErrorCodeValue, ExitCodeValue> = {
  E_USAGE: ExitCode.badInput,
  E_DATA_PARSE: ExitCode.badInput,
  E_DATA_SHAPE: ExitCode.badInput,
  E_UNKNOWN_AUDIENCE: ExitCode.badInput,
  E_UNKNOWN_LANGUAGE: ExitCode.badInput,
  E_TEMPLATE: ExitCode.badInput,
  E_PROFILE: ExitCode.badInput,
  E_THEME: ExitCode.badInput,
  E_PORT: ExitCode.badInput,
  E_LIMIT: ExitCode.badInput,
  E_OUTPUT: ExitCode.badInput,
  E_BROWSER_MISSING: ExitCode.failure,
  E_BROWSER: ExitCode.failure,
  E_RENDER: ExitCode.failure,
  E_EXPORT: ExitCode.failure,
  E_WRITE: ExitCode.failure,
  E_INTERRUPTED: ExitCode.interrupted,
  E_INTERNAL: ExitCode.failure,
};

/**
 * The one error type briefgen throws on purpose. Anything else reaching the CLI is a bug and is
 * printed with its stack.
 */
export class BriefgenError extends Error {
  override readonly name = 'BriefgenError';
  readonly code: ErrorCodeValue;
  readonly exitCode: ExitCodeValue;
  readonly location?: SourceLocation;
  /** What the user can do about it, printed after the message. */
  readonly hint?: string;

  constructor(
    code: ErrorCodeValue,
    message: string,
    options: { location?: SourceLocation; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = exitCodeOf[code];
    this.location = options.location;
    this.hint = options.hint;
  }
}

export const isBriefgenError = (value: unknown): value is BriefgenError =>
  value instanceof BriefgenError;

/** The most of an offending line an error shows: a minified JSON file is one line of megabytes. */
const excerptWidth = 120;

/**
 * Pure: the excerpt as printed, cut to a window around the column, with control characters from
 * the data escaped; and where the caret goes under it.
 */
function excerptView(excerpt: string, column: number | undefined): { text: string; caret?: number } {
  const chars = Array.from(excerpt);
  const at = column !== undefined ? Math.max(0, Math.min(column - 1, chars.length)) : 0;
  let from = 0;
  if (chars.length > excerptWidth) from = Math.max(0, Math.min(at - excerptWidth / 2, chars.length - excerptWidth));
  const to = Math.min(chars.length, from + excerptWidth);
  const lead = from > 0 ? '…' : '';
  const before = printableLine(chars.slice(from, at).join(''));
  const text = `${lead}${before}${printableLine(chars.slice(at, to).join(''))}${to < chars.length ? '…' : ''}`;
  return column !== undefined ? { text, caret: lead.length + before.length } : { text };
}

/**
 * `file:line:column` followed by the message, the data path, the offending line and the hint.
 * Everything that may come from data is printed with its control characters escaped, so an error
 * can never drive the terminal.
 */
export function formatError(error: BriefgenError, cwd?: string): string {
  const loc = error.location && cwd ? { ...error.location, file: displayPath(error.location.file, cwd) } : error.location;
  const lines: string[] = [];
  const where = loc
    ? [loc.file, loc.line, loc.line !== undefined ? loc.column : undefined]
        .filter((part) => part !== undefined)
        .join(':')
    : undefined;
  lines.push(printable(`${where ? `${where}: ` : ''}${error.message}`));
  if (loc?.dataPath) lines.push(`  at data path: ${printableLine(loc.dataPath)}`);
  if (loc?.excerpt !== undefined && loc.line !== undefined) {
    const view = excerptView(loc.excerpt, loc.column);
    lines.push(`  ${loc.line} | ${view.text}`);
    if (view.caret !== undefined) lines.push(`  ${' '.repeat(String(loc.line).length)} | ${' '.repeat(view.caret)}^`);
  }
  if (error.hint) lines.push(printable(`  hint: ${error.hint}`));
  return lines.join('\n');
}

/** A path as the user would type it: relative when it lies under `cwd`. */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
