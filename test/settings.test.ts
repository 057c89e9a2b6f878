import { describe, expect, it } from 'vitest';
import { resolveSettings, type SettingSources } from '../src/settings.js';
import type { ConfigFile } from '../src/config-file.js';

const fileOf = (values: Record<string, unknown>, dir = '/project'): ConfigFile => ({ file: `${dir}/briefgen.config.yaml`, dir, values, lineOf: (key) => Object.keys(values).indexOf(key) + 1 });
const resolve = (sources: Partial<SettingSources>) => resolveSettings({ command: 'build', flags: {}, env: {}, cwd: '/work', ...sources });

describe('resolveSettings: one precedence, flag > environment > config file > default', () => {
  it.each([
    ['default only', {}, 'out', 'default'],
    ['config file over default', { file: fileOf({ out: 'decks' }) }, '/project/decks', 'file'],
    ['environment over config file', { env: { BRIEFGEN_OUT: 'env-out' }, file: fileOf({ out: 'decks' }) }, '/work/env-out', 'env'],
    ['flag over environment', { flags: { out: 'flag-out' }, env: { BRIEFGEN_OUT: 'env-out' }, file: fileOf({ out: 'decks' }) }, '/work/flag-out', 'flag'],
    ['an empty variable is unset', { env: { BRIEFGEN_OUT: '' }, file: fileOf({ out: 'decks' }) }, '/project/decks', 'file'],
  ] as const)('%s', (_name, sources, value, source) => {
    const settings = resolve(sources as Partial<SettingSources>);
    expect(settings.values.out).toBe(value);
    expect(settings.origins.out!.source).toBe(source);
  });

  it('names the file and line a value came from', () => {
    const settings = resolve({ file: fileOf({ format: 'pdf', audience: ['exec', 'public'] }) });
    expect(settings.values.audience).toBe('exec,public');
    expect(settings.origins.audience).toEqual({ source: 'file', file: '/project/briefgen.config.yaml', line: 2 });
  });

  it('repeated list flags accumulate; repeated scalars: the last wins', () => {
    const settings = resolve({ flags: { format: ['pdf', 'png,md'], audience: ['exec', 'public'], out: ['a', 'b'], concurrency: ['2', '3'], data: ['x.yaml', 'y.yaml'] } });
    expect(settings.values).toMatchObject({ format: 'pdf,png,md', audience: 'exec,public', out: '/work/b', concurrency: 3, data: ['/work/x.yaml', '/work/y.yaml'] });
  });

  it('reads the kinds of the environment: counts, booleans, path lists', () => {
    const settings = resolve({ env: { BRIEFGEN_CONCURRENCY: '2', BRIEFGEN_STRICT: 'yes', BRIEFGEN_CACHE: '0', BRIEFGEN_DATA: 'a.yaml:-' } });
    expect(settings.values).toMatchObject({ concurrency: 2, strict: true, cache: false, data: ['/work/a.yaml', '-'] });
  });

  it('takes only the options of its command', () => {
    const settings = resolveSettings({ command: 'validate', flags: {}, env: { BRIEFGEN_OUT: 'x' }, cwd: '/work' });
    expect(settings.values).not.toHaveProperty('out');
    expect(settings.values).not.toHaveProperty('format');
  });

  it.each([
    ['a count that is not a number', { flags: { concurrency: 'abc' } }, /^--concurrency must be a whole number from 1 to 64, not "abc"$/],
    ['a negative count', { flags: { concurrency: '-3' } }, /^--concurrency must be a whole number from 1 to 64, not "-3"$/],
    ['a fractional count', { flags: { maxListItems: '2.5' } }, /^--max-list-items must be a whole number of at least 1, not "2.5"$/],
    ['a bad variable', { env: { BRIEFGEN_STRICT: 'maybe' } }, /^BRIEFGEN_STRICT must be one of 1, 0, true, false/],
    ['a config value of the wrong type', { file: fileOf({ out: 'x', strict: 'yes' }) }, /^config key "strict" must be true or false, not "yes"$/],
    ['an empty path', { flags: { out: '' } }, /^--out must be a path/],
  ] as const)('%s is a usage error (exit 2)', (_name, sources, message) => {
    let error: unknown;
    try {
      resolve(sources as Partial<SettingSources>);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'E_USAGE', exitCode: 2, message: expect.stringMatching(message) });
  });

  it('a config value of the wrong type names the file and its line', () => {
    expect(() => resolve({ file: fileOf({ out: 'x', strict: 'yes' }) })).toThrow(expect.objectContaining({ location: { file: '/project/briefgen.config.yaml', line: 2 } }));
  });
});
