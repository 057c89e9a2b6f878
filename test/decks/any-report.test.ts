import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/**
 * Reports of shapes the shipped audiences were not made for (test/fixtures/reports/): a logistics
 * review in two languages, a quarterly review of numbers, a Chinese public-health report with a
 * long timeline and no landscape, a note of two sections. Every shipped audience builds each one,
 * in the browser, under --strict: no overflow, no word broken across lines, no empty or repeated
 * slide, every deck within its budget; and the decks together show every section and entry.
 */
const fixtures = fileURLToPath(new URL('../fixtures/reports/', import.meta.url));
const t = testdir({});
afterAll(() => t.cleanup());

interface Summary {
  ok: boolean;
  decks: Array<{ key: string; slides: number; warnings: unknown[] }>;
  warnings: Array<{ code: string; deck: string; slide?: number; message: string }>;
  coverage: Array<{ report: string; language: string; decks: string[]; unused: Array<{ path: string }>; sections: { total: number; shown: number } }>;
  skipped: unknown[];
}
let summary: Summary;
let code: number;
let stderr: string;

beforeAll(async () => {
  const result = await runCli(['build', '--data', fixtures, '-a', 'all', '--lang', 'all', '-f', 'pdf,md', '--strict', '--json', '--no-cache', '-o', t.path('out')]);
  code = result.code;
  stderr = result.stderr;
  summary = JSON.parse(result.stdout) as Summary;
}, 240_000);

describe('any report, every audience', () => {
  it('builds every audience of every fixture report under --strict, with no warning and none skipped', () => {
    expect(summary.warnings.map((w) => `${w.deck} ${w.slide ?? ''} [${w.code}] ${w.message}`), stderr).toEqual([]);
    expect(code).toBe(0);
    expect(summary.skipped).toEqual([]);
    const reports = readdirSync(fixtures).length;
    expect(summary.decks).toHaveLength((reports + 1) * 6);
  });

  it('shows, across the audiences, every section and every entry of each report', () => {
    expect(summary.coverage).toHaveLength(readdirSync(fixtures).length + 1);
    for (const c of summary.coverage) {
      expect(c.decks, c.report).toHaveLength(6);
      expect(c.unused, `${c.report}/${c.language}`).toEqual([]);
      expect(c.sections.shown).toBe(c.sections.total);
    }
  });
});
