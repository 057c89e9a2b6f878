import { BriefgenError, ErrorCode } from './errors.js';

/** One part of a run split over several machines: part `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** `"2/3"` → `{ index: 2, count: 3 }`; anything else is bad usage. */
export function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new BriefgenError(ErrorCode.usage, `invalid shard "${value}"`, {
      hint: 'use --shard K/N with 1 ≤ K ≤ N, e.g. --shard 2/3 for the second of three parts',
    });
  }
  return { index, count };
}

/**
 * Pure: the items of one shard. Items are ordered by key (code-point order, so every machine and
 * locale agrees) and dealt out round-robin: the shards are disjoint, together hold every item, and
 * their sizes differ by at most one. The same keys always give the same split.
 */
export function selectShard<T>(items: readonly T[], shard: Shard | undefined, keyOf: (item: T) => string): T[] {
  if (!shard || shard.count === 1) return [...items];
  const sorted = [...items].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  return sorted.filter((_, position) => position % shard.count === shard.index - 1);
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
