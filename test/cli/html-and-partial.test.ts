import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('an HTML-only build is fitted and measured like a PDF build', () => {
  const t = testdir({});
  const templates = t.path('templates');
  const data = join(fixtures, 'fit', 'data', 'hostile');
  beforeAll(() => {
    cpSync(join(fixtures, 'fit', 'templates'), templates, { recursive: true });
    mkdirSync(join(templates, 'themes'));
    cpSync(join(repo, 'templates', 'themes', 'briefing.css'), join(templates, 'themes', 'briefing.css'));
  });
  afterAll(() => t.cleanup());

  it('--format html --strict fails on a slide that overflows, naming it, as pdf,html does', async () => {
    const args = ['-a', 'rigid', '-l', 'en', '-d', data, '-t', templates, '--no-cache', '--strict', '--json'];
    const [html, both] = [await runCli([...args, '-f', 'html', '-o', t.path('out-html')], { cwd: t.dir }), await runCli([...args, '-f', 'pdf,html', '-o', t.path('out-both')], { cwd: t.dir })];
    expect(html.code, html.stderr).toBe(1);
    const overflow = (run: typeof html) => (JSON.parse(run.stdout) as { warnings: Array<{ code: string; deck: string; slide?: number }> }).warnings.filter((w) => w.code === 'overflow').map((w) => `${w.deck} slide ${w.slide}`);
    expect(overflow(html)).toEqual(['hostile/en/rigid slide 2']);
    expect(overflow(html)).toEqual(overflow(both));
    // The HTML written is the fitted deck, byte for byte the one the PDF build writes beside its PDF.
    const file = 'hostile/en/rigid/hostile-en-rigid.html';
    expect(readFileSync(t.path(`out-html/${file}`), 'utf8')).toBe(readFileSync(t.path(`out-both/${file}`), 'utf8'));
  }, 120_000);

  it('an HTML-only build shrinks and re-splits what overflows, as a PDF build does', async () => {
    const run = await runCli(['-a', 'hostile', '-l', 'en', '-d', data, '-t', templates, '-f', 'html', '--no-cache', '--json', '-o', t.path('out-fit')], { cwd: t.dir });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { decks: Array<{ fit?: { fitted: unknown[]; splits: unknown[] } }> };
    expect(summary.decks[0]!.fit, 'measured in the browser').toBeDefined();
    expect(summary.decks[0]!.fit!.fitted.length + summary.decks[0]!.fit!.splits.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('a partial build merges into the existing manifest', () => {
  const t = testdir({});
  afterAll(() => t.cleanup());

  it('--data b.yaml after --data a.yaml keeps a in out/manifest.json', async () => {
    const minimal = readFileSync(join(fixtures, 'reports', 'minimal', 'en.yaml'), 'utf8');
    const id = /id: (\S+)/.exec(minimal)![1]!;
    writeFileSync(t.path('a.yaml'), minimal);
    writeFileSync(t.path('b.yaml'), minimal.replace(`id: ${id}`, 'id: other-note'));
    for (const file of ['a.yaml', 'b.yaml']) {
      const run = await runCli(['-d', file, '-f', 'md', '--no-cache', '-o', 'out', '-q'], { cwd: t.dir });
      expect(run.code, run.stderr).toBe(0);
    }
    const manifest = JSON.parse(readFileSync(t.path('out/manifest.json'), 'utf8')) as { decks: Array<{ key: string }> };
    expect(manifest.decks.map((d) => d.key).sort()).toEqual([`${id}/en/exec`, 'other-note/en/exec'].sort());
  });
});
