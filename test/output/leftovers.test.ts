import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { removeStaleTempFiles, tempName, tempOwner } from '../../src/output/leftovers.js';
import { testdir } from '../support/testdir.js';

describe('temporary file names', () => {
  it('carry the pid of the process writing them, and only such names are read as temporary', () => {
    const name = tempName('slide-01.png', 4242, 'a1b2c3d4e5f6');
    expect(name).toBe('.slide-01.png.4242-a1b2c3d4e5f6.tmp');
    expect(tempOwner(name)).toBe(4242);
    for (const other of ['slide-01.png', '.slide-01.png.a1b2c3d4e5f6.tmp', '.x.4242-short.tmp', 'x.4242-a1b2c3d4e5f6.tmp']) expect(tempOwner(other), other).toBeUndefined();
  });
});

describe('removeStaleTempFiles', () => {
  it('removes what dead processes left, keeps what live ones are writing, and skips missing folders', async () => {
    const dead = Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
    const t = testdir({ [`a/${tempName('x.pdf', dead, '000000000000')}`]: '', [`a/${tempName('y.pdf', process.pid, '000000000000')}`]: '', [`a/${tempName('z.pdf', 1, '000000000000')}`]: '' });
    const removed = await removeStaleTempFiles([t.path('a'), t.path('missing')]);
    expect(removed).toEqual([t.path(`a/${tempName('x.pdf', dead, '000000000000')}`)]);
    // pid 1 (init) is alive, ours is alive: both kept.
    expect(readdirSync(t.path('a')).sort()).toEqual([tempName('y.pdf', process.pid, '000000000000'), tempName('z.pdf', 1, '000000000000')].sort());
    t.cleanup();
  });
});
