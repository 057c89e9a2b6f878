import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../../src/build/validate.js';
import { minimalTemplates, testdir } from '../support/testdir.js';

const minimal = readFileSync(new URL('../fixtures/data/minimal.yaml', import.meta.url), 'utf8');
const t = testdir({ ...minimalTemplates, 'data/en.yaml': minimal, 'data/zh.yaml': minimal.replace('language: en', 'language: zh') });
afterAll(() => t.cleanup());
const options = { data: [t.path('data')], templatesDir: t.path('templates'), projectRoot: t.dir, outDir: t.path('out'), audiences: 'default' as const, languages: 'all' as const };

describe('validate', () => {
  it('without the browser: every deck composed and rendered, with its slide count and budget', async () => {
    const { decks } = await validate({ ...options, measure: false });
    expect(decks.map((d) => [d.key, d.slides, d.maxSlides, d.artifacts.length, d.fit])).toEqual([
      ['minimal/en/brief', 2, 3, 0, undefined],
      ['minimal/zh/brief', 2, 3, 0, undefined],
    ]);
  });

  it('in the browser: every slide measured as a build would, and nothing written', async () => {
    const { decks } = await validate(options);
    expect(decks.map((d) => d.key)).toEqual(['minimal/en/brief', 'minimal/zh/brief']);
    for (const deck of decks) {
      expect(deck.fit).toEqual({ minScale: 0.75, fitted: [], splits: [], overflows: [], breaks: [] });
      expect(deck.warnings).toEqual([]);
    }
    expect(existsSync(t.path('out'))).toBe(false);
  });
});
