import { describe, expect, it } from 'vitest';
import { dataPaths, describeCoverage, reportCoverage } from '../../src/build/coverage.js';
import type { LoadedReport } from '../../src/build/types.js';
import { briefingSchema } from '../../src/schema.js';

const report: LoadedReport = {
  id: 'r',
  language: 'en',
  file: 'r.yaml',
  baseDir: '.',
  text: '',
  briefing: briefingSchema.parse({
    meta: { id: 'r', language: 'en', title: 'R', publishers: ['P'], date: '2025' },
    summary: { headline: 'H', points: ['p'] },
    sections: { a: { title: 'A', items: [{ title: 'x' }, { title: 'y' }] }, b: { title: 'B', lead: 'L' }, c: { title: 'C', places: ['Oslo'] } },
  }),
};

describe('reportCoverage', () => {
  it('lists every path of a report a deck can show', () => {
    expect(dataPaths(report)).toEqual({ sections: ['sections.a', 'sections.b', 'sections.c'], entries: ['sections.a.items[0]', 'sections.a.items[1]', 'sections.c.places[0]', 'summary.points[0]'] });
  });

  it('unites what the decks show, and lists what none shows once, with every deck\'s reason', () => {
    const decks = [
      { key: 'r/en/exec', report: 'r', language: 'en', coverage: { shown: ['sections.a', 'sections.a.items[0]', 'summary.points[0]'], omitted: [{ path: 'sections.a.items[1]', reason: 'shows the first entry' }, { path: 'sections.c', reason: 'shows no context sections' }, { path: 'sections.b', reason: 'shows no context sections' }] } },
      { key: 'r/en/trends', report: 'r', language: 'en', coverage: { shown: ['sections.b'], omitted: [{ path: 'sections.c', reason: 'leaves it out to stay within 8 slides' }] } },
    ];
    const [c] = reportCoverage([report], decks);
    expect(c).toMatchObject({ report: 'r', language: 'en', decks: ['r/en/exec', 'r/en/trends'], sections: { total: 3, shown: 2 }, entries: { total: 4, shown: 2 } });
    expect(c!.unused).toEqual([
      { path: 'sections.c', reasons: ['exec shows no context sections', 'trends leaves it out to stay within 8 slides'] },
      { path: 'sections.a.items[1]', reasons: ['exec shows the first entry'] },
    ]);
    expect(describeCoverage(c!)[0]).toBe('coverage: r/en: 2 of 3 sections and 2 of 4 entries are on slides; not shown by any deck of this run:');
  });
});
