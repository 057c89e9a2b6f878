import { existsSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBriefgenError } from '../../src/errors.js';
import { createBrowserSession, defaultPoolSize, type BrowserSession } from '../../src/browser/session.js';
import { isAlive, processesMentioning, userDataDirOf } from './proc.js';

let session: BrowserSession;
let launchMs = 0;

beforeAll(async () => {
  session = createBrowserSession({ poolSize: 2, protocolTimeoutMs: 15_000 });
  expect(session.started).toBe(false);
  const started = performance.now();
  await session.withPage(async () => {});
  launchMs = performance.now() - started;
  console.log(`launch + first page: ${Math.round(launchMs)} ms`);
});

afterAll(async () => {
  await session?.close();
});

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createBrowserSession', { timeout: 30_000 }, () => {
  it('launches lazily and reports it', () => {
    expect(session.started).toBe(true);
    expect(createBrowserSession().started).toBe(false);
  });

  it('defaults the pool to one page per core, at most four', () => {
    expect(defaultPoolSize()).toBeGreaterThanOrEqual(1);
    expect(defaultPoolSize()).toBeLessThanOrEqual(4);
  });

  it('returns a page to the pool after success', async () => {
    const first = await session.withPage(async (page) => page);
    const second = await session.withPage(async (page) => page);
    expect(second).toBe(first);
    expect(first.isClosed()).toBe(false);
  });

  it('closes a page whose function threw, and rethrows the error unchanged', async () => {
    const boom = new Error('boom');
    let failed: Page | undefined;
    const error = await session
      .withPage(async (page) => {
        failed = page;
        throw boom;
      })
      .catch((e: unknown) => e);
    expect(error).toBe(boom);
    await tick(200);
    expect(failed?.isClosed()).toBe(true);
    const next = await session.withPage(async (page) => page);
    expect(next).not.toBe(failed);
  });

  it('never lends out again a page whose renderer crashed while it sat in the pool', async () => {
    const idle = await session.withPage(async (page) => page);
    const crashed = new Promise<void>((resolve) => idle.once('error', () => resolve()));
    const client = await idle.createCDPSession();
    void client.send('Page.crash').catch(() => undefined);
    await crashed;
    // A crashed page answers nothing: lent out again, it would hang this call until the protocol timeout.
    const next = await session.withPage(async (page) => ({ page, sum: await page.evaluate(() => 1 + 1) }));
    expect(next.page).not.toBe(idle);
    expect(next.sum).toBe(2);
  });

  it('lends at most poolSize pages at once, each a visible window', async () => {
    let active = 0;
    let peak = 0;
    const pages = new Set<Page>();
    const visibility = await Promise.all(
      Array.from({ length: 5 }, () =>
        session.withPage(async (page) => {
          active += 1;
          peak = Math.max(peak, active);
          pages.add(page);
          // Both pooled pages are borrowed at once here: neither may be a hidden background tab.
          const state = await page.evaluate(() => document.visibilityState);
          await tick(100);
          active -= 1;
          return state;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(pages.size).toBe(2);
    expect(visibility).toEqual(Array(5).fill('visible'));
  });

  it('closes the browser, its helpers and its profile; close() is idempotent', async () => {
    const { pid, spawnargs } = await session.withPage(async (page) => {
      const child = page.browser().process();
      return { pid: child?.pid, spawnargs: child?.spawnargs ?? [] };
    });
    expect(pid).toBeTypeOf('number');
    const profile = userDataDirOf(spawnargs);
    expect(existsSync(profile)).toBe(true);
    // Renderers, GPU and zygote processes all carry the profile path on their command lines.
    expect(processesMentioning(profile).length).toBeGreaterThan(1);

    const started = performance.now();
    await Promise.all([session.close(), session.close()]);
    console.log(`close: ${Math.round(performance.now() - started)} ms`);
    await session.close();

    expect(isAlive(pid!)).toBe(false);
    expect(processesMentioning(profile)).toEqual([]);
    expect(existsSync(profile)).toBe(false);
    const error = await session.withPage(async () => {}).catch((e: unknown) => e);
    expect(isBriefgenError(error)).toBe(true);
    expect((error as Error).message).toMatch(/closed/);
  });
});
