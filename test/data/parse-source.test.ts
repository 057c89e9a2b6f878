import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BriefgenError } from '../../src/errors.js';
import { formatDataPath, parseSource } from '../../src/data/parse-source.js';
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

  it('rejects unknown keys so typos do not pass silently', () => {
    const error = errorOf(() => validateBriefing(parseSource('x.yaml', 'meta: {id: a, language: en, title: T, publishers: [P], date: "2024", tittle: x}\nsummary: {headline: H}\nsections: {}\n')));
    expect(error.message).toMatch(/unknown key "tittle"/);
    expect(error.location?.dataPath).toBe('meta');
  });
});
