import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDeck } from '../../src/browser/export-deck.js';
import { resolveExecutable } from '../../src/browser/resolve-executable.js';
import { chromiumArgs, createBrowserSession } from '../../src/browser/session.js';
import { fixtureMarkdown, fixtureRequest } from './deck-fixture.js';
import { isAlive } from './proc.js';

// Somebody else's browser (here: launched by the test, reachable over a debugging port).
let browser: Browser;

beforeAll(async () => {
  const { path } = await resolveExecutable();
  browser = await puppeteer.launch({ executablePath: path, headless: true, args: [...chromiumArgs] });
});

afterAll(async () => {
  await browser?.close();
});

describe('a session connected to an existing browser', { timeout: 30_000 }, () => {
  it('exports through it, then closes only its own pages and leaves the browser running', async () => {
    const pagesBefore = (await browser.pages()).length;
    const session = createBrowserSession({ browserWSEndpoint: browser.wsEndpoint(), poolSize: 2 });
    const result = await exportDeck(session, fixtureRequest(fixtureMarkdown, { formats: { pdf: false, png: true } }));
    expect(result.pngs).toHaveLength(3);
    expect(session.started).toBe(true);
    expect((await browser.pages()).length).toBe(pagesBefore + 1);

    await session.close();
    expect(browser.connected).toBe(true);
    expect(isAlive(browser.process()!.pid!)).toBe(true);
    expect((await browser.pages()).length).toBe(pagesBefore);
  });

  it('exports a self-contained deck even when the browser cannot see our folders (a remote service)', async () => {
    const session = createBrowserSession({ browserWSEndpoint: browser.wsEndpoint(), poolSize: 1 });
    try {
      // The folder exists only on "our" side, as for a browser on another host.
      const markdown = '# Remote\n\n<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxMCIgaGVpZ2h0PSIxMCIvPg==">\n\n---\n\n# Two';
      const result = await exportDeck(session, fixtureRequest(markdown, { allowedRoots: ['/nonexistent/briefgen-project'] }));
      expect(result.pngs).toHaveLength(2);
      expect(result.pdf?.byteLength).toBeGreaterThan(1000);
      expect(result.blockedUrls).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
