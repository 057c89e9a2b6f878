import { utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { deckInputKey, hashTree, type DeckInputKeyInput } from '../../src/cache/input-key.js';
import { testdir } from '../support/testdir.js';

describe('hashTree', () => {
  const t = testdir({ 'tree/a.yaml': 'a: 1\n', 'tree/img/logo.png': 'png bytes', 'tree/out/x.pdf': 'pdf', 'tree/.git/HEAD': 'ref' });
  afterAll(() => t.cleanup());

  it('hashes content and paths, not modification times, skipping excluded and dot folders', async () => {
    const first = await hashTree(t.path('tree'), [t.path('tree/out')]);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    utimesSync(t.path('tree/a.yaml'), new Date(0), new Date(0));
    writeFileSync(t.path('tree/out/x.pdf'), 'another pdf');
    writeFileSync(t.path('tree/.git/HEAD'), 'another ref');
    expect(await hashTree(t.path('tree'), [t.path('tree/out')])).toBe(first);
    writeFileSync(t.path('tree/img/logo.png'), 'other png bytes');
    const edited = await hashTree(t.path('tree'), [t.path('tree/out')]);
    expect(edited).not.toBe(first);
    mkdirSync(t.path('tree/img2'));
    writeFileSync(t.path('tree/img2/logo.png'), 'other png bytes');
    expect(await hashTree(t.path('tree'), [t.path('tree/out')])).not.toBe(edited);
  });

  it('gives undefined for a folder it cannot read', async () => {
    expect(await hashTree(t.path('missing'))).toBeUndefined();
  });
});

describe('deckInputKey', () => {
  const base: DeckInputKeyInput = {
    fingerprint: 'code',
    browser: '/usr/bin/chromium:1:2',
    deck: 'r/en/exec',
    data: 'meta: {}\n',
    templates: 't',
    dataDir: 'd',
    profile: { name: 'exec', theme: 'plain' },
    options: { formats: ['pdf'], fitAuto: true, sourceDateEpoch: null },
  };

  it('is stable and changes with every input', () => {
    expect(deckInputKey({ ...base, profile: { theme: 'plain', name: 'exec' } })).toBe(deckInputKey(base));
    const variants: DeckInputKeyInput[] = [
      { ...base, fingerprint: 'code2' },
      { ...base, browser: 'remote' },
      { ...base, deck: 'r/zh/exec' },
      { ...base, data: 'meta: {a: 1}\n' },
      { ...base, templates: 't2' },
      { ...base, dataDir: 'd2' },
      { ...base, profile: { name: 'exec', theme: 'dark' } },
      { ...base, options: { formats: ['pdf'], fitAuto: false, sourceDateEpoch: null } },
      { ...base, options: { formats: ['pdf'], fitAuto: true, sourceDateEpoch: 1 } },
    ];
    const keys = new Set([deckInputKey(base), ...variants.map(deckInputKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });
});
