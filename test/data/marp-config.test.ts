import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findMarpConfig, readMarpConfig } from '../../src/data/marp-config.js';
import { isBriefgenError } from '../../src/errors.js';
import { testdir } from '../support/testdir.js';

describe('Marp config files', () => {
  let t: ReturnType<typeof testdir> | undefined;
  afterEach(() => t?.cleanup());

  it('finds the one Marp CLI would use in the working folder, package.json only with a "marp" key', () => {
    t = testdir({ 'package.json': '{"name": "x"}', '.marprc.yml': 'html: true\n', 'marp.config.mjs': 'export default {}' });
    expect(findMarpConfig(t.dir)).toBe(t.path('.marprc.yml'));
    t.cleanup();
    t = testdir({ 'package.json': '{"name": "x", "marp": {"html": true}}', '.marprc.yml': 'html: false\n' });
    expect(findMarpConfig(t.dir)).toBe(t.path('package.json'));
    t.cleanup();
    t = testdir({ 'deck.md': '# x' });
    expect(findMarpConfig(t.dir)).toBeUndefined();
  });

  it('reads the options render uses, paths resolved against the file, unknown keys listed', async () => {
    t = testdir({ 'conf/.marprc.yml': 'allowLocalFiles: true\nlang: ja\nhtml: true\ntheme: pwr\nthemeSet: ./themes\noptions:\n  markdown:\n    breaks: true\nengine: ./engine.js\nbespoke:\n  progress: true\ntypo: 1\n' });
    const config = await readMarpConfig(t.path('conf/.marprc.yml'));
    expect(config).toMatchObject({ allowLocalFiles: true, lang: 'ja', html: true, theme: 'pwr', themeSet: [join(t.dir, 'conf/themes')], options: { markdown: { breaks: true } } });
    expect(config.ignored).toEqual(['engine', 'typo']);
  });

  it('takes a theme that is a CSS file as a path, and a JavaScript config as a module', async () => {
    t = testdir({ 'marp.config.mjs': "export default { theme: './my.css', themeSet: ['a', 'b'] };\n", 'my.css': '/* @theme my */' });
    const config = await readMarpConfig(t.path('marp.config.mjs'));
    expect(config.theme).toBe(t.path('my.css'));
    expect(config.themeSet).toEqual([t.path('a'), t.path('b')]);
  });

  it.each([
    ['themeSet: 3\n', 'themeSet: expected a path or a list of paths, got number'],
    ['html: yes please\n', 'html: expected true, false or an allowlist of tags, got string'],
    ['- a\n- b\n', 'a Marp config must be a mapping of options, got list'],
    ['imageScale: 0\n', 'imageScale: expected a number above 0, at most 10, got number'],
  ])('refuses %j with a message naming the file and the key, exit 2', async (yaml, message) => {
    t = testdir({ '.marprc.yml': yaml });
    const error = await readMarpConfig(t.path('.marprc.yml')).catch((e: unknown) => e);
    expect(isBriefgenError(error) && error.message).toBe(message);
    expect(isBriefgenError(error) && [error.exitCode, error.location?.file]).toEqual([2, t.path('.marprc.yml')]);
  });

  it('names the line of a YAML error', async () => {
    t = testdir({ '.marprc.yml': 'html: true\ntheme: [unclosed\n' });
    const error = await readMarpConfig(t.path('.marprc.yml')).catch((e: unknown) => e);
    expect(isBriefgenError(error) && error.message).toMatch(/^invalid Marp config: /);
    expect(isBriefgenError(error) && error.location?.line).toBeGreaterThanOrEqual(2);
  });
});
