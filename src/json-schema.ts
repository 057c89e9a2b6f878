import { z } from 'zod';
import { briefingSchema } from './schema.js';

/** The briefing schema as JSON Schema (draft 2020-12), for editors and other tools. */
export function briefingJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(briefingSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $id: 'https://github.com/briefgen/briefgen/schema/briefing.schema.json',
    title: 'briefgen briefing',
    description: 'A report, release note or review as sections of items, timelines, groups, metrics and quotes.',
    ...schema,
  };
}
