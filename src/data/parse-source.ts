import { extname } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { BriefgenError, ErrorCode, type SourceLocation } from '../errors.js';

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

/** Parses YAML or JSON. Syntax errors become `E_DATA_PARSE` with file, line, column and the line itself. */
export function parseSource(file: string, text: string): ParsedSource {
  const format = formatOf(file, text);
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
    throw new BriefgenError(ErrorCode.dataParse, `invalid YAML: ${first.message.split('\n')[0]}`, {
      location: { file, line: pos?.line, column: pos?.col, excerpt: pos ? lineAt(text, pos.line) : undefined },
      hint: 'fix the syntax at the marked place; YAML needs consistent indentation and a space after each colon',
    });
  }
  return { file, value: doc.toJS(), locate: (path) => locateInDocument(file, text, doc, lineCounter, path) };
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
