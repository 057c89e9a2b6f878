import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/**
 * Every deck briefgen ships (every report, audience and language) measured in the browser: no
 * slide may overflow, even after fitting, and no deck may run over its slide budget. Measure-only
 * (`briefgen validate`): no PDF or PNG, to stay fast.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Measured {
  ok: boolean;
  decks: Array<{ key: string; slides: number; fit: { fitted: Array<{ slide: number; scale: number }>; overflows: unknown[] } }>;
  warnings: Array<{ code: string; deck: string; slide?: number; message: string }>;
}

describe('the shipped decks', () => {
  it('have no overflow and stay within their slide budgets, in every language', async () => {
    const t = testdir({});
    try {
      const result = await runCli(['validate', '--audience', 'all', '--lang', 'all', '--data', `${root}content`, '--templates', `${root}templates`, '--strict', '--json'], { cwd: t.dir });
      const measured = JSON.parse(result.stdout) as Measured;
      expect(measured.warnings.map((w) => `${w.deck}${w.slide ? ` slide ${w.slide}` : ''}: [${w.code}] ${w.message}`)).toEqual([]);
      expect(result.code, result.stderr).toBe(0);
      // The china-ai-2024 report has both languages and every audience of its own.
      const keys = measured.decks.map((d) => d.key);
      for (const audience of ['exec', 'industry', 'policy', 'public', 'trends']) {
        for (const lang of ['zh', 'en']) expect(keys).toContain(`china-ai-2024/${lang}/${audience}`);
      }
      for (const deck of measured.decks) expect(deck.fit.overflows, deck.key).toEqual([]);
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
