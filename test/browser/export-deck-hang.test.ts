import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBriefgenError } from '../../src/errors.js';
import { exportDeck, type ExportRequest } from '../../src/browser/export-deck.js';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { fixtureMarkdown, fixtureRequest } from './deck-fixture.js';

// A session of its own: a short protocol timeout, so a hang costs seconds, not a minute. It bounds
// the launch's own protocol calls too, so it leaves room for a machine under load (2 s did not:
// Target.setDiscoverTargets timed out with the load average at 15 on 2 cores).
const protocolTimeoutMs = 10_000;
let session: BrowserSession;

beforeAll(async () => {
  session = createBrowserSession({ poolSize: 1, protocolTimeoutMs });
  await session.withPage(async () => {});
});

afterAll(async () => {
  await session?.close();
});

const request = (markdown: string): ExportRequest => fixtureRequest(markdown);

describe('exportDeck on a hung page', { timeout: 30_000 }, () => {
  it('fails within the protocol timeout, naming the step that hung', async () => {
    // The message names the timeout that fired; the test's own timeout (30 s) shows it fired at
    // all. No clock is read: a wall-time bound fails on a loaded machine with nothing wrong.
    const error = await exportDeck(session, request('# Loops\n\n<script>for (;;) {}</script>')).catch(
      (e: unknown) => e,
    );
    expect(isBriefgenError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'E_EXPORT' });
    expect((error as Error).message).toMatch(new RegExp(`hung while loading the deck HTML.*${protocolTimeoutMs} ms`));
  });

  it('throws the hung page away, so the next export gets a working one', async () => {
    const result = await exportDeck(session, request(fixtureMarkdown));
    expect(result.pngs).toHaveLength(3);
    expect(result.pdf).toBeDefined();
  });
});
