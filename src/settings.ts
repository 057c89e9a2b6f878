import { delimiter, resolve } from 'node:path';
import type { ConfigFile } from './config-file.js';
import { BriefgenError, ErrorCode, type SourceLocation } from './errors.js';
import { defaultFor, envName, optionsOf, type CommandName, type OptionSpec } from './option-table.js';

/**
 * The one precedence of every command: a flag, then a `BRIEFGEN_*` variable, then the config file,
 * then the default. Pure: every source is a parameter, so `briefgen config` can show the outcome and
 * tests can state it as a table.
 */

/** Where a resolved value came from. */
export type Origin =
  | { source: 'flag'; flag: string }
  | { source: 'env'; name: string }
  | { source: 'file'; file: string; line?: number }
  | { source: 'default' };

export interface Settings {
  /** By option key: lists as comma strings, paths absolute, counts as numbers, booleans. Unset keys are absent. */
  values: Record<string, unknown>;
  origins: Record<string, Origin>;
  /** The config file that took part, if any. */
  configFile?: string;
}

export interface SettingSources {
  command: CommandName;
  /** As the parser gave them, by option key: absent when not on the command line; arrays when repeated. */
  flags: Readonly<Record<string, unknown>>;
  env: NodeJS.ProcessEnv;
  file?: ConfigFile;
  cwd: string;
}

/** How a source names an option in an error, and where it is. */
interface Place {
  name: string;
  location?: SourceLocation;
  /** Relative paths are taken from here. */
  base: string;
}

const fail = (place: Place, expected: string, value: unknown): never => {
  throw new BriefgenError(ErrorCode.usage, `${place.name} must be ${expected}, not ${JSON.stringify(value)}`, place.location ? { location: place.location } : {});
};

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const last = (value: unknown): unknown => asArray(value).at(-1);

const booleanWords: Record<string, boolean> = { '1': true, true: true, yes: true, on: true, '0': false, false: false, no: false, off: false };

function readCount(spec: OptionSpec, raw: unknown, place: Place): number {
  const min = spec.min ?? 0;
  const expected = spec.max !== undefined ? `a whole number from ${min} to ${spec.max}` : `a whole number of at least ${min}`;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (text === undefined || !/^\d+$/.test(text)) return fail(place, expected, raw);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || (spec.max !== undefined && n > spec.max)) return fail(place, expected, raw);
  return n;
}

function readStrings(raw: unknown, place: Place, what: string): string[] {
  const values = asArray(raw);
  for (const v of values) if (typeof v !== 'string' && typeof v !== 'number') fail(place, what, raw);
  return values.map(String);
}

/** One value of one source, as the option's kind reads it. `env` values are always strings. */
function readValue(spec: OptionSpec, raw: unknown, place: Place, fromEnv: boolean): unknown {
  switch (spec.kind) {
    case 'list': {
      // Repeats accumulate: `-f pdf -f png` is `-f pdf,png`.
      const parts = readStrings(raw, place, 'a comma list or a list of names').flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
      return parts.join(',');
    }
    case 'paths': {
      const parts = fromEnv ? String(raw).split(delimiter).filter(Boolean) : readStrings(raw, place, 'a path or a list of paths');
      return parts.map((p) => (p === '-' ? p : resolve(place.base, p)));
    }
    case 'path':
    case 'string':
    case 'size': {
      const value = last(raw);
      if (value === false && spec.negatable) return false;
      if (typeof value !== 'string' && !(spec.kind === 'size' && typeof value === 'number')) return fail(place, spec.kind === 'size' ? 'a size such as 16MiB' : 'a text', value);
      if (value === '') return fail(place, spec.kind === 'path' ? 'a path' : 'a non-empty text', value);
      return spec.kind === 'path' ? resolve(place.base, value as string) : value;
    }
    case 'count':
      return readCount(spec, last(raw), place);
    case 'boolean': {
      const value = last(raw);
      if (typeof value === 'boolean') return value;
      if (fromEnv && typeof value === 'string' && value.toLowerCase() in booleanWords) return booleanWords[value.toLowerCase()];
      return fail(place, fromEnv ? 'one of 1, 0, true, false, yes, no, on, off' : 'true or false', value);
    }
  }
}

export function resolveSettings(sources: SettingSources): Settings {
  const values: Record<string, unknown> = {};
  const origins: Record<string, Origin> = {};
  const { file } = sources;
  for (const spec of optionsOf(sources.command)) {
    const flag = sources.flags[spec.key];
    const env = sources.env[envName(spec)];
    if (flag !== undefined) {
      values[spec.key] = readValue(spec, flag, { name: `--${spec.flag}`, base: sources.cwd }, false);
      origins[spec.key] = { source: 'flag', flag: `--${spec.flag}` };
    } else if (env !== undefined && env !== '') {
      values[spec.key] = readValue(spec, env, { name: envName(spec), base: sources.cwd }, true);
      origins[spec.key] = { source: 'env', name: envName(spec) };
    } else if (file && file.values[spec.key] !== undefined) {
      const line = file.lineOf(spec.key);
      const location = { file: file.file, ...(line !== undefined ? { line } : {}) };
      values[spec.key] = readValue(spec, file.values[spec.key], { name: `config key "${spec.key}"`, location, base: file.dir }, false);
      origins[spec.key] = { source: 'file', ...location };
    } else {
      const fallback = defaultFor(spec, sources.command);
      if (fallback !== undefined) values[spec.key] = fallback;
      origins[spec.key] = { source: 'default' };
    }
  }
  return { values, origins, ...(file ? { configFile: file.file } : {}) };
}

/** `flag --out`, `env BRIEFGEN_OUT`, `briefgen.config.yaml:3`, `default`: for `briefgen config`. */
export function describeOrigin(origin: Origin, show: (file: string) => string = (f) => f): string {
  switch (origin.source) {
    case 'flag':
      return origin.flag;
    case 'env':
      return origin.name;
    case 'file':
      return `${show(origin.file)}${origin.line !== undefined ? `:${origin.line}` : ''}`;
    case 'default':
      return 'default';
  }
}
