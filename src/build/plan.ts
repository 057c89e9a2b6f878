import { BriefgenError, ErrorCode } from '../errors.js';
import type { AudienceProfile, DeckJob, LoadedReport, Selection, TemplateSet } from './types.js';

/** Which audiences a run means when it names none: those whose profile says `default: true`, else all. */
export function defaultAudiences(templates: TemplateSet): string[] {
  const marked = [...templates.audiences.values()].filter((p) => p.default).map((p) => p.name);
  return (marked.length > 0 ? marked : [...templates.audiences.keys()]).sort();
}

/** Audiences whose required sections the report has. */
export const appliesTo = (profile: AudienceProfile, report: LoadedReport): boolean =>
  profile.requires.every((section) => section in report.briefing.sections);

/**
 * Pure: the (report × language × audience) jobs a run asks for, in a stable order. Names that match
 * nothing are bad input.
 */
export function planDecks(reports: readonly LoadedReport[], templates: TemplateSet, selected: Selection | 'default', languages: Selection): DeckJob[] {
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
  for (const report of selectedReports) {
    for (const name of names) {
      const profile = templates.audiences.get(name)!;
      if (!appliesTo(profile, report)) continue;
      jobs.push({ report, profile, key: `${report.id}/${report.language}/${name}` });
    }
  }
  if (audiences !== 'all') {
    for (const name of audiences) {
      if (!jobs.some((job) => job.profile.name === name)) {
        const profile = templates.audiences.get(name)!;
        throw new BriefgenError(ErrorCode.unknownAudience, `audience "${name}" needs the sections ${profile.requires.join(', ')}, which the selected data does not have`, {
          location: { file: profile.file, dataPath: 'requires' },
          hint: `pick an audience for this data; see \`briefgen list\``,
        });
      }
    }
  }
  return jobs;
}
