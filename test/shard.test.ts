import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBuildOptions } from '../src/config.js';
import { mergeManifests, parseManifest, serializeManifest } from '../src/output/manifest.js';
import { build } from '../src/build/build.js';
import type { BuildResult } from '../src/build/types.js';
import { parseShard, selectShard } from '../src/shard.js';
import { runCli } from './support/run-cli.js';
import { testdir } from './support/testdir.js';

describe('parseShard', () => {
  it('reads K/N', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/3', '4/3', '1/0', '2', 'a/b', '1/2/3', '-1/2', ''])('rejects %j as bad usage', (value) => {
    expect(() => parseShard(value)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
});

describe('selectShard', () => {
  const keys = ['r2/en/exec', 'r1/zh/policy', 'r1/en/exec', 'r3/en/public', 'r1/en/policy', 'r2/zh/exec', 'r1/zh/exec'];

  it.each([1, 2, 3, 4, 7, 9])('splits into %i disjoint, complete, balanced parts', (count) => {
    const parts = Array.from({ length: count }, (_, i) => selectShard(keys, { index: i + 1, count }, (k) => k));
    const all = parts.flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...keys].sort());
    const sizes = parts.map((p) => p.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('depends on the keys, not on the order the jobs come in', () => {
    const shuffled = [...keys].reverse();
    for (let index = 1; index <= 3; index += 1) {
      expect(selectShard(shuffled, { index, count: 3 }, (k) => k)).toEqual(selectShard(keys, { index, count: 3 }, (k) => k));
    }
  });

  it('keeps everything without a shard', () => {
    expect(selectShard(keys, undefined, (k) => k)).toEqual(keys);
  });
});

describe('building in shards (Markdown and HTML, no browser)', { timeout: 60_000 }, () => {
  const t = testdir({});
  const shards: BuildResult[] = [];
  let whole: BuildResult;

  beforeAll(async () => {
    cpSync(join(import.meta.dirname, 'fixtures', 'release'), t.dir, { recursive: true });
    // Three reports in two languages for two audiences: twelve jobs.
    const data = readFileSync(t.path('data/en.yaml'), 'utf8');
    for (const id of ['alpha', 'beta', 'gamma']) {
      writeFileSync(t.path(`data/${id}-en.yaml`), data.replace('id: tiny-release', `id: ${id}`));
      writeFileSync(t.path(`data/${id}-zh.yaml`), data.replace('id: tiny-release', `id: ${id}`).replace('language: en', 'language: zh'));
    }
    const run = (out: string, shard?: string) =>
      build(resolveBuildOptions({ data: ['data/alpha-en.yaml', 'data/alpha-zh.yaml', 'data/beta-en.yaml', 'data/beta-zh.yaml', 'data/gamma-en.yaml', 'data/gamma-zh.yaml'], templates: 'templates', out, audience: 'all', format: 'md', shard }, t.dir, {}));
    whole = await run('out');
    for (const k of [1, 2, 3]) shards.push(await run(`out-${k}`, `${k}/3`));
  });
  afterAll(() => t.cleanup());

  it('gives each shard a disjoint part, together the whole', () => {
    const keys = shards.map((s) => s.decks.map((d) => d.key));
    expect(whole.decks).toHaveLength(12);
    expect(keys.map((k) => k.length)).toEqual([4, 4, 4]);
    expect(keys.flat().sort()).toEqual(whole.decks.map((d) => d.key).sort());
  });

  it('records the shard in its manifest, and merging the three gives the unsharded manifest', () => {
    const manifests = [1, 2, 3].map((k) => parseManifest(readFileSync(t.path(`out-${k}/manifest.json`), 'utf8'), `out-${k}/manifest.json`));
    expect(manifests.map((m) => m.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    expect(serializeManifest(mergeManifests(manifests))).toBe(readFileSync(t.path('out/manifest.json'), 'utf8'));
  });

  it('merges with `briefgen merge-manifests … -o`, and refuses a missing shard', async () => {
    const ok = await runCli(['merge-manifests', 'out-1/manifest.json', 'out-2/manifest.json', 'out-3/manifest.json', '-o', 'merged/manifest.json'], { cwd: t.dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(t.path('merged/manifest.json'), 'utf8')).toBe(readFileSync(t.path('out/manifest.json'), 'utf8'));
    const missing = await runCli(['merge-manifests', 'out-1/manifest.json', 'out-3/manifest.json'], { cwd: t.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard 2\/3 missing/);
  });
});
