import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allFormats, type BuildOptions, type Format, type Selection } from './build/types.js';
import { limitFlags, type InputLimits } from './data/limits.js';

export { defaultLimits, formatBytes } from './data/limits.js';
import { BriefgenError, ErrorCode } from './errors.js';
import { parseShard } from './shard.js';
import { packageRoot } from './version.js';

/** The flags a user can give, as parsed; every field optional. */
export interface BuildFlags {
  audience?: string;
  data?: string[];
  templates?: string;
  out?: string;
  format?: string;
  lang?: string;
  browserWs?: string;
  concurrency?: number;
  /** `K/N`: build only part K of N of the jobs. */
  shard?: string;
  /** Build cache folder; default `.briefgen-cache`. */
  cacheDir?: string;
  /** false (`--no-cache`): neither read nor write the build cache. */
  cache?: boolean;
  /** Ignore the build cache (but refresh it). */
  force?: boolean;
  /** `--max-data-size`: bytes, or with a unit (`64MiB`, `512KiB`). */
  maxDataSize?: string | number;
  maxListItems?: number;
  maxStringLength?: number;
  maxYamlAliases?: number;
  maxDeckSlides?: number;
}

const sizeUnits: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `4194304`, `4MiB`, `512 KiB`, `1g` → bytes (binary units: a MB here is a MiB). */
export function parseSize(value: string | number, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = match ? sizeUnits[match[2]!.toLowerCase()] : undefined;
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new BriefgenError(ErrorCode.usage, `${flag} must be a size such as 16MiB, 512KiB or a number of bytes, not "${String(value)}"`);
  }
  return bytes;
}

function positiveCount(value: number | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min) throw new BriefgenError(ErrorCode.usage, `${flag} must be a whole number of at least ${min}, not ${String(value)}`);
  return value;
}

/** The limits the flags set; the rest stay at their defaults (`src/data/limits.ts`). */
export function limitsFromFlags(flags: BuildFlags): Partial<InputLimits> {
  const limits: Partial<InputLimits> = {};
  if (flags.maxDataSize !== undefined) limits.dataBytes = parseSize(flags.maxDataSize, limitFlags.dataBytes);
  const counts: Array<[keyof InputLimits, number | undefined, number]> = [
    ['listItems', flags.maxListItems, 1],
    ['stringLength', flags.maxStringLength, 1],
    ['yamlAliases', flags.maxYamlAliases, 0],
    ['deckSlides', flags.maxDeckSlides, 1],
  ];
  for (const [key, value, min] of counts) {
    const count = positiveCount(value, limitFlags[key], min);
    if (count !== undefined) limits[key] = count;
  }
  return limits;
}

/**
 * `SOURCE_DATE_EPOCH` (the reproducible-builds convention): whole seconds since 1970, UTC. Unset or
 * empty means no fixed date; anything else that is not such a number is bad usage.
 */
export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(seconds) || seconds * 1000 > 8.64e15) {
    throw new BriefgenError(ErrorCode.usage, `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not "${value}"`, {
      hint: 'e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)',
    });
  }
  return seconds;
}

/** `a,b` / `all` → a selection; empty means all. */
export function parseSelection(value: string | undefined): Selection {
  const names = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return names.length === 0 || names.includes('all') ? 'all' : names;
}

export function parseFormats(value: string | undefined): Set<Format> {
  if (!value) return new Set(allFormats);
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const name of names) {
    if (!(allFormats as readonly string[]).includes(name)) {
      throw new BriefgenError(ErrorCode.usage, `unknown format "${name}"`, { hint: `formats: ${allFormats.join(', ')} (comma-separated)` });
    }
  }
  return new Set(names as Format[]);
}

/**
 * A folder of the current project when it exists, else briefgen's bundled one, so `briefgen` works
 * both inside a project and from anywhere.
 */
function projectOrBundled(cwd: string, name: string): string {
  const local = join(cwd, name);
  return existsSync(local) ? local : join(packageRoot, name);
}

/**
 * Resolved settings → the options of one build. Which source set each value (flag, environment,
 * config file, default) is decided before, once, by `resolveSettings` (`src/settings.ts`); here
 * only the defaults that depend on the project (its `templates/` and `content/`) are filled in.
 */
export function resolveBuildOptions(flags: BuildFlags, cwd: string, env: NodeJS.ProcessEnv): BuildOptions {
  const templatesDir = resolve(cwd, flags.templates ?? projectOrBundled(cwd, 'templates'));
  const data = flags.data && flags.data.length > 0 ? flags.data.map((d) => (d === '-' ? d : resolve(cwd, d))) : [projectOrBundled(cwd, 'content')];
  const browserWs = flags.browserWs;
  return {
    data,
    templatesDir,
    outDir: resolve(cwd, flags.out ?? 'out'),
    audiences: flags.audience === undefined ? 'default' : parseSelection(flags.audience),
    languages: parseSelection(flags.lang),
    formats: parseFormats(flags.format),
    projectRoot: cwd,
    limits: limitsFromFlags(flags),
    sourceDateEpoch: parseSourceDateEpoch(env.SOURCE_DATE_EPOCH),
    ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
    ...(flags.cache === false ? {} : { cache: { dir: resolve(cwd, flags.cacheDir ?? '.briefgen-cache'), read: !flags.force, write: true } }),
    browser: {
      ...(browserWs ? { browserWSEndpoint: browserWs } : {}),
      ...(flags.concurrency ? { poolSize: flags.concurrency } : {}),
    },
  };
}
