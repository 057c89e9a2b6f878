import { z } from 'zod';

/** An audience profile: which template, theme and sections make this audience's deck. */
export const audienceProfileSchema = z
  .object({
    description: z.record(z.string(), z.string().min(1)).describe('One line per language code.'),
    default: z.boolean().default(false).describe('Built when a run names no audience (`briefgen` alone).'),
    template: z.string().min(1).describe('Name of a file in templates/decks/ without .hbs.'),
    theme: z.string().min(1).describe('Name of a theme in templates/themes/ (its @theme name).'),
    requires: z.array(z.string()).default([]).describe('Sections the data must have for this audience.'),
    maxSlides: z.number().int().positive().optional(),
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

/** Fixed labels of one language (`templates/i18n/<lang>.yaml`). */
export const labelsSchema = z.record(z.string(), z.string());
