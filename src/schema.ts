import { z } from 'zod';

/**
 * The general briefing schema: any report, release note or review that can be told as sections of
 * items, timelines, groups, metrics and quotes. It is the single source of the TypeScript types and of
 * the published JSON Schema (`schema/briefing.schema.json`, written by `npm run schema`).
 */

const text = z.string().min(1);
const isoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date as YYYY, YYYY-MM or YYYY-MM-DD');

export const sourceSchema = z
  .object({
    title: text.describe('Title of the source document or article.'),
    publisher: text.optional(),
    date: isoDate.optional(),
    url: z.string().url().optional(),
  })
  .strict();

export const metaSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase slug such as china-ai-2024')
      // It names a folder and the files in it (`<id>-<lang>-<audience>.pdf`), which file systems cap at 255 bytes.
      .max(100, 'at most 100 characters (it names folders and files)')
      .describe('Stable identifier, used in output paths (at most 100 characters).'),
    language: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language code such as zh or en')
      .describe('Language of every string in this file.'),
    title: text,
    subtitle: text.optional(),
    kind: text.optional().describe('Free label such as "industry report" or "release".'),
    publishers: z.array(text).min(1),
    date: isoDate.describe('Publication date.'),
    source: sourceSchema.optional(),
    keywords: z.array(text).default([]),
    audienceStatement: text.optional().describe('Who the source says it serves.'),
  })
  .strict();

export const itemSchema = z
  .object({
    id: text.optional(),
    title: text,
    text: text.optional(),
    detail: text.optional().describe('Longer explanation for audiences that want depth.'),
    plain: text.optional().describe('Plain-language version for the general public.'),
    tags: z.array(text).default([]),
    notes: text.optional().describe('Speaker notes.'),
  })
  .strict();

export const eventSchema = z
  .object({
    date: isoDate,
    title: text,
    actor: text.optional(),
    text: text.optional(),
  })
  .strict();

export const entrySchema = z
  .object({
    name: text,
    owner: text.optional(),
    text: text.optional(),
  })
  .strict();

export const groupSchema = z
  .object({
    id: text.optional(),
    title: text,
    text: text.optional(),
    entries: z.array(entrySchema).default([]),
  })
  .strict();

export const metricSchema = z
  .object({
    label: text,
    value: z.union([z.number(), text]),
    previous: z.number().optional().describe('Value in the previous period, for deltas.'),
    better: z.enum(['higher', 'lower']).optional().describe('Which direction of change is an improvement, so decks can mark a delta good or bad.'),
    unit: text.optional(),
    format: z.enum(['number', 'percent', 'text', 'year']).default('number'),
    text: text.optional(),
  })
  .strict();

export const quoteSchema = z
  .object({
    text,
    author: text,
    role: text.optional(),
  })
  .strict();

export const sectionSchema = z
  .object({
    title: text,
    lead: text.optional().describe('One or two sentences that open the section.'),
    notes: text.optional().describe('Speaker notes for the section.'),
    caveat: text.optional().describe('A remark on the source, e.g. something it announces but omits.'),
    items: z.array(itemSchema).default([]),
    timeline: z.array(eventSchema).default([]),
    groups: z.array(groupSchema).default([]),
    metrics: z.array(metricSchema).default([]),
    quotes: z.array(quoteSchema).default([]),
    places: z.array(text).default([]),
  })
  .strict();

export const briefingSchema = z
  .object({
    $schema: z.string().optional(),
    meta: metaSchema,
    summary: z
      .object({
        headline: text,
        points: z.array(text).default([]),
        soWhat: text.optional().describe('The one conclusion a reader should take away.'),
      })
      .strict(),
    sections: z.record(z.string().regex(/^[a-z][a-zA-Z0-9-]*$/), sectionSchema),
  })
  .strict();

export type Briefing = z.output<typeof briefingSchema>;
export type BriefingInput = z.input<typeof briefingSchema>;
export type Section = z.output<typeof sectionSchema>;
export type Item = z.output<typeof itemSchema>;
export type Metric = z.output<typeof metricSchema>;
