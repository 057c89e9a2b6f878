import Handlebars from 'handlebars';
import { DataText, rawOf, rawString } from './escape.js';
import { splitMarkerClass } from './markers.js';

export { splitMarkerClass };

type HelperOptions = Handlebars.HelperOptions;
type Helper = (...args: unknown[]) => unknown;

/** Items per slide for a paginated list, by its id, when measurement asked for fewer. */
export type SplitOverrides = ReadonlyMap<string, number>;

/**
 * A text as its sentences, each keeping its end punctuation and the space after it, so joining
 * a run gives back the text exactly. CJK full stops end a sentence without a space.
 */
export function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const end of text.matchAll(/[.!?]+["'”’)\]]*\s+|[。！？]+[”’」』）]*\s*/g)) {
    const stop = end.index + end[0].length;
    if (stop < text.length) sentences.push(text.slice(start, stop));
    start = Math.max(start, stop);
    if (stop >= text.length) break;
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences;
}

/** Ids are written into a marker's title; keep them to characters that survive as they are. */
const cleanId = (id: string): string => id.replace(/[^\w.#[\]-]+/g, '_');

/**
 * The `paginate` block helper:
 *
 * `{{#paginate LIST [per=N] [name="sections.x.items"]}} …one whole slide… {{/paginate}}`
 *
 * renders its block once per run of at most `per` items (all items when `per` is absent), with a
 * slide break between runs. LIST may also be a text: its items are then its sentences and `this`
 * is the run's text, so long prose continues on the next slide.
 *
 * Inside the block: `this` is the run, `@index` the run number, `@first`, `@last`, `@continued`
 * (not the first run: for the "(cont.)" marker), `@start` (0-based index of the run's first item
 * in the whole list), `@number` (its 1-based number: `{{add @../number @index}}` numbers items
 * across slides) and `@runs`.
 *
 * Each slide gets an empty marker `<div>` naming the list, so measurement can tell which list
 * overflowed; `overrides` (by `name`, or `#n` for the n-th paginate block of a deck) lower `per`
 * when a slide still overflows at the smallest scale.
 */
export function createPaginateHelper(overrides: SplitOverrides = new Map()): Helper {
  const calls = new WeakMap<object, number>();
  return function paginate(this: unknown, ...args: unknown[]) {
    const options = args.at(-1) as HelperOptions;
    const raw = rawOf(args.length > 1 ? args[0] : undefined);
    const isText = typeof raw === 'string';
    const list: unknown[] = Array.isArray(raw) ? raw : isText ? sentencesOf(raw) : [];
    const root = (options.data?.root ?? {}) as object;
    const ordinal = (calls.get(root) ?? 0) + 1;
    calls.set(root, ordinal);
    const id = cleanId(rawString(options.hash?.name)) || `#${ordinal}`;
    if (list.length === 0) return options.inverse(this);
    const asked = Math.floor(Number(rawOf(options.hash?.per)));
    const designed = Number.isFinite(asked) && asked > 0 ? asked : list.length;
    const most = Math.max(1, Math.min(designed, overrides.get(id) ?? designed));
    // Balanced runs: 7 items at most 4 to a slide are 4 + 3, and 10 are 4 + 3 + 3, never 4 + 4 + 2.
    const count = Math.ceil(list.length / most);
    const per = Math.ceil(list.length / count);
    const runs: unknown[][] = [];
    const starts: number[] = [];
    for (let run = 0, start = 0; run < count; run += 1) {
      const size = Math.floor(list.length / count) + (run < list.length % count ? 1 : 0);
      starts.push(start);
      runs.push(list.slice(start, start + size));
      start += size;
    }
    const slides = runs.map((run, index) => {
      const data = Handlebars.createFrame(options.data ?? {});
      Object.assign(data, {
        index,
        first: index === 0,
        last: index === runs.length - 1,
        continued: index > 0,
        start: starts[index]!,
        number: starts[index]! + 1,
        runs: runs.length,
      });
      const context = isText ? new DataText((run as string[]).join('').trim(), (root as { lang?: string }).lang) : run;
      const body = String(options.fn(context, { data, blockParams: [context, index] })).trim();
      const marker = `<div class="${splitMarkerClass}" title="${id} ${index} ${per} ${list.length}"></div>`;
      return `${body}\n\n${marker}\n`;
    });
    return new Handlebars.SafeString(`\n${slides.join('\n---\n\n')}\n`);
  };
}

/** A helper registry with `paginate` replaced by one that applies `overrides`. */
export function withSplitOverrides<T extends ReadonlyArray<readonly [string, Helper]>>(registry: T, overrides: SplitOverrides): Array<readonly [string, Helper]> {
  return registry.map(([name, helper]) => (name === 'paginate' ? ([name, createPaginateHelper(overrides)] as const) : ([name, helper] as const)));
}
