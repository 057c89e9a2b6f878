import { describe, expect, it } from 'vitest';
import { checkDataLimits, findLimitProblem } from '../../src/data/check-limits.js';
import { maxDataDepth } from '../../src/data/limits.js';
import { parseSource } from '../../src/data/parse-source.js';
import { BriefgenError, ErrorCode, ExitCode } from '../../src/errors.js';

const limits = { listItems: 3, stringLength: 10 };

describe('findLimitProblem', () => {
  it.each([
    ['a list too long', { a: [1, 2, 3, 4] }, ['a'], 'a list of 4 entries, over the limit of 3'],
    ['a mapping with too many keys', { a: { w: 1, x: 1, y: 1, z: 1 } }, ['a'], 'a mapping with 4 entries, over the limit of 3'],
    ['a string too long', { a: [{ b: 'x'.repeat(11) }] }, ['a', 0, 'b'], 'a string of 11 characters, over the limit of 10'],
  ])('finds %s, with its path', (_name, value, path, message) => {
    expect(findLimitProblem(value, limits)).toMatchObject({ path, message });
  });

  it('passes data within every limit', () => {
    expect(findLimitProblem({ a: [1, 2, 3], b: 'x'.repeat(10), c: { d: null } }, limits)).toBeUndefined();
  });

  it('finds the first problem in document order', () => {
    expect(findLimitProblem({ a: ['ok', 'x'.repeat(20)], b: [1, 2, 3, 4] }, limits)?.path).toEqual(['a', 1]);
  });

  it('stops nesting deeper than the depth limit without using the call stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    const problem = findLimitProblem(deep, { listItems: 10, stringLength: 10 });
    expect(problem?.message).toBe(`data nested more than ${maxDataDepth} levels deep`);
    expect(problem?.path).toHaveLength(maxDataDepth);
  });
});

describe('checkDataLimits', () => {
  it('points at the line of the offending value and names the flag that raises the limit', () => {
    const source = parseSource('report.yaml', 'meta:\n  id: x\nsections:\n  trends:\n    items: [a, b, c, d]\n');
    let error: BriefgenError | undefined;
    try {
      checkDataLimits(source, limits);
    } catch (e) {
      error = e as BriefgenError;
    }
    expect(error).toMatchObject({ code: ErrorCode.limit, exitCode: ExitCode.badInput, message: 'sections.trends.items: a list of 4 entries, over the limit of 3' });
    expect(error!.location).toMatchObject({ file: 'report.yaml', line: 5, dataPath: 'sections.trends.items' });
    expect(error!.hint).toMatch(/--max-list-items/);
  });
});
