import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBriefgenError } from '../../src/errors.js';
import { createBrowserSession, removeStaleProfiles } from '../../src/browser/session.js';
import { childCommandLines, processesMentioning, userDataDirOf } from './proc.js';

// The one browser of this file is started by the test itself: the point is to close it mid-launch.
describe('closing a browser session', { timeout: 30_000 }, () => {
  it('close() during launch shuts the new browser down and fails the waiting user', async () => {
    const session = createBrowserSession({ protocolTimeoutMs: 15_000 });
    // Catch at once: the rejection lands while close() is still running.
    const use = session.withPage(async () => 'used').catch((e: unknown) => e);
    // Close once Chromium is running but Puppeteer has not connected to it yet.
    let profile: string | undefined;
    for (let i = 0; i < 500 && !profile; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const args = [...childCommandLines().values()].find((argv) => argv.some((a) => a.includes('briefgen-chrome-')));
      profile = args && userDataDirOf(args);
    }
    expect(profile).toBeDefined();
    await session.close();

    const error = await use;
    expect(isBriefgenError(error)).toBe(true);
    expect((error as Error).message).toMatch(/closed/);
    expect(session.started).toBe(false);
    // SIGKILL is delivered asynchronously: allow the kernel a moment to finish the helpers.
    for (let i = 0; i < 40 && processesMentioning(profile!).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(processesMentioning(profile!)).toEqual([]);
    expect(existsSync(profile!)).toBe(false);
  });

  it('reports a browser that will not start, and leaves no profile behind', async () => {
    const traces: string[] = [];
    const logger = { info() {}, warn() {}, debug: (_scope: string, message: string) => void traces.push(message) };
    const session = createBrowserSession({ executablePath: '/bin/false', protocolTimeoutMs: 5_000, logger });
    const error = await session.withPage(async () => {}).catch((e: unknown) => e);
    expect(isBriefgenError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'E_BROWSER' });
    expect((error as Error).message).toMatch(/^Could not start the browser at \/bin\/false/);
    expect((error as { hint?: string }).hint).toMatch(/BRIEFGEN_CHROME_PATH/);
    const profile = traces.map((t) => /\(profile (.+)\)$/.exec(t)?.[1]).find(Boolean);
    expect(profile).toMatch(/briefgen-chrome-/);
    expect(existsSync(profile!)).toBe(false);
    await session.close();
  });
});

describe('browser profiles that killed runs left', { timeout: 30_000 }, () => {
  it('are removed by the next launch: only those whose run is gone, and only briefgen profiles with a pid', async () => {
    const dead = Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
    const tmp = mkdtempSync(join(tmpdir(), 'briefgen-profiles-'));
    const profile = (name: string) => {
      mkdirSync(join(tmp, name, 'Default'), { recursive: true });
      writeFileSync(join(tmp, name, 'Default', 'Preferences'), '{}');
      return name;
    };
    const stale = profile(`briefgen-chrome-${dead}-AbC123`);
    const live = profile('briefgen-chrome-1-XyZ789');
    const unknown = profile('briefgen-chrome-Qw3rty');
    const other = profile('someone-else-123-abcdef');
    expect(await removeStaleProfiles(tmp)).toEqual([join(tmp, stale)]);
    expect(readdirSync(tmp).sort()).toEqual([live, other, unknown].sort());
    rmSync(tmp, { recursive: true, force: true });
  });

  it('name their run: the profile of a launch carries its pid', async () => {
    const traces: string[] = [];
    const session = createBrowserSession({ protocolTimeoutMs: 15_000, logger: { info() {}, warn() {}, debug: (_scope, message) => void traces.push(message) } });
    await session.withPage(async () => {});
    await session.close();
    const used = traces.map((t) => /\(profile (.+)\)$/.exec(t)?.[1]).find(Boolean);
    expect(used).toMatch(new RegExp(`briefgen-chrome-${process.pid}-[A-Za-z0-9]{6}$`));
  });
});
