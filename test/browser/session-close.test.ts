import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isBriefgenError } from '../../src/errors.js';
import { createBrowserSession } from '../../src/browser/session.js';
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
    expect(error).toMatchObject({ code: 'E_EXPORT' });
    expect((error as Error).message).toMatch(/^Could not start the browser at \/bin\/false/);
    expect((error as { hint?: string }).hint).toMatch(/BRIEFGEN_CHROME_PATH/);
    const profile = traces.map((t) => /\(profile (.+)\)$/.exec(t)?.[1]).find(Boolean);
    expect(profile).toMatch(/briefgen-chrome-/);
    expect(existsSync(profile!)).toBe(false);
    await session.close();
  });
});
