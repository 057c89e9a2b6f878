import { loadInputs } from './inputs.js';
import { appliesTo } from './plan.js';
import type { BuildOptions, StdinReader } from './types.js';

/** What `briefgen list` shows: the audiences (and which reports each fits), languages, themes and reports. */
export interface Listing {
  audiences: Array<{ name: string; description: string; theme: string; maxSlides?: number; default: boolean; reports: string[] }>;
  languages: string[];
  themes: Array<{ name: string; description: string }>;
  reports: Array<{ id: string; title: string; languages: string[] }>;
}

/** Reads the templates and data and describes them; descriptions in English when the data has it. */
export async function listInputs(options: Pick<BuildOptions, 'data' | 'templatesDir' | 'projectRoot' | 'limits'>, readStdin?: StdinReader): Promise<Listing> {
  const { templates, reports } = await loadInputs(options, readStdin);
  const languages = [...new Set(reports.map((r) => r.language))].sort();
  const lang = languages.includes('en') ? 'en' : (languages[0] ?? 'en');
  const audiences = [...templates.audiences.values()].map((p) => ({
    name: p.name,
    description: p.description[lang] ?? Object.values(p.description)[0] ?? '',
    theme: p.theme,
    ...(p.maxSlides !== undefined ? { maxSlides: p.maxSlides } : {}),
    default: p.default,
    reports: [...new Set(reports.filter((r) => appliesTo(p, r, templates)).map((r) => r.id))],
  }));
  const themes = [...templates.themes.values()].map((t) => ({ name: t.name, description: /@description\s+(.+?)\s*(\*\/|\n)/.exec(t.css)?.[1] ?? '' }));
  const reportList = [...new Map(reports.map((r) => [r.id, { id: r.id, title: r.briefing.meta.title, languages: reports.filter((x) => x.id === r.id).map((x) => x.language) }])).values()];
  return { audiences, languages, themes, reports: reportList };
}
