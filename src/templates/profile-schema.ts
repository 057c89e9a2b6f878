import { z } from 'zod';
import { contentKinds, sectionRoles } from '../schema.js';

/**
 * How much of each item a deck shows: `headline` the titles (or first sentence), `summary` the
 * title and text, `full` also the detail.
 */
export const depths = ['headline', 'summary', 'full'] as const;
export type Depth = (typeof depths)[number];

const count = z.number().int().positive();

/** One step of an audience's deck: the sections of some roles, shown at some depth. */
export const profileEntrySchema = z
  .object({
    roles: z.array(z.enum(sectionRoles)).min(1).optional().describe('Sections of these roles, in the order of the data.'),
    rest: z.boolean().optional().describe('Every section no earlier step took (a full briefing ends with this).'),
    sections: count.optional().describe('At most this many sections (the first ones); default all.'),
    kinds: z.array(z.enum(contentKinds)).min(1).optional().describe('Which content of the sections to show; default all of it.'),
    depth: z.enum(depths).default('summary'),
    layout: z.enum(['cards', 'spotlight']).default('cards').describe('Items as a grid of cards, or one slide per item (spotlight).'),
    maxItems: count.optional().describe('Items shown per section; the others are counted ("3 more in the full briefing").'),
    maxSlides: count.optional().describe('Slides per block of content at most.'),
    optional: z.boolean().default(false).describe('Left out (last first) when the deck would be longer than maxSlides.'),
  })
  .strict()
  .refine((entry) => (entry.roles !== undefined) !== (entry.rest === true), { message: 'give either roles or rest: true' });

/** An audience profile: which sections make this audience's deck, how deep, in which words. */
export const audienceProfileSchema = z
  .object({
    description: z.record(z.string(), z.string().min(1)).describe('One line per language code.'),
    default: z.boolean().default(false).describe('Built when a run names no audience (`briefgen` alone).'),
    template: z.string().min(1).default('briefing').describe('Name of a file in templates/decks/ without .hbs.'),
    theme: z.string().min(1).describe('Name of a theme in templates/themes/ (its @theme name).'),
    kicker: z.string().optional().describe('Label key of the line above the cover title (templates/i18n/).'),
    register: z.enum(['standard', 'plain']).default('standard').describe('plain: the data\'s plain wording where it has one (the general public).'),
    summary: z.enum(['points', 'headline', 'none']).default('points').describe('The summary slide: headline and points, headline only, or none.'),
    sections: z.array(profileEntrySchema).default([]).describe('The steps of the deck, in order.'),
    requires: z.array(z.string()).default([]).describe('Roles (or section keys) the data must have for this audience; default none.'),
    maxSlides: count.optional(),
    paginate: z.boolean().default(true),
    footer: z.string().optional().describe('Handlebars text for the footer on every slide.'),
    header: z.string().optional(),
    size: z.string().optional().describe('Marp size preset, e.g. 16:9.'),
    fit: z
      .object({
        minScale: z.number().min(0.3).max(1).optional().describe('Smallest content scale auto-fit may use; default: the theme\'s @fit-min-scale, else 0.75.'),
        auto: z.boolean().optional().describe('false: measure and report overflow, never shrink or re-split.'),
      })
      .strict()
      .default({}),
  })
  .strict();

export type AudienceProfileData = z.output<typeof audienceProfileSchema>;
export type ProfileEntry = z.output<typeof profileEntrySchema>;

/** Fixed labels of one language (`templates/i18n/<lang>.yaml`). */
export const labelsSchema = z.record(z.string(), z.string());
