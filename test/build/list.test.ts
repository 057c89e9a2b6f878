import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { listInputs } from '../../src/build/list.js';
import { minimalTemplates, testdir } from '../support/testdir.js';

const minimal = readFileSync(new URL('../fixtures/data/minimal.yaml', import.meta.url), 'utf8');
const t = testdir({
  ...minimalTemplates,
  'templates/audiences/other.yaml': 'description: {en: Needs a landscape}\ndefault: true\ntemplate: brief\ntheme: plain\nrequires: [landscape]\n',
  'data/en.yaml': minimal,
});
afterAll(() => t.cleanup());

describe('listInputs', () => {
  it('describes audiences (default or not, and the reports each fits), languages, themes and reports', async () => {
    const listing = await listInputs({ data: [t.path('data')], templatesDir: t.path('templates'), projectRoot: t.dir });
    expect(listing.audiences).toEqual([
      { name: 'brief', description: 'A short brief', theme: 'plain', maxSlides: 3, default: false, reports: ['minimal'] },
      { name: 'other', description: 'Needs a landscape', theme: 'plain', default: true, reports: [] },
    ]);
    expect(listing.languages).toEqual(['en']);
    expect(listing.themes).toEqual([{ name: 'plain', description: 'Plain test theme' }]);
    expect(listing.reports).toEqual([{ id: 'minimal', title: 'Minimal report', languages: ['en'] }]);
  });
});
