import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as api from '../src/index.js';
import { testdir } from './support/testdir.js';

describe('programmatic API (package.json "main" and "exports")', () => {
  it('points main, types and the exports map at the built entry of src/index.ts', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { main: string; types: string; exports: Record<string, unknown> };
    expect(pkg.main).toBe('./dist/index.js');
    expect(pkg.types).toBe('./dist/index.d.ts');
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  });

  it('builds a deck as Markdown without a browser (HTML is measured in one), and throws typed errors', async () => {
    const t = testdir({});
    try {
      const options = api.resolveBuildOptions({ data: ['test/fixtures/data/minimal.yaml'], out: t.path('out'), format: 'md', cache: false }, process.cwd(), {});
      const result = await api.build(options);
      expect(result.browserStarted).toBe(false);
      expect(result.decks.map((d) => d.key)).toEqual(['minimal/en/exec']);
      const bad = api.resolveBuildOptions({ audience: 'nobody', out: t.path('out') }, process.cwd(), {});
      const error = await api.build(bad).catch((e: unknown) => e);
      expect(api.isBriefgenError(error)).toBe(true);
      expect((error as api.BriefgenError).exitCode).toBe(api.ExitCode.badInput);
    } finally {
      t.cleanup();
    }
  });
});
