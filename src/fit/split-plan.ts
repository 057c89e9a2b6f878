import type { SlideMeasurement } from './measure-overflow.js';
import type { SplitOverrides } from './paginate-helper.js';

/**
 * Pure: the next `per` for every paginated list that still overflows after fitting, or undefined
 * when no list can help (no marker, already one item per slide). The new run size is what fitted
 * in the space measured at the final scale, so one more compose pass usually settles it.
 */
export function planSplits(measured: readonly SlideMeasurement[], current: SplitOverrides): Map<string, number> | undefined {
  const next = new Map(current);
  let changed = false;
  for (const slide of measured) {
    const tooTall = slide.overflows.some((o) => o.y > 0);
    if (!tooTall || !slide.split || slide.split.per <= 1) continue;
    const { id, per } = slide.split;
    const share = slide.needed > 0 ? slide.available / slide.needed : 0.5;
    const fits = Math.max(1, Math.min(per - 1, Math.floor(per * share)));
    if (fits < (next.get(id) ?? Infinity)) {
      next.set(id, fits);
      changed = true;
    }
  }
  return changed ? next : undefined;
}
