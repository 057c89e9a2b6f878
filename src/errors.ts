import { isAbsolute, relative } from 'node:path';

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
  render: 'E_RENDER',
  export: 'E_EXPORT',
  write: 'E_WRITE',
  port: 'E_PORT',
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
  E_BROWSER_MISSING: ExitCode.failure,
  E_RENDER: ExitCode.failure,
  E_EXPORT: ExitCode.failure,
  E_WRITE: ExitCode.failure,
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

/** `file:line:column` followed by the message, the data path, the offending line and the hint. */
export function formatError(error: BriefgenError, cwd?: string): string {
  const loc = error.location && cwd ? { ...error.location, file: displayPath(error.location.file, cwd) } : error.location;
  const lines: string[] = [];
  const where = loc
    ? [loc.file, loc.line, loc.line !== undefined ? loc.column : undefined]
        .filter((part) => part !== undefined)
        .join(':')
    : undefined;
  lines.push(`${where ? `${where}: ` : ''}${error.message}`);
  if (loc?.dataPath) lines.push(`  at data path: ${loc.dataPath}`);
  if (loc?.excerpt !== undefined && loc.line !== undefined) {
    lines.push(`  ${loc.line} | ${loc.excerpt}`);
    if (loc.column !== undefined) {
      lines.push(`  ${' '.repeat(String(loc.line).length)} | ${' '.repeat(Math.max(0, loc.column - 1))}^`);
    }
  }
  if (error.hint) lines.push(`  hint: ${error.hint}`);
  return lines.join('\n');
}

/** A path as the user would type it: relative when it lies under `cwd`. */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
