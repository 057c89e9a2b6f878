import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../src/config-file.js';
import { testdir } from './support/testdir.js';

describe('loadConfigFile: the usual search, from the working folder up', () => {
  const made: Array<() => void> = [];
  afterAll(() => made.forEach((cleanup) => cleanup()));
  const project = (files: Record<string, string>) => {
    const t = testdir(files);
    made.push(t.cleanup);
    return t;
  };

  it.each([
    ['briefgen.config.yaml', 'out: decks\nformat: [pdf, md]\n'],
    ['briefgen.config.yml', 'out: decks\nformat: [pdf, md]\n'],
    ['briefgen.config.json', '{\n  "out": "decks",\n  "format": ["pdf", "md"]\n}\n'],
    ['briefgen.config.mjs', 'export default {\n  out: "decks",\n  format: ["pdf", "md"],\n};\n'],
    ['briefgen.config.js', 'export default {\n  out: "decks",\n  format: ["pdf", "md"],\n};\n'],
    ['.briefgenrc', 'out: decks\nformat: [pdf, md]\n'],
    ['.briefgenrc.json', '{"out": "decks", "format": ["pdf", "md"]}'],
    ['package.json', '{\n  "name": "x",\n  "type": "module",\n  "briefgen": {\n    "out": "decks",\n    "format": ["pdf", "md"]\n  }\n}\n'],
  ])('finds %s', async (name, content) => {
    const t = project({ [name]: content, 'sub/folder/.keep': '' });
    const found = await loadConfigFile(t.path('sub/folder'));
    expect(found?.file).toBe(t.path(name));
    expect(found?.values).toEqual({ out: 'decks', format: ['pdf', 'md'] });
    expect(found?.dir).toBe(t.dir);
  });

  it('finds none where there is none', async () => {
    const t = project({ 'package.json': '{"name": "no-config"}' });
    expect(await loadConfigFile(t.dir)).toBeUndefined();
  });

  it('reads the file --config names instead of searching', async () => {
    const t = project({ 'briefgen.config.yaml': 'out: searched\n', 'ci/release.yaml': 'out: named\n' });
    expect((await loadConfigFile(t.dir, 'ci/release.yaml'))?.values).toEqual({ out: 'named' });
    await expect(loadConfigFile(t.dir, 'ci/missing.yaml')).rejects.toMatchObject({ code: 'E_USAGE', message: 'config file not found: ci/missing.yaml' });
  });

  it.each([
    ['briefgen.config.yaml', 'out: decks\n\nformats: pdf\n', 3, /did you mean "format"|config keys/],
    ['briefgen.config.json', '{\n  "out": "decks",\n  "max-list-items": 5\n}\n', 3, /did you mean "maxListItems"/],
    ['package.json', '{\n  "name": "x",\n  "briefgen": {\n    "out": "decks",\n    "colour": "red"\n  }\n}\n', 5, /config keys: audience, data/],
    ['briefgen.config.mjs', 'export default {\n  out: "decks",\n  audiance: "exec",\n};\n', 3, /config keys/],
  ])('an unknown key in %s is an error naming the file and line', async (name, content, line, hint) => {
    const t = project({ [name]: content });
    const error = await loadConfigFile(t.dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_USAGE', exitCode: 2, message: expect.stringMatching(/^unknown config key "/), location: { file: t.path(name), line } });
    expect((error as { hint: string }).hint).toMatch(hint);
  });

  it('a config file that does not parse is an error with its line', async () => {
    const t = project({ '.briefgenrc.yaml': 'out: decks\nformat: [pdf\n' });
    await expect(loadConfigFile(t.dir)).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/^invalid config file/), location: { file: t.path('.briefgenrc.yaml') } });
  });

  it('a config that is not a mapping is an error', async () => {
    const t = project({ 'briefgen.config.json': '["out"]' });
    await expect(loadConfigFile(t.dir)).rejects.toMatchObject({ message: 'a briefgen config must be a mapping of option names to values' });
  });
});
