import { describe, expect, it } from 'vitest';
import { planDecks } from '../../src/build/plan.js';
import type { LoadedReport } from '../../src/data/load-reports.js';
import type { AudienceProfile, TemplateSet } from '../../src/templates/load-template-set.js';
import { briefingSchema } from '../../src/schema.js';
import { BriefgenError } from '../../src/errors.js';

const report = (id: string, language: string, sections: string[]): LoadedReport => ({
  id,
  language,
  file: `${id}.${language}.yaml`,
  baseDir: '.',
  text: '',
  briefing: briefingSchema.parse({
    meta: { id, language, title: id, publishers: ['P'], date: '2024' },
    summary: { headline: 'H' },
    sections: Object.fromEntries(sections.map((s) => [s, { title: s }])),
  }),
});

const profile = (name: string, requires: string[]): AudienceProfile =>
  ({ name, file: `${name}.yaml`, requires, description: {}, template: name, theme: 't', paginate: true, fit: { minScale: 0.75 } }) as AudienceProfile;

const templates = { audiences: new Map([['exec', profile('exec', ['trends'])], ['release', profile('release', ['highlights'])]]) } as TemplateSet;
const reports = [report('ai', 'zh', ['trends']), report('ai', 'en', ['trends']), report('rel', 'en', ['highlights'])];

describe('planDecks', () => {
  it('crosses reports, languages and the audiences that apply, in a stable order', () => {
    expect(planDecks(reports, templates, 'all', 'all').map((j) => j.key)).toEqual(['ai/en/exec', 'ai/zh/exec', 'rel/en/release']);
  });

  it('filters by language and audience', () => {
    expect(planDecks(reports, templates, ['exec'], ['zh']).map((j) => j.key)).toEqual(['ai/zh/exec']);
  });

  it.each([
    [['nope'], 'all', 'E_UNKNOWN_AUDIENCE', /unknown audience "nope"/],
    ['all', ['fr'], 'E_UNKNOWN_LANGUAGE', /no data in language "fr"/],
    [['release'], ['zh'], 'E_UNKNOWN_AUDIENCE', /audience "release" needs "highlights", which the selected data does not have/],
  ] as const)('rejects audiences %j with languages %j', (audiences, languages, code, message) => {
    let error: unknown;
    try {
      planDecks(reports, templates, audiences, languages);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BriefgenError);
    expect((error as BriefgenError).code).toBe(code);
    expect((error as BriefgenError).exitCode).toBe(2);
    expect((error as BriefgenError).message).toMatch(message);
  });
});
