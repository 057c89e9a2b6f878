import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { build } from '../../src/build/build.js';
import type { BuildDependencies, ProgressEvent } from '../../src/build/types.js';
import { resolveBuildOptions } from '../../src/config.js';
import { BriefgenError, ErrorCode } from '../../src/errors.js';
import { testdir } from '../support/testdir.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'release');
const decks = ['tiny-release/en/people', 'tiny-release/en/review'];

/** Every file the manifest lists is in `out` with its size and sha256: what a CI step checks. */
function manifestTruth(out: string): { listed: string[]; lies: string[] } {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { decks: Array<{ key: string; artifacts: Array<{ path: string; size: number; sha256: string }> }> };
  const lies = manifest.decks.flatMap((deck) =>
    deck.artifacts.filter((a) => {
      const file = join(out, a.path);
      return !existsSync(file) || createHash('sha256').update(readFileSync(file)).digest('hex') !== a.sha256;
    }).map((a) => a.path),
  );
  return { listed: manifest.decks.map((d) => d.key), lies };
}

describe('build: out/ and its manifest', { timeout: 120_000 }, () => {
  const t = testdir({});
  let shared: BrowserSession;
  const options = (out: string, flags: Record<string, unknown> = {}) => resolveBuildOptions({ data: ['data'], templates: 'templates', out, audience: 'all', format: 'pdf,png,md', cache: false, ...flags }, t.dir, {});
  // One warm browser for the file; each build's lease closes only its own session wrapper.
  const deps = (extra: BuildDependencies = {}): BuildDependencies => ({ openBrowser: async () => borrowed(shared), ...extra });

  beforeAll(async () => {
    cpSync(fixture, t.dir, { recursive: true });
    shared = createBrowserSession({ poolSize: 1 });
  });
  afterAll(async () => {
    await shared.close();
    t.cleanup();
  });

  it('after an interrupt mid-build, lists only files that match, and keeps the decks it did not reach', async () => {
    await build(options('out-int'), deps());
    const before = readFileSync(t.path('out-int/manifest.json'), 'utf8');
    // Without SOURCE_DATE_EPOCH every PDF is new bytes: the first deck's files change, then Ctrl-C.
    const controller = new AbortController();
    const events: ProgressEvent[] = [];
    const run = build(options('out-int'), deps({ signal: controller.signal, onProgress: (event) => {
      events.push(event);
      if (event.type === 'deck-done') controller.abort(new DOMException('interrupted', 'AbortError'));
    } }));
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(events.filter((e) => e.type === 'deck-done')).toHaveLength(1);
    const truth = manifestTruth(t.path('out-int'));
    expect(truth.lies).toEqual([]);
    expect(truth.listed).toEqual(decks);
    expect(readFileSync(t.path('out-int/manifest.json'), 'utf8')).not.toBe(before);
    expect(readdirSync(t.path('out-int'))).not.toContain('.briefgen.lock');
  });

  it('keeps the decks an earlier build wrote when a later one builds others', async () => {
    await build(options('out-keep', { audience: 'people' }), deps());
    const second = await build(options('out-keep', { audience: 'review' }), deps());
    expect(manifestTruth(t.path('out-keep'))).toEqual({ listed: decks, lies: [] });
    // The manifest on disk is the result's, coverage and all.
    expect(JSON.parse(readFileSync(t.path('out-keep/manifest.json'), 'utf8'))).toEqual(second.manifest);
    expect(second.manifest.decks.every((deck) => deck.coverage !== undefined)).toBe(true);
  });

  it('serialises two builds into one out/: the second waits for the first, and the manifest tells the truth', async () => {
    const order: string[] = [];
    const waited: string[] = [];
    const logger = (name: string) => ({ info: (m: string) => void (/waiting for the briefgen run/.test(m) && waited.push(name)), warn() {}, debug() {} });
    const track = (name: string): BuildDependencies['onProgress'] => (event) => order.push(`${name} ${event.type}`);
    await Promise.all([
      build(options('out-both'), deps({ logger: logger('a'), onProgress: track('a') })),
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => build(options('out-both'), deps({ logger: logger('b'), onProgress: track('b') }))),
    ]);
    expect(waited).toEqual(['b']);
    // Every event of the first build comes before any of the second.
    expect(order.join('\n')).toMatch(/^(a [^\n]+\n)+(b [^\n]+\n?)+$/);
    expect(manifestTruth(t.path('out-both'))).toEqual({ listed: decks, lies: [] });
  });

  it.each([
    ['--out naming a file', 'out-file', (dir: string) => writeFileSync(dir, 'a file'), /the output folder .*out-file is a file/],
    ['a file where a report folder goes', 'out-blocked', (dir: string) => {
      mkdirSync(dir);
      writeFileSync(join(dir, 'tiny-release'), 'a file');
    }, /out-blocked\/tiny-release is a file where a deck's folder \(tiny-release\/en\/people\) must go/],
  ])('%s is an exit-2 error before any browser work', async (_name, out, prepare, message) => {
    prepare(t.path(out));
    let opened = 0;
    const error = await build(options(out), { openBrowser: async () => {
      opened += 1;
      return borrowed(shared);
    } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BriefgenError);
    expect(error).toMatchObject({ code: ErrorCode.output, exitCode: 2 });
    expect((error as Error).message).toMatch(message);
    expect(opened).toBe(0);
  });

  it('a deck whose renderer crashes twice fails with a message that says so; the other deck is written and listed', async () => {
    let loads = 0;
    const crashingFirstDeck = (session: BrowserSession): BrowserSession => ({
      get started() {
        return session.started;
      },
      close: async () => {},
      // The pool has one page and the decks go in key order: the first two page loads are the first deck's.
      withPage: (fn) => session.withPage(async (page) => {
        loads += 1;
        if (loads > 2) return fn(page);
        // Crash the renderer for real once the deck's HTML has loaded (the second load: the first is the blank document).
        let seen = 0;
        const onLoad = () => {
          if (++seen !== 2) return;
          void page.createCDPSession().then((client) => client.send('Page.crash')).catch(() => undefined);
        };
        page.on('load', onLoad);
        try {
          return await fn(page);
        } finally {
          page.off('load', onLoad);
        }
      }),
    });
    const error = await build(options('out-crash', { concurrency: 1 }), { openBrowser: async () => crashingFirstDeck(shared) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BriefgenError);
    expect(error).toMatchObject({ code: ErrorCode.export, exitCode: 1, message: expect.stringMatching(/^the browser's renderer for this deck crashed twice: first while .+ \(.+\), then again on a fresh page while/) });
    expect(manifestTruth(t.path('out-crash'))).toEqual({ listed: ['tiny-release/en/review'], lies: [] });
    expect(readdirSync(t.path('out-crash/tiny-release/en/review')).filter((f) => f.endsWith('.png')).length).toBeGreaterThan(0);
  });
});

/** The shared session, lent to one build: closing it (the build's lease does) leaves the browser to the next. */
function borrowed(session: BrowserSession): BrowserSession {
  return { get started() {
    return session.started;
  }, withPage: (fn) => session.withPage(fn), close: async () => {} };
}
