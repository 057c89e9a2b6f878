import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { allowedRootsFor, checkDataPaths, loadInputs, trackData } from '../../src/build/inputs.js';
import { BriefgenError } from '../../src/errors.js';
import { minimalTemplates, testdir } from '../support/testdir.js';

const minimal = readFileSync(new URL('../fixtures/data/minimal.yaml', import.meta.url), 'utf8');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('loadInputs', () => {
  it('reads the templates folder and every data file once, and names the folders decks may load from', async () => {
    const t = testdir({ ...minimalTemplates, 'data/a/en.yaml': minimal, 'data/a/zh.yaml': minimal.replace('language: en', 'language: zh') });
    cleanup = t.cleanup;
    const inputs = await loadInputs({ data: [t.path('data')], templatesDir: t.path('templates'), projectRoot: t.dir });
    expect([...inputs.templates.audiences.keys()]).toEqual(['brief']);
    expect(inputs.reports.map((r) => `${r.id}/${r.language}`)).toEqual(['minimal/en', 'minimal/zh']);
    expect(inputs.allowedRoots).toEqual([t.dir, t.path('templates')]);
    expect(allowedRootsFor('/p', '/p/templates', ['/p/data/a.yaml', '-', '/q/b.json'])).toEqual(['/p', '/p/templates', '/p/data', '/q']);
  });

  it('refuses two files defining one report in one language, naming both', async () => {
    const t = testdir({ ...minimalTemplates, 'data/one.yaml': minimal, 'data/two.yaml': minimal });
    cleanup = t.cleanup;
    const error = (await loadInputs({ data: [t.path('data')], templatesDir: t.path('templates'), projectRoot: t.dir }).catch((e: unknown) => e)) as BriefgenError;
    expect(error).toBeInstanceOf(BriefgenError);
    expect(error.message).toBe('report "minimal" in language "en" is defined twice');
    expect(error.location?.file).toBe(t.path('data/two.yaml'));
    expect(error.hint).toBe(`the other definition is in ${t.path('data/one.yaml')}`);
  });
});

describe('checkDataPaths', () => {
  it('fails with the build\'s own message for a path that does not exist', async () => {
    const error = (await checkDataPaths(['/nowhere/at/all.yaml']).catch((e: unknown) => e)) as BriefgenError;
    expect(error.code).toBe('E_USAGE');
    expect(error.message).toMatch(/^data not found: /);
  });
});

describe('trackData', () => {
  it('keeps the last good report of a broken file, reports the problem, and rereads only what changed', async () => {
    const t = testdir({ 'data/en.yaml': minimal, 'data/zh.yaml': minimal.replace('language: en', 'language: zh') });
    cleanup = t.cleanup;
    const data = trackData([t.path('data')]);
    expect(await data.reload('all')).toBe(2);
    expect(data.current().reports.map((r) => r.language)).toEqual(['en', 'zh']);
    expect(data.covers(t.path('data/en.yaml'))).toBe(true);
    expect(data.covers(t.path('elsewhere.yaml'))).toBe(false);

    writeFileSync(t.path('data/en.yaml'), minimal.replace('title: Minimal report', 'title: [unclosed'));
    expect(await data.reload(new Set([t.path('data/en.yaml')]))).toBe(1);
    const broken = data.current();
    expect(broken.reports.map((r) => r.briefing.meta.title)).toEqual(['Minimal report', 'Minimal report']);
    expect(broken.problems.map((p) => [p.source, p.error.code])).toEqual([[`data:${t.path('data/en.yaml')}`, 'E_DATA_PARSE']]);

    writeFileSync(t.path('data/zh.yaml'), minimal);
    await data.reload(new Set([t.path('data/zh.yaml')]));
    expect(data.current().problems.map((p) => p.error.message)).toContain('report "minimal" in language "en" is defined twice');

    // A folder that vanished (perhaps mid-move) is a problem of its own; its reports stay in use.
    rmSync(t.path('data'), { recursive: true });
    await data.reload('all');
    const gone = data.current();
    expect(gone.problems[0]!.source).toBe('data');
    expect(gone.problems[0]!.error.message).toMatch(/^data not found: /);
    expect(gone.reports).toHaveLength(1);
  });
});
