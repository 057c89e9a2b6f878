import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BriefgenError } from '../../src/errors.js';
import { maxDataDepth } from '../../src/data/limits.js';
import { flowDepthOverflow, formatDataPath, parseSource } from '../../src/data/parse-source.js';
import { validateBriefing } from '../../src/data/validate-briefing.js';

const fixture = (name: string) => {
  const file = new URL(`../fixtures/data/${name}`, import.meta.url).pathname;
  return { file, text: readFileSync(file, 'utf8') };
};

function errorOf(fn: () => unknown): BriefgenError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BriefgenError) return error;
    throw error;
  }
  throw new Error('expected a BriefgenError');
}

describe('parseSource', () => {
  it('reports a YAML syntax error with file, line and the line itself', () => {
    const { file, text } = fixture('bad-yaml.yaml');
    const error = errorOf(() => parseSource(file, text));
    expect(error.code).toBe('E_DATA_PARSE');
    expect(error.exitCode).toBe(2);
    expect(error.location?.file).toBe(file);
    expect(error.location?.line).toBeGreaterThanOrEqual(3);
    expect(error.location?.excerpt).toBeDefined();
  });

  it('reports a JSON syntax error at the trailing comma', () => {
    const { file, text } = fixture('bad-json.json');
    const error = errorOf(() => parseSource(file, text));
    expect(error.message).toMatch(/invalid JSON/);
    expect(error.location?.line).toBe(4);
  });

  it('maps a data path back to its line', () => {
    const { file, text } = fixture('wrong-shape.yaml');
    const source = parseSource(file, text);
    expect(source.locate(['sections', 'trends', 'items', 1]).line).toBe(14);
    // A missing key points at its parent.
    expect(source.locate(['sections', 'trends', 'items', 1, 'title']).line).toBe(14);
  });

  it('stops a YAML alias bomb with a limit error at the first alias, not a stray ReferenceError', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    const error = errorOf(() => parseSource('bomb.yaml', bomb));
    expect(error).toMatchObject({ code: 'E_LIMIT', exitCode: 2, message: 'YAML aliases expand past the limit of 100 (a "billion laughs" document?)' });
    expect(error.location).toMatchObject({ file: 'bomb.yaml', line: 2, column: 8 });
    expect(error.hint).toMatch(/--max-yaml-aliases/);
    // A few aliases are ordinary YAML, and the limit can be raised (or set to 0: no aliases at all).
    expect(parseSource('ok.yaml', 'a: &a [1, 2]\nb: *a\n').value).toEqual({ a: [1, 2], b: [1, 2] });
    expect(() => parseSource('ok.yaml', 'a: &a [1, 2]\nb: *a\n', { maxAliasCount: 0 })).toThrow(/limit of 0/);
  });

  it('reports an alias to an anchor that is never defined as a YAML error with its line', () => {
    const error = errorOf(() => parseSource('x.yaml', 'a: 1\nb: *nowhere\n'));
    expect(error.code).toBe('E_DATA_PARSE');
    expect(error.location?.line).toBe(2);
  });

  it('accepts a JSON file that starts with a byte-order mark, and its lines still count from 1', () => {
    const source = parseSource('bom.json', '\uFEFF{\n  "meta": {"id": "a"}\n}\n');
    expect(source.value).toEqual({ meta: { id: 'a' } });
    expect(source.locate(['meta']).line).toBe(2);
    expect(errorOf(() => parseSource('bad.json', '\uFEFF{\n  "a": 1,\n}\n')).location?.line).toBe(3);
  });

  it('stops data nested too deeply before parsing it, at the bracket that goes too deep', () => {
    // A 2 MB file of brackets used to take the YAML parser seconds and a gigabyte to reject.
    for (const [file, text] of [
      ['deep.json', `{"a": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`],
      ['deep.yaml', `a:\n  b: ${'{x: '.repeat(100_000)}1${'}'.repeat(100_000)}`],
    ] as const) {
      const error = errorOf(() => parseSource(file, text));
      expect(error.code, file).toBe('E_LIMIT');
      expect(error.message, file).toBe(`the data is nested more than ${maxDataDepth} levels deep`);
      expect(error.location?.line, file).toBe(file === 'deep.json' ? 1 : 2);
    }
  });

  it('counts only brackets that open collections, not ones inside strings, plain text or comments', () => {
    const text = `a: "${'['.repeat(50)}"\nb: see ${'['.repeat(50)}\n# ${'{'.repeat(50)}\nc: [[1], {d: [2]}]\n`;
    expect(flowDepthOverflow(text)).toBeUndefined();
    expect(parseSource('ok.yaml', text).value).toMatchObject({ c: [[1], { d: [2] }] });
  });

  it.each([
    [['sections', 'trends', 'items', 2, 'title'], 'sections.trends.items[2].title'],
    [['meta'], 'meta'],
    [[], ''],
  ] as const)('formats %j as %s', (path, expected) => {
    expect(formatDataPath(path)).toBe(expected);
  });
});

describe('validateBriefing', () => {
  it('names the data path, the line and what was expected', () => {
    const { file, text } = fixture('wrong-shape.yaml');
    const error = errorOf(() => validateBriefing(parseSource(file, text)));
    expect(error.code).toBe('E_DATA_SHAPE');
    expect(error.location?.dataPath).toBe('sections.trends.items[1].title');
    expect(error.location?.line).toBe(14);
    expect(error.message).toMatch(/expected string, got number/);
  });

  it('accepts a minimal briefing and fills defaults', () => {
    const { file, text } = fixture('minimal.yaml');
    const briefing = validateBriefing(parseSource(file, text));
    expect(briefing.meta.keywords).toEqual([]);
    expect(briefing.sections.trends?.timeline).toEqual([]);
  });

  it('caps meta.id at 80 characters: it names folders and files, which file systems cap at 255 bytes', () => {
    const meta = (id: string) => `meta: {id: ${id}, language: en, title: T, publishers: [P], date: "2024"}\nsummary: {headline: H}\nsections: {}\n`;
    const error = errorOf(() => validateBriefing(parseSource('x.yaml', meta('a'.repeat(230)))));
    expect(error).toMatchObject({ code: 'E_DATA_SHAPE', exitCode: 2, message: 'invalid briefing data at meta.id: at most 80 characters (it names folders and files)' });
    expect(error.location?.line).toBe(1);
    expect(validateBriefing(parseSource('x.yaml', meta('a'.repeat(80)))).meta.id).toHaveLength(80);
  });

  it('names at most five unknown keys, so a mapping of thousands stays one readable line', () => {
    const keys = Array.from({ length: 900 }, (_, i) => `k${i}: 1`).join(', ');
    const error = errorOf(() => validateBriefing(parseSource('x.yaml', `meta: {id: a, language: en, title: T, publishers: [P], date: "2024", ${keys}}\nsummary: {headline: H}\nsections: {}\n`)));
    expect(error.message).toMatch(/unknown keys "k0", "k1", "k2", "k3", "k4" and 895 more$/);
  });

  it('rejects unknown keys so typos do not pass silently', () => {
    const error = errorOf(() => validateBriefing(parseSource('x.yaml', 'meta: {id: a, language: en, title: T, publishers: [P], date: "2024", tittle: x}\nsummary: {headline: H}\nsections: {}\n')));
    expect(error.message).toMatch(/unknown key "tittle"/);
    expect(error.location?.dataPath).toBe('meta');
  });
});
