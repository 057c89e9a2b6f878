import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDeck } from '../../src/browser/export-deck.js';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { deckHtml, fixtureMarkdown, fixtureRequest } from './deck-fixture.js';

// Slides are captured with optimizeForSpeed and re-encoded in Node: the pixels must be exactly
// the ones Chromium's own (default) PNG encoder gives for the same slide, and the files about as small.

let session: BrowserSession;

beforeAll(() => {
  session = createBrowserSession({ poolSize: 1, protocolTimeoutMs: 15_000 });
});

afterAll(async () => {
  await session?.close();
});

const decode = (bytes: Uint8Array): PNG => PNG.sync.read(Buffer.from(bytes));

describe('exportDeck screenshots', () => {
  it('match page.screenshot() with the default encoder pixel for pixel, at a similar size', async () => {
    const { slideCount } = deckHtml(fixtureMarkdown);
    const exported = await exportDeck(session, fixtureRequest(fixtureMarkdown, { formats: { pdf: false, png: true } }));
    expect(exported.pngs).toHaveLength(slideCount);

    // The pooled page still shows the deck in its export layout: shoot it the plain Puppeteer way.
    const reference = await session.withPage(async (page) => {
      const shots: Uint8Array[] = [];
      for (let index = 0; index < slideCount; index += 1) {
        await page.evaluate((y) => window.scrollTo(0, y), index * 720);
        shots.push(await page.screenshot({ type: 'png', clip: { x: 0, y: index * 720, width: 1280, height: 720 }, captureBeyondViewport: false }));
      }
      return shots;
    });

    for (let index = 0; index < slideCount; index += 1) {
      const ours = decode(exported.pngs[index]!);
      const theirs = decode(reference[index]!);
      expect([ours.width, ours.height]).toEqual([1280, 720]);
      expect(ours.data.equals(theirs.data), `slide ${index + 1} pixels`).toBe(true);
    }
    const size = (pngs: Uint8Array[]) => pngs.reduce((sum, png) => sum + png.length, 0);
    expect(size(exported.pngs)).toBeLessThan(size(reference) * 1.3);
  });
});
