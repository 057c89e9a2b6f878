import { describe, expect, it } from 'vitest';
import { buildManifest, mergeManifests, parseManifest, serializeManifest, type Manifest, type ManifestDeck } from '../../src/output/manifest.js';

const deck = (key: string, extra: Partial<ManifestDeck> = {}): ManifestDeck => {
  const [report = 'r', language = 'en', audience = 'exec'] = key.split('/');
  return {
    key,
    report,
    language,
    audience,
    slides: 2,
    warnings: [],
    artifacts: [
      { path: `${key}/${report}-${language}-${audience}.pdf`, kind: 'pdf', size: 10, sha256: 'a'.repeat(64), pages: 2 },
      { path: `${key}/slide-01.png`, kind: 'png', size: 5, sha256: 'b'.repeat(64), pages: 1 },
    ],
    ...extra,
  };
};

describe('buildManifest', () => {
  it('sorts decks and artifacts, and writes no time unless SOURCE_DATE_EPOCH gives one', () => {
    const d = deck('r/zh/exec');
    const manifest = buildManifest([deck('r/zh/exec'), { ...deck('r/en/exec'), artifacts: [...d.artifacts].reverse() }]);
    expect(manifest.decks.map((x) => x.key)).toEqual(['r/en/exec', 'r/zh/exec']);
    expect(manifest.decks[1]!.artifacts.map((a) => a.kind)).toEqual(['pdf', 'png']);
    expect(Object.keys(manifest)).toEqual(['generator', 'decks']);
    expect(buildManifest([], { sourceDateEpoch: 1700000000 }).sourceDateEpoch).toBe(1700000000);
  });

  it('drops fields that are not part of the manifest (such as cached)', () => {
    const manifest = buildManifest([{ ...deck('r/en/exec'), cached: true } as ManifestDeck]);
    expect(JSON.stringify(manifest)).not.toMatch(/cached/);
  });

  it('records a shard only when there is more than one', () => {
    expect(buildManifest([], { shard: { index: 1, count: 1 } }).shard).toBeUndefined();
    expect(buildManifest([], { shard: { index: 2, count: 3 } }).shard).toEqual({ index: 2, count: 3 });
  });
});

describe('mergeManifests', () => {
  const shard = (index: number, count: number, decks: ManifestDeck[], extra: Partial<Manifest> = {}): Manifest => ({ ...buildManifest(decks, { shard: { index, count } }), ...extra });

  it('unions complete shards into an unsharded manifest', () => {
    const merged = mergeManifests([shard(2, 2, [deck('r/zh/exec')]), shard(1, 2, [deck('r/en/exec')])]);
    expect(merged).toEqual(buildManifest([deck('r/en/exec'), deck('r/zh/exec')]));
  });

  it('counts a deck listed twice the same way once', () => {
    expect(mergeManifests([buildManifest([deck('r/en/exec')]), buildManifest([deck('r/en/exec')])]).decks).toHaveLength(1);
  });

  it.each<[string, Manifest[], RegExp]>([
    ['a missing shard', [shard(1, 3, []), shard(3, 3, [])], /shard 2\/3 missing/],
    ['a shard given twice', [shard(1, 2, []), shard(1, 2, [])], /both shard 1\/2/],
    ['shards of different counts', [shard(1, 2, []), shard(2, 3, [])], /one of 2/],
    ['shards mixed with a whole build', [shard(1, 2, []), buildManifest([])], /some manifests are shards/],
    ['two briefgen versions', [buildManifest([]), buildManifest([], { generator: 'briefgen 9.9.9' })], /written by briefgen 9\.9\.9/],
    ['two SOURCE_DATE_EPOCHs', [buildManifest([], { sourceDateEpoch: 1 }), buildManifest([], { sourceDateEpoch: 2 })], /SOURCE_DATE_EPOCH/],
    ['a deck built differently twice', [buildManifest([deck('r/en/exec')]), buildManifest([deck('r/en/exec', { slides: 3 })])], /deck r\/en\/exec differs/],
    ['a file claimed by two decks', [buildManifest([deck('r/en/exec')]), buildManifest([{ ...deck('r/en/other'), artifacts: deck('r/en/exec').artifacts }])], /belongs to both/],
  ])('refuses %s', (_what, manifests, message) => {
    expect(() => mergeManifests(manifests)).toThrow(message);
  });
});

describe('parseManifest', () => {
  it('reads back what serializeManifest wrote', () => {
    const manifest = buildManifest([deck('r/en/exec')], { sourceDateEpoch: 5 });
    expect(parseManifest(serializeManifest(manifest), 'm.json')).toEqual(manifest);
  });

  it.each(['not json', '{"decks": []}', '[]'])('rejects %j', (text) => {
    expect(() => parseManifest(text, 'm.json')).toThrow(/m\.json/);
  });
});
