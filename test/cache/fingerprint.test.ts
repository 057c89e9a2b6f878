import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { briefgenFingerprint, codeFingerprint } from '../../src/cache/fingerprint.js';
import { testdir } from '../support/testdir.js';

describe('codeFingerprint', () => {
  it('changes when a code file changes, and only then', async () => {
    const t = testdir({ 'a.js': 'export const a = 1;\n', 'sub/b.ts': 'export const b = 2;\n', 'a.d.ts': 'x', 'a.js.map': '{}', 'README.md': 'docs' });
    try {
      const before = await codeFingerprint(t.dir);
      expect(before).toMatch(/^[0-9a-f]{64}$/);
      writeFileSync(t.path('a.d.ts'), 'declarations do not run');
      writeFileSync(t.path('a.js.map'), '{"maps":"neither"}');
      writeFileSync(t.path('README.md'), 'nor do docs');
      expect(await codeFingerprint(t.dir)).toBe(before);
      writeFileSync(t.path('sub/b.ts'), 'export const b = 3;\n');
      expect(await codeFingerprint(t.dir)).not.toBe(before);
    } finally {
      t.cleanup();
    }
  });
});

describe('briefgenFingerprint', () => {
  it('hashes briefgen once per process', async () => {
    const first = await briefgenFingerprint();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await briefgenFingerprint()).toBe(first);
  });
});
