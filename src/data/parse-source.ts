import { extname } from 'node:path';
import { Lexer, LineCounter, parseDocument, isNode, visit, type Document } from 'yaml';
import { BriefgenError, ErrorCode, type SourceLocation } from '../errors.js';
import { limitFlags, maxDataDepth } from './limits.js';

/** A data file's text, parsed, with a way back from a data path to the line it came from. */
export interface ParsedSource {
  file: string;
  value: unknown;
  /** The location of the value at `path`, or of its nearest existing parent. */
  locate(path: ReadonlyArray<PropertyKey>): SourceLocation;
}

export type SourceFormat = 'yaml' | 'json';

export function formatOf(file: string, text: string): SourceFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  // stdin and extension-less files: JSON if it looks like JSON, YAML otherwise (YAML is a superset).
  return /^\s*[[{]/.test(text) ? 'json' : 'yaml';
}

const lineAt = (text: string, line: number): string => text.split(/\r?\n/)[line - 1] ?? '';

export interface ParseOptions {
  /** Alias expansions allowed (`yaml`'s `maxAliasCount`); a "billion laughs" document stops here. Default 100. */
  maxAliasCount?: number;
}

/** Parses YAML or JSON. Syntax errors become `E_DATA_PARSE` with file, line, column and the line itself. */
export function parseSource(file: string, input: string, options: ParseOptions = {}): ParsedSource {
  // A byte-order mark is not part of the data (JSON.parse would reject it as an invisible token).
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const format = formatOf(file, text);
  const tooDeep = flowDepthOverflow(text);
  if (tooDeep !== undefined) {
    const before = text.slice(0, tooDeep).split('\n');
    const line = before.length;
    throw new BriefgenError(ErrorCode.limit, `the data is nested more than ${maxDataDepth} levels deep`, {
      location: { file, line, column: (before.at(-1)?.length ?? 0) + 1, excerpt: lineAt(text, line) },
      hint: 'flatten the data: the briefing format needs only a few levels',
    });
  }
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (error) {
      throw jsonSyntaxError(file, text, error as SyntaxError);
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [first] = doc.errors;
  if (first) {
    let pos = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    // An unclosed quote is only noticed at the end of the file; the quote that opened it is more useful.
    if (/closing "?quote/.test(first.message)) pos = openingQuoteLine(text, pos.line) ?? pos;
    // The parser turns its own stack overflow into an error at the deepest point it reached.
    const message = /call stack/i.test(first.message) ? 'the data is nested too deeply to parse' : first.message.split('\n')[0];
    throw new BriefgenError(ErrorCode.dataParse, `invalid ${format === 'json' ? 'JSON' : 'YAML'}: ${message}`, {
      location: { file, line: pos?.line, column: pos?.col, excerpt: pos ? lineAt(text, pos.line) : undefined },
      hint: 'fix the syntax at the marked place; YAML needs consistent indentation and a space after each colon',
    });
  }
  const maxAliasCount = options.maxAliasCount ?? 100;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount });
  } catch (error) {
    throw aliasError(file, text, doc, lineCounter, error, maxAliasCount);
  }
  return { file, value, locate: (path) => locateInDocument(file, text, doc, lineCounter, path) };
}

/** toJS() throws only while resolving aliases: an alias bomb, or an alias to an anchor defined after it. */
function aliasError(file: string, text: string, doc: Document, lineCounter: LineCounter, error: unknown, maxAliasCount: number): BriefgenError {
  let first: { line: number; col: number } | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) first = lineCounter.linePos(node.range[0]);
      return visit.BREAK;
    },
  });
  const location = { file, ...(first ? { line: first.line, column: first.col, excerpt: lineAt(text, first.line) } : {}) };
  const reason = (error as Error).message ?? String(error);
  if (/excessive alias count|alias resolution is disabled/i.test(reason)) {
    return new BriefgenError(ErrorCode.limit, `YAML aliases expand past the limit of ${maxAliasCount} (a "billion laughs" document?)`, {
      location,
      hint: `write the repeated data out, or raise the limit with ${limitFlags.yamlAliases}`,
      cause: error,
    });
  }
  return new BriefgenError(ErrorCode.dataParse, `invalid YAML: ${reason}`, { location, cause: error });
}

/** The lexer's own markers, which stand for no source text. */
const lexerMarkers = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * The offset of the bracket that opens a flow collection (`[`, `{`, JSON's only kind) more than
 * `maxDataDepth` levels deep, or undefined. Found by the YAML lexer alone, before anything is
 * parsed: a 2 MB file of brackets would otherwise take the parser seconds and a gigabyte before it
 * gave up. Brackets inside strings and comments are the lexer's business, not counted.
 */
export function flowDepthOverflow(text: string): number | undefined {
  let brackets = 0;
  for (let i = 0; i < text.length && brackets <= maxDataDepth; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) brackets += 1;
  }
  if (brackets <= maxDataDepth) return undefined;
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      depth += 1;
      if (depth > maxDataDepth) return offset;
    } else if (token === ']' || token === '}') depth -= 1;
    if (!lexerMarkers.has(token)) offset += token.length;
  }
  return undefined;
}

function openingQuoteLine(text: string, beforeLine: number): { line: number; col: number } | undefined {
  const lines = text.split(/\r?\n/).slice(0, beforeLine);
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i]!;
    for (const quote of ['"', "'"]) {
      if ((line.split(quote).length - 1) % 2 === 1) return { line: i + 1, col: line.indexOf(quote) + 1 };
    }
  }
  return undefined;
}

function jsonSyntaxError(file: string, text: string, error: SyntaxError): BriefgenError {
  // Node 20 says "... in JSON at position 42"; newer versions also give "(line 3 column 5)".
  const position = /position (\d+)/.exec(error.message);
  let line: number | undefined;
  let column: number | undefined;
  if (position) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset).split('\n');
    line = before.length;
    column = (before.at(-1)?.length ?? 0) + 1;
  } else if (/end of JSON input/.test(error.message)) {
    const lines = text.replace(/\s+$/, '').split('\n');
    line = lines.length;
    column = (lines.at(-1)?.length ?? 0) + 1;
  }
  return new BriefgenError(ErrorCode.dataParse, `invalid JSON: ${error.message.replace(/ in JSON at position \d+.*$/, '')}`, {
    location: { file, line, column, excerpt: line ? lineAt(text, line) : undefined },
    hint: 'JSON needs double-quoted keys and strings and no trailing commas',
  });
}

function locateInDocument(
  file: string,
  text: string,
  doc: Document,
  lineCounter: LineCounter,
  path: ReadonlyArray<PropertyKey>,
): SourceLocation {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      // A key's value starts after `key:`; point at the key itself when it is on the same line.
      return { file, line, column: col, excerpt: lineAt(text, line) };
    }
  }
  return { file };
}

/** `sections.trends.items[2].title` */
export function formatDataPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
