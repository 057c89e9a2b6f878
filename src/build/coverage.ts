import { kindsOf } from '../data/roles.js';
import type { DeckCoverage, DeckResult, LoadedReport, ReportCoverage } from './types.js';

export type { ReportCoverage };

/** Every data path a report has that a deck can show: its sections, their entries, the summary's points. */
export function dataPaths(report: LoadedReport): { sections: string[]; entries: string[] } {
  const sections: string[] = [];
  const entries: string[] = [];
  for (const [key, section] of Object.entries(report.briefing.sections)) {
    sections.push(`sections.${key}`);
    for (const kind of kindsOf(section)) {
      if (kind === 'text') continue;
      const list = (section as unknown as Record<string, unknown[]>)[kind]!;
      list.forEach((_, i) => entries.push(`sections.${key}.${kind}[${i}]`));
    }
  }
  report.briefing.summary.points.forEach((_, i) => entries.push(`summary.points[${i}]`));
  return { sections, entries };
}

/**
 * Pure: per report and language, what the run's decks show of it together and what none of them
 * shows, with the reasons. A section no deck shows is listed once, not each of its entries.
 */
export function reportCoverage(reports: readonly LoadedReport[], decks: ReadonlyArray<Pick<DeckResult, 'key' | 'report' | 'language'> & { coverage?: DeckCoverage }>): ReportCoverage[] {
  const out: ReportCoverage[] = [];
  for (const report of reports) {
    const mine = decks.filter((d) => d.report === report.id && d.language === report.language && d.coverage);
    if (mine.length === 0) continue;
    const shown = new Set(mine.flatMap((d) => d.coverage!.shown));
    const { sections, entries } = dataPaths(report);
    const reasons = (path: string) => [...new Set(mine.flatMap((d) => d.coverage!.omitted.filter((o) => o.path === path || path.startsWith(`${o.path}.`) || path.startsWith(`${o.path}[`)).map((o) => `${d.key.split('/').at(-1)} ${o.reason}`)))];
    const unused: ReportCoverage['unused'] = [];
    for (const path of sections) if (!shown.has(path)) unused.push({ path, reasons: reasons(path) });
    const unusedSections = new Set(unused.map((u) => u.path));
    for (const path of entries) {
      if (shown.has(path) || [...unusedSections].some((s) => path.startsWith(`${s}.`))) continue;
      unused.push({ path, reasons: reasons(path) });
    }
    out.push({
      report: report.id,
      language: report.language,
      decks: mine.map((d) => d.key).sort(),
      sections: { total: sections.length, shown: sections.filter((p) => shown.has(p)).length },
      entries: { total: entries.length, shown: entries.filter((p) => shown.has(p)).length },
      unused,
    });
  }
  return out;
}

/** One line a person reads: `china-ai-2024/en: all 9 sections and 61 entries are on slides`. */
export function describeCoverage(c: ReportCoverage): string[] {
  const head = `${c.report}/${c.language}`;
  if (c.unused.length === 0) return [`coverage: ${head}: all ${c.sections.total} sections and ${c.entries.total} entries are on slides (${c.decks.length} deck${c.decks.length === 1 ? '' : 's'})`];
  return [
    `coverage: ${head}: ${c.sections.shown} of ${c.sections.total} sections and ${c.entries.shown} of ${c.entries.total} entries are on slides; not shown by any deck of this run:`,
    ...c.unused.map((u) => `  ${u.path}: ${u.reasons.join('; ') || 'no deck picks it'}`),
  ];
}
