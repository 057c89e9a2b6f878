import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBriefgenError } from '../../src/errors.js';
import { exportDeck, type ExportRequest } from '../../src/browser/export-deck.js';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { fixtureMarkdown, fixtureRequest } from './deck-fixture.js';

// The default protocol timeout (60 s), longer than these tests may take: a crash found only
// by the timeout fails them.
let session: BrowserSession;

beforeAll(async () => {
  session = createBrowserSession({ poolSize: 1 });
  await session.withPage(async () => {});
});

afterAll(async () => {
  await session?.close();
});

/** Crashes the page's renderer for real (DevTools' Page.crash), as the out-of-memory killer would. */
const crash = async (page: Page): Promise<void> => {
  const client = await page.createCDPSession();
  void client.send('Page.crash').catch(() => undefined);
};

/** A request whose in-page inspection crashes the renderer on its first `times` page loads, then waits on the page. */
function crashing(times: number): { request: ExportRequest<number>; loads: () => number } {
  let loads = 0;
  const request: ExportRequest<number> = {
    ...fixtureRequest(fixtureMarkdown),
    inspect: {
      run: async (page) => {
        loads += 1;
        if (loads <= times) await crash(page);
        // Without crash detection this call would hang until the protocol timeout.
        return page.evaluate(() => document.querySelectorAll('svg[data-marpit-svg]').length);
      },
    },
  };
  return { request, loads: () => loads };
}

describe('a renderer that crashes under a deck', { timeout: 30_000 }, () => {
  it('is detected at once, and the deck is loaded again on a fresh page', async () => {
    const { request, loads } = crashing(1);
    const result = await exportDeck(session, request);
    expect(loads()).toBe(2);
    expect(result.inspected).toBe(3);
    expect(result.pngs).toHaveLength(3);
    expect(result.pdf).toBeDefined();
  });

  it('fails the deck with a message that says it crashed, twice, and where', async () => {
    const { request, loads } = crashing(2);
    const error = await exportDeck(session, request).catch((e: unknown) => e);
    expect(loads()).toBe(2);
    expect(isBriefgenError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'E_EXPORT', exitCode: 1 });
    expect((error as Error).message).toBe(
      "the browser's renderer for this deck crashed twice: first while measuring the slides for overflow (Page crashed!), then again on a fresh page while measuring the slides for overflow (Page crashed!)",
    );
    expect((error as { hint?: string }).hint).toMatch(/out of memory/);
    expect((error as Error).message).not.toMatch(/looping script|overloaded/);
  });

  it('leaves the session working: the next deck exports', async () => {
    const result = await exportDeck(session, fixtureRequest(fixtureMarkdown));
    expect(result.pngs).toHaveLength(3);
  });

  it('stops at once when the run is interrupted in the middle of a deck', async () => {
    const controller = new AbortController();
    const request: ExportRequest<number> = {
      ...fixtureRequest(fixtureMarkdown),
      inspect: {
        run: async (page) => {
          controller.abort(new DOMException('interrupted', 'AbortError'));
          // A deck that would keep the page busy far longer than the test may take.
          return page.evaluate(() => new Promise<number>(() => {}));
        },
      },
    };
    await expect(exportDeck(session, request, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect((await exportDeck(session, fixtureRequest(fixtureMarkdown))).pngs).toHaveLength(3);
  });
});
