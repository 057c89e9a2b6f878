import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { briefingJsonSchema } from '../src/json-schema.js';

describe('published JSON Schema', () => {
  it('is up to date with the zod schema (run `npm run schema` after changing src/schema.ts)', () => {
    const published = JSON.parse(readFileSync(new URL('../schema/briefing.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(briefingJsonSchema());
  });

  it('describes the required top-level parts', () => {
    const schema = briefingJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['meta', 'summary', 'sections']));
    expect(Object.keys(schema.properties)).toContain('sections');
  });
});
