import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSourceDateEpoch } from '../../src/config.js';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

const epoch = 1718150400; // 2024-06-12T00:00:00Z
const root = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => name.split('\\').join('/'))
    .sort();
}

interface Bookmark {
  title: string;
  page: number;
  children: Bookmark[];
}

/** The PDF's outline as a tree of titles and 1-based page numbers, read back with pdf-lib. */
function outlineOf(doc: PDFDocument): Bookmark[] {
  const pages = doc.getPages().map((p) => p.ref.toString());
  const read = (first: PDFRef | undefined): Bookmark[] => {
    const items: Bookmark[] = [];
    for (let ref = first; ref; ref = (doc.context.lookup(ref, PDFDict).get(PDFName.of('Next')) as PDFRef | undefined)) {
      const item = doc.context.lookup(ref, PDFDict);
      const title = item.get(PDFName.of('Title')) as PDFHexString | PDFString;
      const dest = doc.context.lookup(item.get(PDFName.of('Dest'))) as unknown as { get(i: number): PDFRef };
      items.push({ title: title.decodeText(), page: pages.indexOf(dest.get(0).toString()) + 1, children: read(item.get(PDFName.of('First')) as PDFRef | undefined) });
    }
    return items;
  };
  const outlines = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict);
  return read(outlines.get(PDFName.of('First')) as PDFRef | undefined);
}

describe('two clean builds with SOURCE_DATE_EPOCH', { timeout: 90_000 }, () => {
  const t = testdir({});
  const outs = [t.path('first'), t.path('second')];
  const results: Array<Awaited<ReturnType<typeof runCli>>> = [];

  beforeAll(async () => {
    for (const out of outs) {
      // No cache: the second build must do the whole export again, not copy the first.
      results.push(
        await runCli(['-a', 'release,exec', '--lang', 'en', '--data', 'content/release-kestrel-3-0', 'content/china-ai-2024', '--out', out, '--no-cache', '-q'], {
          cwd: root,
          env: { SOURCE_DATE_EPOCH: String(epoch) },
        }),
      );
    }
  });
  afterAll(() => t.cleanup());

  it('give byte-identical Markdown, HTML, PDF, PNG, PPTX and manifest files', () => {
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const files = filesUnder(outs[0]!);
    expect(filesUnder(outs[1]!)).toEqual(files);
    expect(new Set(files.map((f) => f.split('.').pop()))).toEqual(new Set(['md', 'html', 'pdf', 'png', 'pptx', 'json']));
    const different = files.filter((file) => !readFileSync(join(outs[0]!, file)).equals(readFileSync(join(outs[1]!, file))));
    expect(different).toEqual([]);
  });

  it('date the PDF and the manifest from the epoch, and give the PDF an /ID of its content', async () => {
    const pdf = readFileSync(join(outs[0]!, 'release-kestrel-3-0/en/release/release-kestrel-3-0-en-release.pdf'));
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getCreationDate()?.getTime()).toBe(epoch * 1000);
    expect(doc.getModificationDate()?.getTime()).toBe(epoch * 1000);
    expect(pdf.toString('latin1')).toMatch(/\/ID \[ <[0-9a-f]{32}> <[0-9a-f]{32}> \]/);
    const manifest = JSON.parse(readFileSync(join(outs[0]!, 'manifest.json'), 'utf8')) as { sourceDateEpoch: number };
    expect(manifest.sourceDateEpoch).toBe(epoch);
  });

  it('write the report into the PDF: title, author, subject, keywords, language and an outline of the slides', async () => {
    const pdf = readFileSync(join(outs[0]!, 'release-kestrel-3-0/en/release/release-kestrel-3-0-en-release.pdf'));
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getTitle()).toBe('Kestrel 3.0');
    expect(doc.getAuthor()).toBe('Kestrel release team (fictional example)');
    expect(doc.getSubject()).toMatch(/^Review for a product or business meeting/);
    expect(doc.getKeywords()).toBe('release review, Kestrel 3.0, example data');
    expect(doc.catalog.get(PDFName.of('Lang'))?.toString()).toBe('(en)');
    expect(doc.catalog.get(PDFName.of('PageMode'))?.toString()).toBe('/UseOutlines');
    const outline = outlineOf(doc);
    expect(outline[0]).toEqual({ title: 'Kestrel 3.0', page: 1, children: [] });
    // One bookmark per content slide, by its title: the message it states.
    expect(outline.map((b) => b.title)).toEqual(
      expect.arrayContaining(['Queries in a third of the time, on 42% less storage', 'Six changes users will notice, led by the columnar segment store', 'Three changes need action before upgrading from 2.x', '61 contributors, 24 of them new']),
    );
    expect(outline.map((b) => b.title)).not.toContain('1');
    const pagesInOrder = outline.map((b) => b.page);
    expect(pagesInOrder).toEqual([...pagesInOrder].sort((a, b) => a - b));
  });
});

describe('a deck exported after others on the same browser page', { timeout: 60_000 }, () => {
  const t = testdir({});
  afterAll(() => t.cleanup());

  it('is byte-identical to the same deck exported first on a fresh page', async () => {
    cpSync(join(import.meta.dirname, '..', 'fixtures', 'release'), t.dir, { recursive: true });
    const env = { SOURCE_DATE_EPOCH: String(epoch) };
    // One page for both decks: `review` (which has a table) is exported after `people`, on a page
    // whose renderer has already made DOM nodes, so Chromium's node-numbered ids differ.
    const after = await runCli(['-a', 'all', '-d', 'data', '-t', 'templates', '-f', 'pdf,png', '-o', 'after', '-j', '1', '--no-cache', '-q'], { cwd: t.dir, env });
    const alone = await runCli(['-a', 'review', '-d', 'data', '-t', 'templates', '-f', 'pdf,png', '-o', 'alone', '--no-cache', '-q'], { cwd: t.dir, env });
    expect(after.code, after.stderr).toBe(0);
    expect(alone.code, alone.stderr).toBe(0);
    const deck = 'tiny-release/en/review';
    const files = filesUnder(t.path(join('alone', deck)));
    expect(files).toContain('tiny-release-en-review.pdf');
    expect(readFileSync(t.path(join('alone', deck, 'tiny-release-en-review.pdf'))).toString('latin1')).toMatch(/\/S \/TH\b/);
    expect(filesUnder(t.path(join('after', deck)))).toEqual(files);
    const different = files.filter((file) => !readFileSync(t.path(join('after', deck, file))).equals(readFileSync(t.path(join('alone', deck, file)))));
    expect(different).toEqual([]);
  });
});

describe('briefgen render with SOURCE_DATE_EPOCH', { timeout: 60_000 }, () => {
  const t = testdir({});
  afterAll(() => t.cleanup());

  it('gives the same PDF twice, dated from the epoch', async () => {
    const deck = join(import.meta.dirname, '..', 'fixtures', 'browser', 'deck.md');
    const env = { SOURCE_DATE_EPOCH: String(epoch) };
    for (const out of ['one', 'two']) {
      const result = await runCli(['render', deck, '-f', 'pdf', '-o', t.path(out), '-q'], { cwd: t.dir, env });
      expect(result.code, result.stderr).toBe(0);
    }
    const [one, two] = ['one', 'two'].map((out) => readFileSync(t.path(join(out, 'deck', 'deck.pdf'))));
    expect(one!.equals(two!)).toBe(true);
    expect((await PDFDocument.load(one!, { updateMetadata: false })).getCreationDate()?.getTime()).toBe(epoch * 1000);
  });
});

describe('parseSourceDateEpoch', () => {
  it('reads whole seconds and treats unset or empty as no date', () => {
    expect(parseSourceDateEpoch('1718150400')).toBe(1718150400);
    expect(parseSourceDateEpoch(' 0 ')).toBe(0);
    expect(parseSourceDateEpoch(undefined)).toBeUndefined();
    expect(parseSourceDateEpoch('')).toBeUndefined();
  });

  it.each(['yesterday', '1.5', '-1', '1e9', '99999999999999999'])('rejects %j as bad usage', (value) => {
    expect(() => parseSourceDateEpoch(value)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
});
