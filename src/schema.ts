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
    author: text.optional().describe('Who wrote the source, e.g. the reporter of an article.'),
    place: text.optional().describe('Where it was written or datelined.'),
    date: isoDate.optional(),
    posted: isoDate.optional().describe('When it was published online, if not its date.'),
    url: z.string().url().optional(),
  })
  .strict();

/**
 * What a section is for in a briefing. Audiences pick sections by role, so any report whose
 * sections say what they are yields every audience's deck. A section without a role takes the one
 * its key names (a section `challenges` is role `challenges`), else one from its content.
 */
export const sectionRoles = ['context', 'findings', 'metrics', 'timeline', 'landscape', 'case', 'voices', 'challenges', 'trends', 'recommendations', 'appendix'] as const;
export type SectionRole = (typeof sectionRoles)[number];

/** Kinds of content a section can hold (`text` is its lead alone); each has its own layout. */
export const contentKinds = ['text', 'items', 'metrics', 'timeline', 'groups', 'places', 'quotes'] as const;
export type ContentKind = (typeof contentKinds)[number];

export const metaSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase slug such as china-ai-2024')
      .max(80, 'at most 80 characters (it names folders and files)')
      .describe('Stable identifier, used in output paths.'),
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

const attribution = text.optional().describe('Who says this, when it is not the report itself (a person, another source); decks name them.');

export const itemSchema = z
  .object({
    id: text.optional(),
    title: text.optional().describe('A short name for the item; an item may be only a text.'),
    text: text.optional(),
    detail: text.optional().describe('Longer explanation for audiences that want depth.'),
    plain: text.optional().describe('Plain-language version for the general public.'),
    tags: z.array(text).default([]),
    attribution,
    notes: text.optional().describe('Speaker notes.'),
  })
  .strict()
  .refine((item) => item.title !== undefined || item.text !== undefined, { message: 'an item needs a title or a text' });

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
    change: z.union([z.number(), text]).optional().describe('The change itself, when there is no previous value: a number in the unit of the value (+3, -0.5), or a text shown as written ("+12 %").'),
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
    paraphrase: z.boolean().default(false).describe('The source reports what was said, not the words: shown as "X said …", without quotation marks.'),
  })
  .strict();

export const sectionSchema = z
  .object({
    role: z.enum(sectionRoles).optional().describe('What the section is for (see sectionRoles); default: the role its key names, else one from its content.'),
    title: text.describe('The topic, e.g. "Challenges": shown small, above the headline.'),
    headline: text.optional().describe('The point of the section in one sentence: the title of its slides.'),
    lead: text.optional().describe('One or two sentences that open the section.'),
    plain: text.optional().describe('The lead in plain words, for the general public.'),
    attribution,
    exhaustive: z.boolean().default(true).describe('false: the lists are examples the source gives, not all there are (no counts; "among others").'),
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
export type Quote = z.output<typeof quoteSchema>;
export type TimelineEvent = z.output<typeof eventSchema>;
export type Group = z.output<typeof groupSchema>;
