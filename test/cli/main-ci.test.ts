import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveExecutable } from '../../src/browser/resolve-executable.js';
import { chromiumArgs } from '../../src/browser/session.js';
import { isAlive } from '../browser/proc.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

const root = join(import.meta.dirname, '..', '..');
const releaseYaml = readFileSync(join(root, 'content/release-kestrel-3-0/en.yaml'), 'utf8');
const markdown = (out: string) => readFileSync(join(out, 'release-kestrel-3-0/en/release/release-kestrel-3-0-en-release.md'), 'utf8');

describe('--data - (release data on standard input, no browser)', { timeout: 60_000 }, () => {
  const t = testdir({});
  afterAll(() => t.cleanup());
  const build = (out: string, data: string, stdin?: string) => runCli(['-a', 'release', '--data', data, '-f', 'md,html', '-o', out], { cwd: root, stdin });

  it('builds the same deck from JSON on stdin as from the YAML file', async () => {
    const fromFile = await build(t.path('file'), 'content/release-kestrel-3-0/en.yaml');
    const fromJson = await build(t.path('json'), '-', JSON.stringify(parse(releaseYaml)));
    const fromYaml = await build(t.path('yaml'), '-', releaseYaml);
    for (const result of [fromFile, fromJson, fromYaml]) expect(result.code, result.stderr).toBe(0);
    expect(markdown(t.path('json'))).toBe(markdown(t.path('file')));
    expect(markdown(t.path('yaml'))).toBe(markdown(t.path('file')));
    expect(markdown(t.path('file'))).toContain('# Kestrel 3.0');
  });

  it('names <stdin> in errors about piped data', async () => {
    const bad = await build(t.path('bad'), '-', JSON.stringify({ ...parse(releaseYaml), meta: { ...parse(releaseYaml).meta, date: 'June' } }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/<stdin>.*meta\.date|meta\.date[^]*<stdin>/);
  });

  it('reads the real standard input through bin/briefgen.js', () => {
    // bin/briefgen.js runs dist/: `npm test` builds it first (pretest).
    expect(existsSync(join(root, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);
    const out = t.path('bin');
    const child = spawnSync(process.execPath, [join(root, 'bin/briefgen.js'), '-a', 'release', '--data', '-', '-f', 'md', '-o', out], {
      cwd: root,
      input: JSON.stringify(parse(releaseYaml)),
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
      timeout: 30_000,
    });
    expect(child.status, child.stderr).toBe(0);
    expect(markdown(out)).toBe(markdown(t.path('file')));
  });
});

describe('--browser-ws (a browser the test launched)', { timeout: 60_000 }, () => {
  const t = testdir({});
  let browser: Browser;
  const targets: string[] = [];

  beforeAll(async () => {
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'release'), t.dir, { recursive: true });
    browser = await puppeteer.launch({ executablePath: (await resolveExecutable()).path, headless: true, args: [...chromiumArgs] });
    browser.on('targetcreated', (target) => targets.push(target.type()));
  });
  afterAll(async () => {
    await browser?.close();
    t.cleanup();
  });

  const build = (out: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(['-a', 'review', '-d', 'data', '-t', 'templates', '-f', 'pdf,png', '-o', out, '--no-cache', ...args], { cwd: t.dir, env: { BRIEFGEN_BROWSER_WS: '', ...env } });

  it('exports through it and leaves it running with no page of ours open', async () => {
    const pagesBefore = (await browser.pages()).length;
    const result = await build('out-flag', ['--browser-ws', browser.wsEndpoint()]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(t.path('out-flag/tiny-release/en/review/tiny-release-en-review.pdf'))).toBe(true);
    expect(existsSync(t.path('out-flag/tiny-release/en/review/slide-02.png'))).toBe(true);
    expect(targets).toContain('page');
    expect(browser.connected).toBe(true);
    expect(isAlive(browser.process()!.pid!)).toBe(true);
    expect((await browser.pages()).length).toBe(pagesBefore);
  });

  it('takes the endpoint from BRIEFGEN_BROWSER_WS', async () => {
    targets.length = 0;
    const result = await build('out-env', [], { BRIEFGEN_BROWSER_WS: browser.wsEndpoint() });
    expect(result.code, result.stderr).toBe(0);
    expect(targets).toContain('page');
    expect(existsSync(t.path('out-env/tiny-release/en/review/tiny-release-en-review.pdf'))).toBe(true);
  });

  it('fails clearly when nothing listens there', async () => {
    const result = await build('out-none', ['--browser-ws', 'ws://127.0.0.1:9/devtools/browser/none']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not connect to the browser at ws:\/\/127\.0\.0\.1:9/);
  });
});
