import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeManifestFiles } from '../../src/build/merge.js';
import { BriefgenError } from '../../src/errors.js';
import { buildManifest, serializeManifest, type ManifestDeck } from '../../src/output/manifest.js';
import { testdir } from '../support/testdir.js';

const deck = (key: string): ManifestDeck => ({ key, report: key, language: 'en', audience: 'a', slides: 1, warnings: [], artifacts: [{ path: `${key}/x.pdf`, kind: 'pdf', size: 1, sha256: 'a'.repeat(64), pages: 1 }] });
const t = testdir({});
afterAll(() => t.cleanup());

describe('mergeManifestFiles', () => {
  it('reads manifests by the names the user typed, merges them and writes the result', async () => {
    writeFileSync(t.path('one.json'), serializeManifest(buildManifest([deck('b')], { shard: { index: 1, count: 2 } })));
    writeFileSync(t.path('two.json'), serializeManifest(buildManifest([deck('a')], { shard: { index: 2, count: 2 } })));
    const { manifest, json } = await mergeManifestFiles(['one.json', 'two.json'], { cwd: t.dir, output: 'merged.json' });
    expect(manifest.decks.map((d) => d.key)).toEqual(['a', 'b']);
    expect(manifest.shard).toBeUndefined();
    expect(readFileSync(t.path('merged.json'), 'utf8')).toBe(json);
  });

  it('names a file it cannot read', async () => {
    const error = (await mergeManifestFiles(['missing.json'], { cwd: t.dir }).catch((e: unknown) => e)) as BriefgenError;
    expect(error).toBeInstanceOf(BriefgenError);
    expect(error.message).toBe('cannot read the manifest: ENOENT');
    expect(error.location?.file).toBe(t.path('missing.json'));
  });

  it('refuses a device or pipe as a manifest, and one over the data size limit, without reading it all', async () => {
    await expect(mergeManifestFiles(['/dev/zero'], { cwd: t.dir })).rejects.toMatchObject({ exitCode: 2, message: 'a character device, not a manifest' });
    writeFileSync(t.path('big.json'), ' '.repeat(2048));
    await expect(mergeManifestFiles(['big.json'], { cwd: t.dir, limits: { dataBytes: 1024 } })).rejects.toMatchObject({ code: 'E_LIMIT', exitCode: 2 });
  });
});
