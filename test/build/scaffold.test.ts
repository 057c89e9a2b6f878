import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { reportIdOf } from '../../src/build/scaffold.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('reportIdOf', () => {
  it.each([
    ['my-report', 'my-report'],
    ['My Report 2026', 'my-report-2026'],
    ['  Café · Q3  ', 'cafe-q3'],
    ['报告', 'new-report'],
    ['x'.repeat(100), 'x'.repeat(80)],
  ])('%s → %s', (name, id) => expect(reportIdOf(name)).toBe(id));
});

describe('briefgen init [folder]', () => {
  const t = testdir({});
  afterAll(() => t.cleanup());

  it('writes content/<id>/en.yaml whose schema line points at the schema, and nothing else', async () => {
    const run = await runCli(['init', 'quarterly'], { cwd: t.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(t.path('quarterly'), { recursive: true }).map(String).sort()).toEqual(['content', 'content/quarterly', 'content/quarterly/en.yaml']);
    const text = readFileSync(t.path('quarterly/content/quarterly/en.yaml'), 'utf8');
    const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)![1]!;
    expect(resolve(dirname(t.path('quarterly/content/quarterly/en.yaml')), schema)).toBe(join(repo, 'schema', 'briefing.schema.json'));
    expect(text).toMatch(/^ {2}id: quarterly$/m);
    // One section of each kind of content.
    for (const kind of ['lead', 'items', 'metrics', 'timeline', 'groups', 'places', 'quotes']) expect(text, kind).toMatch(new RegExp(`^ {4}${kind}:`, 'm'));
  });

  it('the new report in both languages builds every audience with --strict, measured in the browser', async () => {
    const made = await runCli(['init', 'both', '--lang', 'en,zh'], { cwd: t.dir });
    expect(made.code, made.stderr).toBe(0);
    const build = await runCli(['-a', 'all', '-f', 'html', '--strict', '--no-cache', '--json'], { cwd: t.path('both') });
    expect(build.code, build.stderr).toBe(0);
    const summary = JSON.parse(build.stdout) as { decks: Array<{ key: string; fit?: unknown }>; warnings: unknown[] };
    expect(summary.warnings).toEqual([]);
    expect(summary.decks).toHaveLength(12);
    expect(summary.decks.every((d) => d.fit !== undefined)).toBe(true);
  }, 180_000);

  it('refuses to write over an existing report, changing nothing (exit 2)', async () => {
    const file = t.path('quarterly/content/quarterly/en.yaml');
    const before = statSync(file).mtimeMs;
    const again = await runCli(['init', 'quarterly', '--lang', 'en,zh'], { cwd: t.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/1 of the files to write already exist in .*quarterly: content\/quarterly\/en\.yaml/);
    expect(statSync(file).mtimeMs).toBe(before);
    expect(existsSync(t.path('quarterly/content/quarterly/zh.yaml'))).toBe(false);
  });

  it('a language the scaffold does not have is exit 2, naming those it has', async () => {
    const run = await runCli(['init', 'french', '--lang', 'fr'], { cwd: t.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no scaffold in language "fr"[\s\S]*languages: en, zh/);
    expect(existsSync(t.path('french'))).toBe(false);
  });
});

describe('briefgen eject templates [folder]', () => {
  const t = testdir({ 'content/note/en.yaml': readFileSync(join(repo, 'test/fixtures/reports/minimal/en.yaml'), 'utf8') });
  afterAll(() => t.cleanup());

  it('copies every shipped template file, and a build there uses the copy', async () => {
    const run = await runCli(['eject', 'templates'], { cwd: t.dir });
    expect(run.code, run.stderr).toBe(0);
    const shipped = readdirSync(join(repo, 'templates'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(join(repo, 'templates').length + 1)).sort();
    const copied = readdirSync(t.path('templates'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(t.path('templates').length + 1)).sort();
    expect(copied).toEqual(shipped);
    for (const file of shipped) expect(readFileSync(t.path(`templates/${file}`)), file).toEqual(readFileSync(join(repo, 'templates', file)));
    // Edit the copy: the next build shows the edit, so it reads the project's templates/.
    const cover = t.path('templates/partials/cover.hbs');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(cover, readFileSync(cover, 'utf8').replace('# {{meta.title}}', '# {{meta.title}} (ejected)'));
    const build = await runCli(['-f', 'md', '--no-cache', '-q'], { cwd: t.dir });
    expect(build.code, build.stderr).toBe(0);
    expect(readFileSync(t.path('out/tiny-note/en/exec/tiny-note-en-exec.md'), 'utf8')).toContain('(ejected)');
  }, 60_000);

  it('refuses to eject over an existing copy (exit 2)', async () => {
    const again = await runCli(['eject', 'templates'], { cwd: t.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist/);
    expect((await runCli(['eject', 'themes'], { cwd: t.dir })).code).toBe(2);
  });
});
