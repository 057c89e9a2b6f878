import { afterEach, describe, expect, it } from 'vitest';
import { mergeRenderSettings, readThemeFiles } from '../../src/build/render-settings.js';
import { isBriefgenError } from '../../src/errors.js';
import { testdir } from '../support/testdir.js';

describe('render settings: flags over the Marp config file over the defaults', () => {
  const config = { file: '/p/.marprc.yml', ignored: [], html: false, allowLocalFiles: true, theme: 'gaia', themeSet: ['/p/themes'], lang: 'ja', description: 'About it' };

  it.each([
    ['nothing given', {}, undefined, { themeFiles: [], allowLocalFiles: false, imageScale: 1 }],
    ['the config alone', {}, config, { themeFiles: ['/p/themes'], theme: { name: 'gaia' }, html: false, allowLocalFiles: true, lang: 'ja', meta: { description: 'About it' } }],
    ['flags over it', { html: true, allowLocalFiles: false, theme: 'uncover', themeSet: ['t'] }, config, { themeFiles: ['/cwd/t'], theme: { name: 'uncover' }, html: true, allowLocalFiles: false }],
    ['a --theme that is a CSS file', { theme: 'x/my.css' }, undefined, { theme: { file: '/cwd/x/my.css' } }],
  ])('%s', (_name, flags, file, expected) => {
    expect(mergeRenderSettings(flags, file, '/cwd')).toMatchObject(expected);
  });
});

describe('theme sets', () => {
  let t: ReturnType<typeof testdir> | undefined;
  afterEach(() => t?.cleanup());

  it('reads files, and folders at any depth, each theme named by its @theme comment', async () => {
    t = testdir({ 'themes/a.css': '/* @theme alpha */', 'themes/deep/b.css': '/*\n * @theme beta\n */', 'themes/notes.txt': 'no', 'one.css': '/* @theme one */' });
    const themes = await readThemeFiles([t.path('themes'), t.path('one.css')], '--theme-set');
    expect(themes.map((theme) => theme.name)).toEqual(['alpha', 'beta', 'one']);
  });

  it.each([
    ['a path that does not exist', 'missing', /theme set .*missing does not exist/],
    ['a folder with no CSS', 'empty', /theme set .*empty holds no \.css file/],
  ])('refuses %s (exit 2) instead of rendering the default theme', async (_name, path, message) => {
    t = testdir({ 'empty/readme.txt': 'nothing' });
    const error = await readThemeFiles([t.path(path)], '--theme-set').catch((e: unknown) => e);
    expect(isBriefgenError(error) && error.exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });
});
