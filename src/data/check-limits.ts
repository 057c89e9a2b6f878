import { BriefgenError, ErrorCode } from '../errors.js';
import { limitFlags, maxDataDepth, type InputLimits } from './limits.js';
import { formatDataPath, type ParsedSource } from './parse-source.js';

type Problem = { path: PropertyKey[]; message: string; flag?: string };

/**
 * Pure: the first place where parsed data goes past the limits (a list or mapping too long, a
 * string too long, nesting too deep), or undefined. Walks with its own stack, so a deeply nested
 * file cannot overflow the call stack here.
 */
export function findLimitProblem(value: unknown, limits: Pick<InputLimits, 'listItems' | 'stringLength'>): Problem | undefined {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === 'string') {
      if (item.length > limits.stringLength) {
        return { path, message: `a string of ${item.length.toLocaleString('en')} characters, over the limit of ${limits.stringLength.toLocaleString('en')}`, flag: limitFlags.stringLength };
      }
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    if (path.length >= maxDataDepth) return { path, message: `data nested more than ${maxDataDepth} levels deep` };
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(item) ? item.map((v, i) => [i, v]) : Object.entries(item);
    if (entries.length > limits.listItems) {
      const what = Array.isArray(item) ? 'a list of' : 'a mapping with';
      return { path, message: `${what} ${entries.length.toLocaleString('en')} entries, over the limit of ${limits.listItems.toLocaleString('en')}`, flag: limitFlags.listItems };
    }
    // Pushed in reverse, so the first offending entry in document order is found first.
    for (let i = entries.length - 1; i >= 0; i -= 1) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
  }
  return undefined;
}

/** Throws an `E_LIMIT` error pointing at the line of the first value over the limits. */
export function checkDataLimits(source: ParsedSource, limits: Pick<InputLimits, 'listItems' | 'stringLength'>): void {
  const problem = findLimitProblem(source.value, limits);
  if (!problem) return;
  const dataPath = formatDataPath(problem.path) || '(top level)';
  throw new BriefgenError(ErrorCode.limit, `${dataPath}: ${problem.message}`, {
    location: { ...source.locate(problem.path), dataPath },
    hint: problem.flag ? `raise the limit with ${problem.flag}, or shorten the data` : 'flatten the data: the briefing format needs only a few levels',
  });
}
