import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { lilconfig, type Loader } from 'lilconfig';
import { LineCounter, parseDocument, isMap, isScalar, type Document } from 'yaml';
import { BriefgenError, ErrorCode } from './errors.js';
import { optionTable } from './option-table.js';

/** Where briefgen looks for its config file, in each folder from the working one up (lilconfig's search). */
export const configSearchPlaces = [
  'package.json',
  '.briefgenrc',
  '.briefgenrc.json',
  '.briefgenrc.yaml',
  '.briefgenrc.yml',
  '.briefgenrc.js',
  '.briefgenrc.mjs',
  '.briefgenrc.cjs',
  'briefgen.config.js',
  'briefgen.config.mjs',
  'briefgen.config.cjs',
  'briefgen.config.json',
  'briefgen.config.yaml',
  'briefgen.config.yml',
] as const;

/** A config file as read: its keys (checked against the option table) and where each one sits. */
export interface ConfigFile {
  file: string;
  /** Relative paths in the file are relative to this folder, not to the working folder. */
  dir: string;
  values: Readonly<Record<string, unknown>>;
  /** 1-based line of a key, when the file's text shows it. */
  lineOf: (key: string) => number | undefined;
}

/** YAML is a superset of JSON, so one parser gives both formats their lines and a clear syntax error. */
function parseWithLines(file: string, content: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(content.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const at = lines.linePos(error.pos[0]);
    throw new BriefgenError(ErrorCode.usage, `invalid config file: ${error.message.split('\n')[0]}`, { location: { file, line: at.line, column: at.col } });
  }
  return { doc, lines };
}

const dataLoader: Loader = (file, content) => parseWithLines(file, content).doc.toJS();

/** The 1-based line of `key` inside the mapping at `path` (`[]` for the top, `['briefgen']` in package.json). */
function keyLineInDocument(file: string, content: string, path: readonly string[], key: string): number | undefined {
  const { doc, lines } = parseWithLines(file, content);
  let node: unknown = doc.contents;
  for (const part of path) node = isMap(node) ? node.get(part, true) : undefined;
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
  const offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

/** In a JavaScript config the key's line is found in the text: the first `key:` or `"key":` there. */
function keyLineInScript(content: string, key: string): number | undefined {
  const pattern = new RegExp(`(^|[\\s{,])(['"\`]?)${key}\\2\\s*:`);
  const index = content.split('\n').findIndex((line) => pattern.test(line));
  return index < 0 ? undefined : index + 1;
}

function lineFinder(file: string): (key: string) => number | undefined {
  const content = readFileSync(file, 'utf8');
  const isScript = /\.[cm]?js$/.test(file);
  const inPackage = file.endsWith('package.json');
  return (key) => (isScript ? keyLineInScript(content, key) : keyLineInDocument(file, content, inPackage ? ['briefgen'] : [], key));
}

const known = new Set(optionTable.map((o) => o.key));

/** Pure: an unknown key, or a config that is not a mapping, is an error naming the file and the line. */
export function checkConfigKeys(file: string, config: unknown, lineOf: (key: string) => number | undefined): Record<string, unknown> {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new BriefgenError(ErrorCode.usage, 'a briefgen config must be a mapping of option names to values', { location: { file } });
  }
  for (const key of Object.keys(config)) {
    if (known.has(key)) continue;
    const line = lineOf(key);
    const near = [...known].find((k) => k.toLowerCase() === key.replace(/[-_]/g, '').toLowerCase());
    throw new BriefgenError(ErrorCode.usage, `unknown config key "${key}"`, {
      location: { file, ...(line !== undefined ? { line } : {}) },
      hint: near ? `did you mean "${near}"? (config keys are camelCase)` : `config keys: ${[...known].join(', ')}`,
    });
  }
  return config as Record<string, unknown>;
}

/**
 * The config file for a run: `explicit` (`--config`, `BRIEFGEN_CONFIG`) when given, else the first
 * of `configSearchPlaces` in `cwd` or a folder above it. None found: undefined.
 */
export async function loadConfigFile(cwd: string, explicit?: string): Promise<ConfigFile | undefined> {
  const searcher = lilconfig('briefgen', {
    searchPlaces: [...configSearchPlaces],
    loaders: { '.json': dataLoader, '.yaml': dataLoader, '.yml': dataLoader, noExt: dataLoader },
    cache: false,
  });
  let result;
  try {
    result = explicit ? await searcher.load(resolve(cwd, explicit)) : await searcher.search(cwd);
  } catch (error) {
    if (error instanceof BriefgenError) throw error;
    const file = explicit ? resolve(cwd, explicit) : cwd;
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new BriefgenError(ErrorCode.usage, missing ? `config file not found: ${explicit}` : `could not load the config file: ${(error as Error).message}`, { location: { file }, cause: error });
  }
  if (!result) return undefined;
  const file = result.filepath;
  const lineOf = lineFinder(file);
  const values = checkConfigKeys(file, result.isEmpty ? {} : result.config, lineOf);
  return { file, dir: dirname(file), values, lineOf };
}

