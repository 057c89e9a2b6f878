import { describe, expect, it } from 'vitest';
import { mapLimit, mapWeighted } from '../../src/util/map-limit.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapLimit', () => {
  it('keeps the input order with at most `limit` in flight', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 3, 2], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await tick(n);
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20]);
    expect(most).toBe(2);
  });
});

describe('mapWeighted', () => {
  it('never runs more than `capacity` of weight at once, and runs an item heavier than it alone', async () => {
    const weights = [100, 200, 300, 50, 400, 10];
    let load = 0;
    let most = 0;
    const log: string[] = [];
    const out = await mapWeighted(weights, 4, 300, (w) => w, async (w, i) => {
      load += w;
      most = Math.max(most, load);
      log.push(`start ${i} at load ${load}`);
      await tick(5);
      load -= w;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(400);
    // The 400-slide item ran alone; everything else stayed within 300.
    expect(log.filter((l) => !/start 4/.test(l)).every((l) => Number(/load (\d+)/.exec(l)![1]) <= 300)).toBe(true);
    expect(log.find((l) => l.startsWith('start 4'))).toBe('start 4 at load 400');
  });

  it('on a failure starts nothing new and rejects once the running items have settled', async () => {
    const settled: number[] = [];
    const started: number[] = [];
    const run = mapWeighted([0, 1, 2, 3], 2, 100, () => 1, async (n) => {
      started.push(n);
      if (n === 0) throw new Error('first fails');
      await tick(30);
      settled.push(n);
      return n;
    });
    await expect(run).rejects.toThrow('first fails');
    // Item 1 was in flight when 0 failed: the rejection waited for it.
    expect(settled).toEqual([1]);
    expect(started.length).toBeLessThan(4);
  });

  it('resolves an empty list', async () => {
    expect(await mapWeighted([], 2, 10, () => 1, async () => 1)).toEqual([]);
  });
});
