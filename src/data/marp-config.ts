import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, YAMLParseError } from 'yaml';
import { BriefgenError, ErrorCode } from '../errors.js';

/**
 * Marp CLI's config file names, in the order it looks for them in the working folder (its
 * cosmiconfig search for `marp`), `package.json`'s `marp` key first.
 */
export const marpConfigNames = [
  'package.json',
  '.marprc',
  '.marprc.json',
  '.marprc.yaml',
  '.marprc.yml',
  '.marprc.js',
  '.marprc.mjs',
  '.marprc.cjs',
  'marp.config.js',
  'marp.config.mjs',
  'marp.config.cjs',
] as const;

/** The options of a Marp config file that `briefgen render` honours, paths made absolute. */
export interface MarpConfig {
  /** The file they came from. */
  file: string;
  allowLocalFiles?: boolean;
  html?: boolean | Record<string, unknown>;
  lang?: string;
  /** A theme name, or the absolute path of a CSS file when the value names one. */
  theme?: string;
  themeSet?: string[];
  /** marp-core constructor options (markdown-it's `breaks`, `looseYAML`, `math` …). */
  options?: Record<string, unknown>;
  imageScale?: number;
  title?: string;
  description?: string;
  author?: string;
  keywords?: string[];
  /** Keys briefgen reads but does not act on (`engine`, `bespoke` …), for one line of warning. */
  ignored: string[];
}

/** Keys of Marp CLI's config that only matter to its own outputs or servers: accepted and left alone. */
const inertKeys = new Set(['bespoke', 'inputDir', 'output', 'server', 'watch', 'preview', 'pdf', 'pdfNotes', 'pdfOutlines', 'pptx', 'pptxEditable', 'image', 'images', 'jpegQuality', 'notes', 'ogImage', 'url', 'template', 'parallel', 'browser', 'browserPath', 'browserProtocol', 'browserTimeout', 'stdin', 'configFile']);

function configError(file: string, message: string, hint = 'see "Marp config files" in README.md'): BriefgenError {
  return new BriefgenError(ErrorCode.usage, message, { location: { file }, hint });
}

/** The config file Marp CLI would use in `cwd`, if any. */
export function findMarpConfig(cwd: string): string | undefined {
  for (const name of marpConfigNames) {
    const file = path.join(cwd, name);
    if (!existsSync(file)) continue;
    if (name === 'package.json') {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as { marp?: unknown }).marp === undefined) continue;
      } catch {
        continue;
      }
    }
    return file;
  }
  return undefined;
}

async function loadRaw(file: string): Promise<unknown> {
  const base = path.basename(file);
  if (/\.(c|m)?js$/.test(base)) {
    let loaded: { default?: unknown };
    try {
      loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (cause) {
      throw new BriefgenError(ErrorCode.usage, `could not load the Marp config: ${(cause as Error).message}`, { location: { file }, cause });
    }
    const value = loaded.default ?? loaded;
    return typeof value === 'function' ? await (value as () => unknown)() : value;
  }
  if (/\.ts$/.test(base)) throw configError(file, 'TypeScript Marp config files are not supported', 'use marp.config.mjs or .marprc.yml');
  const text = readFileSync(file, 'utf8');
  if (base === 'package.json') return (JSON.parse(text) as { marp?: unknown }).marp;
  try {
    // `.marprc` may be JSON or YAML; YAML reads both.
    return parse(text);
  } catch (cause) {
    const line = cause instanceof YAMLParseError ? cause.linePos?.[0]?.line : undefined;
    throw new BriefgenError(ErrorCode.usage, `invalid Marp config: ${(cause as Error).message.split('\n')[0]}`, {
      location: { file, ...(line ? { line, excerpt: text.split('\n')[line - 1] } : {}) },
      cause,
    });
  }
}

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value);

/**
 * Reads and checks a Marp config file. Relative paths (`themeSet`, a `theme` that is a CSS file)
 * resolve against the file's folder, as Marp CLI resolves them.
 */
export async function readMarpConfig(file: string): Promise<MarpConfig> {
  const raw = await loadRaw(file);
  if (raw === null || raw === undefined) return { file, ignored: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw configError(file, `a Marp config must be a mapping of options, got ${typeName(raw)}`);
  const dir = path.dirname(file);
  const values = raw as Record<string, unknown>;
  const config: MarpConfig = { file, ignored: [] };
  const expect = (key: string, ok: boolean, what: string): void => {
    if (!ok) throw configError(file, `${key}: expected ${what}, got ${typeName(values[key])}`);
  };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    switch (key) {
      case 'allowLocalFiles':
        expect(key, typeof value === 'boolean', 'true or false');
        config.allowLocalFiles = value as boolean;
        break;
      case 'html':
        expect(key, typeof value === 'boolean' || (typeof value === 'object' && value !== null && !Array.isArray(value)), 'true, false or an allowlist of tags');
        config.html = value as MarpConfig['html'];
        break;
      case 'lang':
      case 'title':
      case 'description':
      case 'author':
        expect(key, typeof value === 'string', 'a string');
        config[key] = value as string;
        break;
      case 'theme': {
        expect(key, typeof value === 'string', 'a theme name or a CSS file');
        const asFile = path.resolve(dir, value as string);
        config.theme = /\.css$/i.test(value as string) || existsSync(asFile) ? asFile : (value as string);
        break;
      }
      case 'themeSet': {
        const list = Array.isArray(value) ? value : [value];
        expect(key, list.every((v) => typeof v === 'string'), 'a path or a list of paths');
        config.themeSet = (list as string[]).map((p) => path.resolve(dir, p));
        break;
      }
      case 'options':
        expect(key, typeof value === 'object' && value !== null && !Array.isArray(value), 'a mapping of marp-core options');
        config.options = value as Record<string, unknown>;
        break;
      case 'imageScale':
        expect(key, typeof value === 'number' && value > 0 && value <= 10, 'a number above 0, at most 10');
        config.imageScale = value as number;
        break;
      case 'keywords': {
        const list = typeof value === 'string' ? value.split(',') : value;
        expect(key, Array.isArray(list) && list.every((v) => typeof v === 'string'), 'a list of words');
        config.keywords = (list as string[]).map((k) => k.trim()).filter(Boolean);
        break;
      }
      default:
        // Unknown keys (and `engine`, which would swap the renderer briefgen's checks are built on)
        // are reported once; the inert ones are Marp CLI's own business.
        if (!inertKeys.has(key)) config.ignored.push(key);
    }
  }
  return config;
}
