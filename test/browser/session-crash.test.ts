import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBriefgenError } from '../../src/errors.js';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { isAlive, userDataDirOf } from './proc.js';

const warnings: string[] = [];
let session: BrowserSession;

beforeAll(async () => {
  session = createBrowserSession({
    protocolTimeoutMs: 10_000,
    logger: { info() {}, warn: (m) => void warnings.push(m), debug() {} },
  });
  await session.withPage(async () => {});
});

afterAll(async () => {
  await session?.close();
});

describe('a browser that dies under the session', { timeout: 30_000 }, () => {
  it('makes later use fail clearly, and close() still cleans up', async () => {
    const { pid, profile } = await session.withPage(async (page) => {
      const child = page.browser().process()!;
      return { pid: child.pid!, profile: userDataDirOf(child.spawnargs) };
    });
    process.kill(-pid, 'SIGKILL');
    for (let i = 0; i < 200 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 10));

    expect(warnings).toEqual(['The browser exited or disconnected unexpectedly']);
    const error = await session.withPage(async () => {}).catch((e: unknown) => e);
    expect(isBriefgenError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'E_BROWSER', message: 'The browser exited or disconnected unexpectedly' });
    expect(session.started).toBe(true);

    await session.close();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(profile)).toBe(false);
  });
});
