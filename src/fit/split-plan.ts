import type { SlideMeasurement } from './measure-overflow.js';
import type { SplitOverrides } from '../compose/paginate.js';

/**
 * Pure: the next `per` for every paginated list that still overflows after fitting, or undefined
 * when no list can help (no marker, already one item per slide). The new run size is what fits at
 * full size, by the first measurement: a list that has to move to more slides anyway gets slides
 * at the designed size, not crammed ones at the floor.
 */
export function planSplits(outcome: { before: readonly SlideMeasurement[]; after: readonly SlideMeasurement[] }, current: SplitOverrides): Map<string, number> | undefined {
  const next = new Map(current);
  let changed = false;
  const unscaled = new Map(outcome.before.map((m) => [m.slide, m]));
  for (const slide of outcome.after) {
    const tooTall = slide.overflows.some((o) => o.y > 0);
    if (!tooTall || !slide.split || slide.split.per <= 1) continue;
    const { id, per } = slide.split;
    const full = unscaled.get(slide.slide) ?? slide;
    const share = full.needed > 0 ? full.available / full.needed : 0.5;
    const fits = Math.max(1, Math.min(per - 1, Math.floor(per * share)));
    if (fits < (next.get(id) ?? Infinity)) {
      next.set(id, fits);
      changed = true;
    }
  }
  return changed ? next : undefined;
}
