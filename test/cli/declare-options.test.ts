import { existsSync } from 'node:fs';
import { describe, expect, it, afterAll } from 'vitest';
import { commandNames } from '../../src/option-table.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/** What `briefgen config --json` resolved for one key. */
const resolved = async (args: string[], options: Parameters<typeof runCli>[1] = {}) => {
  const result = await runCli(['config', '--json', ...args], options);
  expect(result.code, result.stderr + result.stdout).toBe(0);
  return (JSON.parse(result.stdout) as { options: Record<string, { value: unknown; source: string; from?: string }> }).options;
};

/** Option lines of a `--help` screen: `  -a, --audience   text   [string] [default: …]` and their continuation lines. */
function helpOptions(help: string): Array<{ flag: string; text: string }> {
  const section = help.slice(help.indexOf('Options:'), help.search(/\n(Examples:|Exit codes|Every option)/) === -1 ? undefined : help.search(/\n(Examples:|Exit codes|Every option)/));
  const entries: Array<{ flag: string; text: string }> = [];
  for (const line of section.split('\n').slice(1)) {
    const start = /^\s{2}(?:-\w, )?\s*--([\w-]+)\s*(.*)$/.exec(line);
    if (start) entries.push({ flag: start[1]!, text: start[2]! });
    else if (entries.length > 0) entries.at(-1)!.text += ` ${line.trim()}`;
  }
  return entries;
}

describe('every command --help', () => {
  it.each(commandNames.map((c) => [c]))('%s --help describes every option it shows', async (command) => {
    const { code, stdout } = await runCli([command, '--help']);
    expect(code).toBe(0);
    const options = helpOptions(stdout);
    expect(options.length).toBeGreaterThan(2);
    for (const { flag, text } of options) {
      // A description is words before the [type] and [default] tags.
      expect(text.replace(/\[[^\]]*\]/g, '').trim(), `${command} --${flag}`).toMatch(/[a-z]{3,}.*[a-z]{3,}/i);
    }
  });

  it('validate offers nothing that writes files: no --out, no --format, no cache', async () => {
    const flags = helpOptions((await runCli(['validate', '--help'])).stdout).map((o) => o.flag);
    expect(flags).not.toEqual(expect.arrayContaining(['out']));
    for (const absent of ['out', 'format', 'cache', 'cache-dir', 'force', 'shard']) expect(flags).not.toContain(absent);
    expect(flags).toEqual(expect.arrayContaining(['audience', 'data', 'measure', 'strict', 'json']));
  });

  it('list offers no build options', async () => {
    const flags = helpOptions((await runCli(['list', '--help'])).stdout).map((o) => o.flag);
    for (const absent of ['out', 'format', 'audience', 'strict', 'concurrency']) expect(flags).not.toContain(absent);
  });

  it('-h is --help and -v is --version', async () => {
    const [h, help, v] = await Promise.all([runCli(['-h']), runCli(['--help']), runCli(['-v'])]);
    expect(h.code).toBe(0);
    expect(h.stdout).toBe(help.stdout);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect((await runCli(['validate', '-h'])).stdout).toMatch(/^briefgen validate/);
  });
});

describe('repeated flags: lists accumulate, scalars take the last value, never an internal error', () => {
  it.each([
    ['-f pdf -f png', ['-f', 'pdf', '-f', 'png'], 'format', 'pdf,png'],
    ['-a exec -a public', ['-a', 'exec', '-a', 'public'], 'audience', 'exec,public'],
    ['-l en -l zh', ['-l', 'en', '-l', 'zh'], 'lang', 'en,zh'],
    ['--out a --out b', ['--out', 'a', '--out', 'b'], 'out', `${process.cwd()}/b`],
    ['-j 2 -j 3', ['-j', '2', '-j', '3'], 'concurrency', 3],
    ['--fit --no-fit', ['--fit', '--no-fit'], 'fit', false],
    ['--strict --strict', ['--strict', '--strict'], 'strict', true],
    ['--shard 1/2 --shard 2/2', ['--shard', '1/2', '--shard', '2/2'], 'shard', '2/2'],
  ])('%s', async (_name, args, key, value) => {
    const options = await resolved(args);
    expect(options[key]).toMatchObject({ value, source: 'flag' });
  });

  it('-d a -d b reads both', async () => {
    const options = await resolved(['-d', 'a.yaml', '-d', 'b.yaml']);
    expect(options.data!.value).toEqual([`${process.cwd()}/a.yaml`, `${process.cwd()}/b.yaml`]);
  });

  it('a repeated flag reaches the build as its documented value (-f md -f html builds both)', async () => {
    const t = testdir({});
    try {
      const { code, stderr } = await runCli(['-a', 'exec', '-l', 'en', '-f', 'md', '-f', 'html', '--no-cache', '-o', t.path('out'), '-q'], { env: { CI: '1' } });
      expect(code, stderr).toBe(0);
      const deck = t.path('out/china-ai-2024/en/exec/china-ai-2024-en-exec');
      expect([existsSync(`${deck}.md`), existsSync(`${deck}.html`), existsSync(`${deck}.pdf`)]).toEqual([true, true, false]);
    } finally {
      t.cleanup();
    }
  }, 120_000);
});

describe('numeric options are checked: exit 2 naming the flag', () => {
  it.each([
    [['-j', 'abc'], /--concurrency must be a whole number from 1 to 64, not "abc"/],
    [['-j', '-3'], /--concurrency must be a whole number from 1 to 64, not "-3"/],
    [['-j', '0'], /--concurrency must be a whole number from 1 to 64, not "0"/],
    [['--max-list-items', 'many'], /--max-list-items must be a whole number of at least 1, not "many"/],
    [['dev', '--port', '70000'], /--port must be a whole number from 0 to 65535, not "70000"/],
    [['validate', '-j', '1.5'], /--concurrency must be a whole number/],
  ])('%j', async (args, message) => {
    const { code, stderr, stdout } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.match(/^briefgen:/gm)).toHaveLength(1);
    expect(stdout).toBe('');
  });
});

describe('config file and BRIEFGEN_* variables, shown by briefgen config', () => {
  const t = testdir({
    'briefgen.config.yaml': '# the team defaults\nout: decks\nformat: [pdf, md]\nlang: en\nmaxListItems: 50\n',
    'bad/briefgen.config.yaml': 'out: decks\nformats: pdf\n',
  });
  afterAll(() => t.cleanup());

  it('flag > environment > config file > default, each with where it came from', async () => {
    const options = await resolved(['--lang', 'zh'], { cwd: t.dir, env: { BRIEFGEN_FORMAT: 'png', BRIEFGEN_STRICT: '1' } });
    expect(options.lang).toEqual({ value: 'zh', source: 'flag', from: '--lang' });
    expect(options.format).toEqual({ value: 'png', source: 'env', from: 'BRIEFGEN_FORMAT' });
    expect(options.strict).toEqual({ value: true, source: 'env', from: 'BRIEFGEN_STRICT' });
    expect(options.out).toEqual({ value: t.path('decks'), source: 'file', from: 'briefgen.config.yaml:2' });
    expect(options.maxListItems).toEqual({ value: 50, source: 'file', from: 'briefgen.config.yaml:5' });
    expect(options.cacheDir).toEqual({ value: '.briefgen-cache', source: 'default' });
  });

  it('DEBUG=briefgen:config traces each value that is not a default, with its source', async () => {
    const { code, stderr } = await runCli(['config', '-a', 'exec'], { cwd: t.dir, env: { DEBUG: 'briefgen:config', BRIEFGEN_FORMAT: 'png' } });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^briefgen:config audience = "exec" from --audience$/m);
    expect(stderr).toMatch(/^briefgen:config format = "png" from BRIEFGEN_FORMAT$/m);
    expect(stderr).toMatch(/^briefgen:config lang = "en" from briefgen\.config\.yaml:4$/m);
    expect(stderr).not.toMatch(/cacheDir/);
  });

  it('prints a table for people', async () => {
    const { code, stdout } = await runCli(['config'], { cwd: t.dir, env: { BRIEFGEN_FORMAT: '' } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^config file: briefgen\.config\.yaml$/m);
    expect(stdout).toMatch(/^format\s+pdf,md\s+briefgen\.config\.yaml:3$/m);
    expect(stdout).toMatch(/^audience\s+\(unset\)\s+default$/m);
  });

  it('the same settings reach every command: a build takes the config file\'s limit', async () => {
    const { code, stderr } = await runCli(['validate', '--no-measure', '-d', `${process.cwd()}/content/china-ai-2024/en.yaml`], { cwd: t.dir, env: { BRIEFGEN_MAX_LIST_ITEMS: '2' } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--max-list-items/);
  });

  it('an unknown key is exit 2 naming the file and line, for every command', async () => {
    for (const command of ['config', 'validate', 'list', 'build']) {
      const { code, stderr } = await runCli([command], { cwd: t.path('bad') });
      expect(code, command).toBe(2);
      expect(stderr).toMatch(/^briefgen: briefgen\.config\.yaml:2: unknown config key "formats"/m);
    }
  });
});
