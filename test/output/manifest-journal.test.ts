import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openManifestJournal } from '../../src/output/manifest-journal.js';
import { buildManifest, serializeManifest, type ManifestDeck } from '../../src/output/manifest.js';
import { testdir } from '../support/testdir.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A deck with one PDF holding `text`, and that file written under `dir`. */
function deck(dir: string, name: string, text: string): ManifestDeck {
  const path = `r/en/${name}/r-en-${name}.pdf`;
  writeFileSync(`${dir}/${path.replaceAll('/', '_')}`, text);
  return { key: `r/en/${name}`, report: 'r', language: 'en', audience: name, slides: 1, warnings: [], artifacts: [{ path: path.replaceAll('/', '_'), kind: 'pdf', size: text.length, sha256: sha(text), pages: 1 }] };
}
const listedKeys = (dir: string) => (JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as { decks: Array<{ key: string }> }).decks.map((d) => d.key);

describe('openManifestJournal', () => {
  it('keeps the decks of the previous manifest whose files are intact, so a partial run does not forget them', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    writeFileSync(t.path('manifest.json'), serializeManifest(buildManifest([deck(t.dir, 'a', 'A'), deck(t.dir, 'b', 'B')])));
    const journal = await openManifestJournal(t.dir, {});
    expect(journal.listed('r/en/a')?.artifacts[0]?.sha256).toBe(sha('A'));
    await journal.record(deck(t.dir, 'c', 'C'));
    expect(listedKeys(t.dir)).toEqual(['r/en/a', 'r/en/b', 'r/en/c']);
  });

  it('drops, and at once rewrites the manifest without, a deck whose file no longer matches', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    writeFileSync(t.path('manifest.json'), serializeManifest(buildManifest([deck(t.dir, 'a', 'A'), deck(t.dir, 'b', 'B')])));
    writeFileSync(t.path('r_en_b_r-en-b.pdf'), 'B, rewritten by someone else');
    const journal = await openManifestJournal(t.dir, {});
    expect(journal.listed('r/en/b')).toBeUndefined();
    expect(listedKeys(t.dir)).toEqual(['r/en/a']);
  });

  it('lists nothing of a manifest from another SOURCE_DATE_EPOCH or shard once it writes, and leaves it alone until then', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    const before = serializeManifest(buildManifest([deck(t.dir, 'a', 'A')], { sourceDateEpoch: 1 }));
    writeFileSync(t.path('manifest.json'), before);
    const journal = await openManifestJournal(t.dir, { sourceDateEpoch: 2 });
    expect(readFileSync(t.path('manifest.json'), 'utf8')).toBe(before);
    await journal.forget('r/en/a');
    expect(listedKeys(t.dir)).toEqual([]);
    const shard = await openManifestJournal(t.dir, { sourceDateEpoch: 2, shard: { index: 1, count: 2 } });
    await shard.record(deck(t.dir, 'b', 'B'));
    expect(JSON.parse(readFileSync(t.path('manifest.json'), 'utf8'))).toMatchObject({ sourceDateEpoch: 2, shard: { index: 1, count: 2 }, decks: [{ key: 'r/en/b' }] });
  });

  it('writes every change in order, whatever order concurrent decks finish in', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    const journal = await openManifestJournal(t.dir, {});
    await Promise.all(['a', 'b', 'c', 'd'].map(async (name, i) => {
      await journal.forget(`r/en/${name}`);
      await new Promise((resolve) => setTimeout(resolve, 10 * (4 - i)));
      await journal.record(deck(t.dir, name, name.toUpperCase()));
    }));
    expect(listedKeys(t.dir)).toEqual(['r/en/a', 'r/en/b', 'r/en/c', 'r/en/d']);
    expect(readFileSync(t.path('manifest.json'), 'utf8')).toBe(serializeManifest(journal.manifest()));
  });

  it('finish() leaves a manifest even when nothing changed, and does not touch one that already says it', async () => {
    const t = testdir({});
    cleanup = t.cleanup;
    const empty = await openManifestJournal(t.dir, {});
    expect((await empty.finish()).decks).toEqual([]);
    expect(listedKeys(t.dir)).toEqual([]);
    const again = await openManifestJournal(t.dir, {});
    const written = readFileSync(t.path('manifest.json'), 'utf8');
    await again.finish();
    expect(readFileSync(t.path('manifest.json'), 'utf8')).toBe(written);
  });

  it('replaces a manifest.json that is not a briefgen manifest', async () => {
    const t = testdir({ 'manifest.json': '{ not json' });
    cleanup = t.cleanup;
    const journal = await openManifestJournal(t.dir, {});
    await journal.record(deck(t.dir, 'a', 'A'));
    expect(listedKeys(t.dir)).toEqual(['r/en/a']);
  });
});
