import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BriefgenError, ErrorCode } from '../errors.js';

export interface ResolvedExecutable {
  path: string;
  source: 'env' | 'system' | 'puppeteer';
}

/** Test seams for {@link resolveExecutable}; the CLI never passes these. */
export interface ResolveExecutableOptions {
  /** Absolute paths to try after the environment variables; default {@link systemBrowserCandidates}. */
  systemCandidates?: readonly string[];
  /** Where downloaded browsers would be; default: those `@puppeteer/browsers` installed in Puppeteer's cache. */
  puppeteerExecutablePaths?: () => Promise<string[]>;
}

/** The fix for a missing browser, printed under the error. */
export const browserMissingHint =
  'install one: `sudo apt-get install chromium fonts-noto-cjk` on Debian/Ubuntu, ' +
  'or `npx @puppeteer/browsers install chrome-headless-shell@stable --path ~/.cache/puppeteer` elsewhere, ' +
  'or set BRIEFGEN_CHROME_PATH to a Chromium or Chrome executable';

const unixNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/**
 * Usual install locations of Chromium and Chrome on `platform`, then the same program names
 * looked up on `env.PATH` (Linux installs outside /usr/bin, e.g. snap or nix).
 */
export function systemBrowserCandidates(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary',
    ];
    const home = env.HOME;
    return [
      ...apps.map((app) => `/Applications/${app}`),
      ...(home ? apps.map((app) => `${home}/Applications/${app}`) : []),
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
      (root): root is string => Boolean(root),
    );
    return roots.flatMap((root) => [
      path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  const fixed = unixNames.map((name) => `/usr/bin/${name}`).concat('/snap/bin/chromium');
  const onPath = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => path.isAbsolute(dir))
    .flatMap((dir) => unixNames.map((name) => path.join(dir, name)));
  return [...new Set([...fixed, ...onPath])];
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    // Windows has no execute bit; existence is all one can check there.
    if (process.platform !== 'win32') await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Browsers downloaded with `@puppeteer/browsers` into Puppeteer's cache folder
 * (`PUPPETEER_CACHE_DIR`, else `~/.cache/puppeteer`): Chrome for Testing first, then
 * chrome-headless-shell (what the hint tells people to install), newest build first.
 */
async function puppeteerDownloadedBrowsers(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  try {
    const { getInstalledBrowsers } = await import('@puppeteer/browsers');
    const cacheDir = env.PUPPETEER_CACHE_DIR?.trim() || path.join(os.homedir(), '.cache', 'puppeteer');
    const rank = (name: string) => (name === 'chrome' ? 0 : name === 'chrome-headless-shell' ? 1 : 2);
    return (await getInstalledBrowsers({ cacheDir }))
      .filter((b) => rank(b.browser) < 2)
      .sort((a, b) => rank(a.browser) - rank(b.browser) || b.buildId.localeCompare(a.buildId, 'en', { numeric: true }))
      .map((b) => b.executablePath);
  } catch {
    // No cache folder, or nothing readable in it: "not found", not a failure.
    return [];
  }
}

/**
 * BRIEFGEN_CHROME_PATH, then PUPPETEER_EXECUTABLE_PATH, then system Chromium/Chrome, then
 * Puppeteer's own downloaded browser (only if the file exists). None →
 * `BriefgenError(ErrorCode.browserMissing)` with a hint on how to get one.
 */
export async function resolveExecutable(
  env: NodeJS.ProcessEnv = process.env,
  options: ResolveExecutableOptions = {},
): Promise<ResolvedExecutable> {
  for (const name of ['BRIEFGEN_CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH'] as const) {
    const value = env[name]?.trim();
    if (!value) continue;
    // An explicit setting that points nowhere is a mistake to report, not a reason to fall back
    // silently to some other browser.
    if (!(await isExecutableFile(value))) {
      throw new BriefgenError(
        ErrorCode.browserMissing,
        `${name} is set to ${value}, which is not an executable file`,
        { hint: `fix or unset ${name}; otherwise ${browserMissingHint}` },
      );
    }
    return { path: value, source: 'env' };
  }

  for (const candidate of options.systemCandidates ?? systemBrowserCandidates(process.platform, env)) {
    if (await isExecutableFile(candidate)) return { path: candidate, source: 'system' };
  }

  for (const downloaded of await (options.puppeteerExecutablePaths ?? (() => puppeteerDownloadedBrowsers(env)))()) {
    if (await isExecutableFile(downloaded)) return { path: downloaded, source: 'puppeteer' };
  }

  throw new BriefgenError(ErrorCode.browserMissing, 'No Chromium or Chrome browser found', {
    hint: browserMissingHint,
  });
}
