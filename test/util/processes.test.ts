import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processAlive, processStart } from '../../src/util/processes.js';

describe('processAlive', () => {
  it('is true for this process and init, false for a process that exited and for nonsense pids', () => {
    const exited = Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(1)).toBe(true);
    expect(processAlive(exited)).toBe(false);
    expect(processAlive(0)).toBe(false);
    expect(processAlive(-5)).toBe(false);
    expect(processAlive(Number.NaN)).toBe(false);
  });
});

describe('processStart', () => {
  it('names this process by its start time, stable across calls, and nothing for a process that is gone', async () => {
    const start = await processStart(process.pid);
    expect(start).toMatch(/^\d+$/);
    expect(await processStart(process.pid)).toBe(start);
    expect(await processStart(2 ** 22 + 1)).toBeUndefined();
  });
});
