import type { z } from 'zod';
import { BriefgenError, ErrorCode } from '../errors.js';
import { briefingSchema, type Briefing } from '../schema.js';
import { formatDataPath, type ParsedSource } from './parse-source.js';

/** One problem in the data, as the user should read it. */
export interface DataIssue {
  path: string;
  message: string;
}

/** Pure: checks a parsed value against the briefing schema. */
export function checkBriefing(value: unknown): { value?: Briefing; issues: Array<DataIssue & { rawPath: PropertyKey[] }> } {
  const result = briefingSchema.safeParse(value);
  if (result.success) return { value: result.data, issues: [] };
  return {
    issues: result.error.issues.map((issue) => ({
      // An unknown key is pointed at itself, not at the object it sits in.
      rawPath: issue.code === 'unrecognized_keys' ? [...(issue.path as PropertyKey[]), issue.keys[0]!] : (issue.path as PropertyKey[]),
      path: formatDataPath(issue.path as PropertyKey[]) || '(top level)',
      message: describeIssue(issue),
    })),
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}${/received undefined/.test(issue.message) ? ' (it is missing)' : `, got ${/received (\w+)/.exec(issue.message)?.[1] ?? 'something else'}`}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? 'expected a non-empty string' : `expected at least ${String(issue.minimum)} entries`;
    default:
      return issue.message;
  }
}

/** Validates a parsed data file; the first issue becomes an `E_DATA_SHAPE` error pointing at its line. */
export function validateBriefing(source: ParsedSource): Briefing {
  const { value, issues } = checkBriefing(source.value);
  if (value) return value;
  const [first, ...rest] = issues;
  if (!first) throw new Error('schema rejected the data without an issue');
  const location = { ...source.locate(first.rawPath), dataPath: first.path };
  const more = rest.length > 0 ? ` (and ${rest.length} more: ${rest.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')}${rest.length > 3 ? '; …' : ''})` : '';
  throw new BriefgenError(ErrorCode.dataShape, `invalid briefing data at ${first.path}: ${first.message}${more}`, {
    location,
    hint: 'the data format is described in README.md ("Data format") and schema/briefing.schema.json',
  });
}
