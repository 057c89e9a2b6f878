import { roleOf } from '../data/roles.js';
import { BriefgenError, ErrorCode } from '../errors.js';
import type { AudienceProfile, DeckJob, LoadedReport, Selection, SkippedDeck, TemplateSet } from './types.js';

/** Which audiences a run means when it names none: those whose profile says `default: true`, else all. */
export function defaultAudiences(templates: TemplateSet): string[] {
  const marked = [...templates.audiences.values()].filter((p) => p.default).map((p) => p.name);
  return (marked.length > 0 ? marked : [...templates.audiences.keys()]).sort();
}

/** What an audience's profile requires (section keys or roles) that a report does not have. */
export function missingFor(profile: AudienceProfile, report: LoadedReport): string[] {
  const sections = Object.entries(report.briefing.sections);
  const has = (name: string) => sections.some(([key, section]) => key === name || roleOf(key, section) === name);
  return profile.requires.filter((name) => !has(name));
}

/** Audiences whose requirements the report meets (every shipped audience needs nothing). */
export const appliesTo = (profile: AudienceProfile, report: LoadedReport): boolean => missingFor(profile, report).length === 0;

export interface DeckPlanResult {
  jobs: DeckJob[];
  skipped: SkippedDeck[];
}

/**
 * Pure: the (report × language × audience) jobs a run asks for, in a stable order, and those it
 * skips because a report lacks what an audience requires. Names that match nothing are bad input,
 * and so is an audience asked for by name that fits none of the selected data.
 */
export function planRun(reports: readonly LoadedReport[], templates: TemplateSet, selected: Selection | 'default', languages: Selection): DeckPlanResult {
  const known = [...templates.audiences.keys()].sort();
  const audiences = selected === 'default' ? defaultAudiences(templates) : selected;
  if (audiences !== 'all') {
    for (const name of audiences) {
      if (!templates.audiences.has(name)) {
        throw new BriefgenError(ErrorCode.unknownAudience, `unknown audience "${name}"`, {
          hint: `audiences available: ${known.join(', ')} (or all); see \`briefgen list\``,
        });
      }
    }
  }
  const availableLanguages = [...new Set(reports.map((r) => r.language))].sort();
  if (languages !== 'all') {
    for (const lang of languages) {
      if (!availableLanguages.includes(lang)) {
        throw new BriefgenError(ErrorCode.unknownLanguage, `no data in language "${lang}"`, {
          hint: `languages available: ${availableLanguages.join(', ')}`,
        });
      }
    }
  }
  const selectedReports = reports
    .filter((report) => languages === 'all' || languages.includes(report.language))
    .sort((a, b) => a.id.localeCompare(b.id) || a.language.localeCompare(b.language));
  const names = audiences === 'all' ? known : [...audiences];
  const jobs: DeckJob[] = [];
  const skipped: SkippedDeck[] = [];
  for (const report of selectedReports) {
    for (const name of names) {
      const profile = templates.audiences.get(name)!;
      const key = `${report.id}/${report.language}/${name}`;
      const missing = missingFor(profile, report);
      if (missing.length > 0) skipped.push({ key, missing });
      else jobs.push({ report, profile, key });
    }
  }
  if (selected !== 'all') {
    for (const name of names) {
      if (jobs.some((job) => job.profile.name === name)) continue;
      const profile = templates.audiences.get(name)!;
      const lacking = [...new Set(skipped.filter((s) => s.key.endsWith(`/${name}`)).flatMap((s) => s.missing))];
      throw new BriefgenError(ErrorCode.unknownAudience, `audience "${name}" needs ${lacking.map((m) => `"${m}"`).join(', ')}, which the selected data does not have`, {
        location: { file: profile.file, dataPath: 'requires' },
        hint: 'a requirement is a section key or a role (see README, "Data format"); pick another audience, or give the data such a section',
      });
    }
  }
  return { jobs, skipped };
}

/** The jobs of a run (see {@link planRun}), without the skipped ones. */
export const planDecks = (reports: readonly LoadedReport[], templates: TemplateSet, selected: Selection | 'default', languages: Selection): DeckJob[] =>
  planRun(reports, templates, selected, languages).jobs;
