import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BriefgenError } from '../../src/errors.js';
import {
  browserMissingHint,
  resolveExecutable,
  systemBrowserCandidates,
} from '../../src/browser/resolve-executable.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'briefgen-resolve-test-'));
const fakeChrome = path.join(dir, 'fake-chrome');
writeFileSync(fakeChrome, '#!/bin/sh\nexit 0\n');
chmodSync(fakeChrome, 0o755);
const otherChrome = path.join(dir, 'other-chrome');
writeFileSync(otherChrome, '#!/bin/sh\nexit 0\n');
chmodSync(otherChrome, 0o755);
const notExecutable = path.join(dir, 'plain-file');
writeFileSync(notExecutable, 'not a program');
chmodSync(notExecutable, 0o644);
const missing = path.join(dir, 'nothing-here');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Nothing on this machine can leak into a test that passes these. */
const nowhere = { systemCandidates: [missing], puppeteerExecutablePaths: async () => [] };

async function failure(promise: Promise<unknown>): Promise<BriefgenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BriefgenError);
  return error as BriefgenError;
}

describe('resolveExecutable', () => {
  it('takes BRIEFGEN_CHROME_PATH first', async () => {
    const env = { BRIEFGEN_CHROME_PATH: fakeChrome, PUPPETEER_EXECUTABLE_PATH: otherChrome };
    expect(await resolveExecutable(env, { ...nowhere, systemCandidates: [otherChrome] })).toEqual({
      path: fakeChrome,
      source: 'env',
    });
  });

  it('then PUPPETEER_EXECUTABLE_PATH', async () => {
    const env = { BRIEFGEN_CHROME_PATH: '  ', PUPPETEER_EXECUTABLE_PATH: otherChrome };
    expect(await resolveExecutable(env, nowhere)).toEqual({ path: otherChrome, source: 'env' });
  });

  it('reports an environment variable that points at nothing usable instead of falling back', async () => {
    for (const value of [missing, notExecutable, dir]) {
      const error = await failure(
        resolveExecutable({ BRIEFGEN_CHROME_PATH: value }, { ...nowhere, systemCandidates: [fakeChrome] }),
      );
      expect(error.code).toBe('E_BROWSER_MISSING');
      expect(error.message).toBe(`BRIEFGEN_CHROME_PATH is set to ${value}, which is not an executable file`);
      expect(error.hint).toMatch(/^fix or unset BRIEFGEN_CHROME_PATH/);
    }
  });

  it('then the first system candidate that is an executable file', async () => {
    const result = await resolveExecutable({}, { ...nowhere, systemCandidates: [missing, notExecutable, fakeChrome] });
    expect(result).toEqual({ path: fakeChrome, source: 'system' });
  });

  it("then Puppeteer's downloaded browser, only if the file exists", async () => {
    const result = await resolveExecutable(
      {},
      { systemCandidates: [missing], puppeteerExecutablePaths: async () => [missing, otherChrome] },
    );
    expect(result).toEqual({ path: otherChrome, source: 'puppeteer' });
  });

  it("finds a browser downloaded with @puppeteer/browsers in PUPPETEER_CACHE_DIR, newest build first", async () => {
    const cacheDir = path.join(dir, 'puppeteer-cache');
    const { computeExecutablePath } = await import('@puppeteer/browsers');
    const install = (buildId: string) => {
      const executable = computeExecutablePath({ browser: 'chrome-headless-shell' as never, buildId, cacheDir });
      mkdirSync(path.dirname(executable), { recursive: true });
      writeFileSync(executable, '#!/bin/sh\nexit 0\n');
      chmodSync(executable, 0o755);
      return executable;
    };
    install('130.0.6723.58');
    const newest = install('131.0.6778.85');
    const result = await resolveExecutable({ PUPPETEER_CACHE_DIR: cacheDir }, { systemCandidates: [missing] });
    expect(result).toEqual({ path: newest, source: 'puppeteer' });
  });

  it('fails with the install hint when nothing is found', async () => {
    const error = await failure(
      resolveExecutable({}, { systemCandidates: [missing], puppeteerExecutablePaths: async () => [missing] }),
    );
    expect(error.code).toBe('E_BROWSER_MISSING');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe('No Chromium or Chrome browser found');
    expect(error.hint).toBe(browserMissingHint);
    expect(error.hint).toContain('`sudo apt-get install chromium fonts-noto-cjk`');
    expect(error.hint).toContain('`npx @puppeteer/browsers install chrome-headless-shell@stable');
    expect(error.hint).toContain('BRIEFGEN_CHROME_PATH');
  });

  it.skipIf(!existsSync('/usr/bin/chromium'))('finds the system Chromium of this machine', async () => {
    expect(await resolveExecutable({ PATH: '/usr/bin:/bin' })).toEqual({
      path: '/usr/bin/chromium',
      source: 'system',
    });
  });
});

describe('systemBrowserCandidates', () => {
  it('lists the usual Linux paths, then the same names on PATH', () => {
    const list = systemBrowserCandidates('linux', { PATH: '/opt/tools/bin:relative/bin' });
    expect(list.slice(0, 4)).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
    ]);
    expect(list).toContain('/opt/tools/bin/chromium');
    expect(list).toContain('/opt/tools/bin/google-chrome-stable');
    expect(list.some((p) => p.startsWith('relative'))).toBe(false);
  });

  it('lists the macOS application bundles', () => {
    expect(systemBrowserCandidates('darwin', {})[0]).toBe(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    );
  });

  it('lists the Windows Program Files paths', () => {
    const list = systemBrowserCandidates('win32', {
      PROGRAMFILES: 'C:\\Program Files',
      'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
      LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local',
    });
    expect(list).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(list).toContain('C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe');
    expect(list).toContain('C:\\Users\\me\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
  });
});
