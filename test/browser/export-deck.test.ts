import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBriefgenError } from '../../src/errors.js';
import { exportDeck } from '../../src/browser/export-deck.js';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { fixtureDir, fixtureMarkdown, fixtureRequest } from './deck-fixture.js';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'briefgen-export-test-'));
// Set BRIEFGEN_KEEP_TEST_OUTPUT=1 to look at the files afterwards.
const keepOutput = process.env.BRIEFGEN_KEEP_TEST_OUTPUT === '1';

let session: BrowserSession;

beforeAll(() => {
  session = createBrowserSession({ poolSize: 2, protocolTimeoutMs: 15_000 });
});

afterAll(async () => {
  await session?.close();
  if (keepOutput) console.log(`export test output kept in ${outDir}`);
  else rmSync(outDir, { recursive: true, force: true });
});

const request = fixtureRequest;

function pdfinfo(file: string): Record<string, string> {
  const text = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!.trim(), m[2]!.trim()]),
  );
}

function distinctColours(png: PNG): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 7) seen.add(png.data.readUInt32BE(i));
  return seen.size;
}

function pixel(png: PNG, x: number, y: number): [number, number, number] {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

describe('exportDeck', { timeout: 60_000 }, () => {
  it('exports a 3-slide deck to a PDF and three PNGs from one page load', async () => {
    const date = new Date('2024-05-06T07:08:09Z');
    const started = performance.now();
    const result = await exportDeck(
      session,
      request(fixtureMarkdown, {
        pdfMetadata: {
          title: '季度简报 Q2',
          author: 'Briefing Team',
          subject: 'Quarterly results',
          keywords: ['revenue', 'q2 outlook'],
          language: 'zh-CN',
          date,
        },
      }),
    );
    console.log(`first export (includes browser launch): ${Math.round(performance.now() - started)} ms`);

    expect(result.blockedUrls).toEqual([]);
    expect(result.pdf).toBeInstanceOf(Uint8Array);
    const pdfFile = path.join(outDir, 'deck.pdf');
    writeFileSync(pdfFile, result.pdf!);
    const info = pdfinfo(pdfFile);
    expect(info.Pages).toBe('3');
    expect(info['Page size']).toMatch(/^960 x 540 pts/);
    expect(info.Title).toBe('季度简报 Q2');
    expect(info.Author).toBe('Briefing Team');
    expect(info.Subject).toBe('Quarterly results');
    expect(info.Keywords).toBe('revenue, q2 outlook');
    expect(info.Producer).toBe('briefgen');
    expect(info.CreationDate).toContain('2024');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' });
    expect(text).toContain('季度简报：营收增长');
    expect(text).toContain('Slide three');
    // The catalog carries the language (pdfinfo does not show /Lang).
    expect(Buffer.from(result.pdf!).toString('latin1')).toMatch(/\/Lang \(zh-CN\)/);

    expect(result.pngs).toHaveLength(3);
    const pngs = result.pngs.map((bytes, i) => {
      writeFileSync(path.join(outDir, `slide-${i + 1}.png`), bytes);
      return PNG.sync.read(Buffer.from(bytes));
    });
    for (const png of pngs) {
      expect([png.width, png.height]).toEqual([1280, 720]);
      expect(distinctColours(png)).toBeGreaterThan(4);
    }
    expect(Buffer.compare(pngs[0]!.data, pngs[1]!.data)).not.toBe(0);
    // Each slide's own background fills the corner: no screen chrome, no neighbour bleeding in.
    expect(pixel(pngs[0]!, 2, 2)).toEqual([0x1e, 0x3a, 0x8a]);
    expect(pixel(pngs[1]!, 1277, 717)).toEqual([0xfe, 0xf3, 0xc7]);
    expect(pixel(pngs[2]!, 2, 717)).toEqual([0xdc, 0xfc, 0xe7]);
  });

  it('blocks remote URLs and files outside the roots, reports them, and still finishes quickly', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'briefgen-outside-'));
    const secondRoot = mkdtempSync(path.join(os.tmpdir(), 'briefgen-root-'));
    const badgeBytes = readFileSync(path.join(fixtureDir, 'badge.png'));
    writeFileSync(path.join(outside, 'secret.png'), badgeBytes);
    writeFileSync(path.join(secondRoot, 'fine.png'), badgeBytes);
    // A link inside an allowed root that leads out of it.
    symlinkSync(path.join(outside, 'secret.png'), path.join(secondRoot, 'escape.png'));
    const outsideUrl = pathToFileURL(path.join(outside, 'secret.png')).href;
    const escapeUrl = pathToFileURL(path.join(secondRoot, 'escape.png')).href;
    const fineUrl = pathToFileURL(path.join(secondRoot, 'fine.png')).href;
    const markdown = [
      '# Remote things',
      '',
      '<img src="https://example.com/x.png">',
      `<img src="${outsideUrl}">`,
      `<img src="${escapeUrl}">`,
      `<img src="${fineUrl}">`,
      `<img src="data:image/png;base64,${badgeBytes.toString('base64')}" width="96">`,
      '<img src="https://example.com/x.png">',
      '',
      '---',
      '',
      '# Fine',
    ].join('\n');
    try {
      // Blocked requests must not stall the export; the test's own timeout bounds it, not a clock.
      const result = await exportDeck(session, request(markdown, { allowedRoots: [fixtureDir, secondRoot] }));

      // Unique; the order is Chromium's request order, which varies between URL schemes.
      expect(result.blockedUrls).toHaveLength(3);
      expect(result.blockedUrls).toEqual(
        expect.arrayContaining(['https://example.com/x.png', outsideUrl, escapeUrl]),
      );
      expect(result.pngs).toHaveLength(2);
      expect(result.pdf).toBeDefined();
      writeFileSync(path.join(outDir, 'blocked-1.png'), result.pngs[0]!);
    } finally {
      rmSync(outside, { recursive: true, force: true });
      rmSync(secondRoot, { recursive: true, force: true });
    }
  });

  it('skips the formats not asked for', async () => {
    const pngOnly = await exportDeck(session, request(fixtureMarkdown, { formats: { pdf: false, png: true } }));
    expect(pngOnly.pdf).toBeUndefined();
    expect(pngOnly.pngs).toHaveLength(3);

    const pdfOnly = await exportDeck(session, request(fixtureMarkdown, { formats: { pdf: true, png: false } }));
    expect(pdfOnly.pdf).toBeDefined();
    expect(pdfOnly.pngs).toEqual([]);

    const nothing = createBrowserSession();
    const none = await exportDeck(nothing, request(fixtureMarkdown, { formats: { pdf: false, png: false } }));
    expect(none).toEqual({ pngs: [], blockedUrls: [] });
    expect(nothing.started).toBe(false);
    await nothing.close();
  });

  it('exports 4 decks concurrently through a pool of 2 pages', async () => {
    const decks = ['Alpha', 'Bravo', 'Charlie', 'Delta'].map((name, i) =>
      [
        `<!-- _backgroundColor: "#${['ff0000', '00aa00', '0000ff', 'aa00aa'][i]}" -->`,
        '',
        `# Deck ${name}`,
        '',
        '---',
        '',
        `# ${name} two`,
      ].join('\n'),
    );
    const started = performance.now();
    const results = await Promise.all(decks.map((md) => exportDeck(session, request(md))));
    console.log(`4 concurrent 2-slide exports, pool of 2: ${Math.round(performance.now() - started)} ms`);
    const expected: Array<[number, number, number]> = [
      [0xff, 0, 0],
      [0, 0xaa, 0],
      [0, 0, 0xff],
      [0xaa, 0, 0xaa],
    ];
    results.forEach((result, i) => {
      expect(result.pngs).toHaveLength(2);
      const first = PNG.sync.read(Buffer.from(result.pngs[0]!));
      expect(pixel(first, 5, 5)).toEqual(expected[i]);
      const info = path.join(outDir, `concurrent-${i}.pdf`);
      writeFileSync(info, result.pdf!);
      expect(pdfinfo(info).Pages).toBe('2');
    });
  });

  it('measures a warm 3-slide export', async () => {
    const req = request(fixtureMarkdown);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await exportDeck(session, req);
      times.push(Math.round(performance.now() - started));
    }
    console.log(`warm 3-slide export (PDF + 3 PNG): ${times.join(', ')} ms`);
  });

  it('rejects a deck whose slide count does not match', async () => {
    const both = await exportDeck(session, request(fixtureMarkdown, { slideCount: 4 })).catch((e) => e);
    expect(isBriefgenError(both)).toBe(true);
    expect(both.code).toBe('E_EXPORT');
    expect(both.message).toMatch(/has 3 slides \(svg\[data-marpit-svg\]\) but 4 were expected/);

    const pdfOnly = request(fixtureMarkdown, { slideCount: 4, formats: { pdf: true, png: false } });
    const error = await exportDeck(session, pdfOnly).catch((e) => e);
    expect(isBriefgenError(error)).toBe(true);
    expect(error.message).toMatch(/PDF has 3 pages but the deck has 4 slides/);
  });

  it('refuses to resample slides the export layout left at the wrong size', async () => {
    const req = request(fixtureMarkdown);
    // Without the html[data-export] rules the slides stay in their scaled screen layout.
    const withoutExportCss = req.html.replace(/^html\[data-export\].*$/gm, '');
    expect(withoutExportCss).not.toBe(req.html);
    const error = await exportDeck(session, { ...req, html: withoutExportCss }).catch((e) => e);
    expect(isBriefgenError(error)).toBe(true);
    expect(error.message).toMatch(/Slide 1 measures 1024 x 576 px in the export layout; expected 1280 x 720/);
  });
});
