/**
 * The in-page overflow check. `measureSlides` is handed to `page.evaluate`, so it must be
 * self-contained: no imports, no closures over module scope, only the DOM.
 */

/** Content that reaches past where it may go, on one slide, grouped by top-level block. */
export interface MeasuredOverflow {
  /** The deepest element that first crosses the limit, e.g. `li`, `td`, `p`. */
  tag: string;
  /** The top-level block of the slide it belongs to, e.g. `ol`, `table`, `p`. */
  block: string;
  /** The culprit's first words. */
  text: string;
  /** Slide px past the limit, horizontally (left + right) and vertically (top + bottom). */
  x: number;
  y: number;
  /**
   * `slide`: past the slide's content box (or the slide edge, for positioned elements);
   * `box`: text running past its own element (long unbreakable strings), or content clipped by an
   * element that hides its overflow.
   */
  kind: 'slide' | 'box';
}

/** The `paginate` helper's marker on a slide: which list run this slide shows. */
export interface SplitMarker {
  /** The `name=` given to paginate, or `#<n>`: the n-th paginate block of the deck. */
  id: string;
  /** 0-based run of the list on this slide. */
  run: number;
  /** Items per run the deck was composed with. */
  per: number;
  /** Items in the whole list. */
  count: number;
}

export interface SlideMeasurement {
  /** 1-based slide number. */
  slide: number;
  overflows: MeasuredOverflow[];
  /** Height the slide's flow content needs, and the height it has (slide px). */
  needed: number;
  available: number;
  split?: SplitMarker;
}

export interface MeasureArgs {
  /** Overflow smaller than this (slide px) is rounding, not overflow. */
  tolerance: number;
  /** 1-based slides to measure; all when absent. */
  slides?: number[];
  markerClass: string;
}

/**
 * Runs in the page, after fonts are loaded: for every slide, content that reaches past the
 * section's content box (positioned elements: past the slide), text that runs past its own
 * element, and elements that clip their own content. Works at any display scale: numbers are in
 * slide px.
 */
export function measureSlides(args: MeasureArgs): SlideMeasurement[] {
  const tol = args.tolerance;
  const wanted = args.slides ? new Set(args.slides) : undefined;
  const svgs = Array.from(document.querySelectorAll('svg[data-marpit-svg]'));
  const results: SlideMeasurement[] = [];

  // About 48 columns of text, a CJK character counting as two.
  const firstWords = (el: Element): string => {
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    let width = 0;
    let end = 0;
    for (const char of text) {
      width += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(char) ? 2 : 1;
      if (width > 48) break;
      end += char.length;
    }
    if (end >= text.length) return text;
    const cut = text.slice(0, end);
    const space = cut.lastIndexOf(' ');
    return `${space > end / 2 ? cut.slice(0, space) : cut}…`;
  };

  svgs.forEach((svg, index) => {
    const slide = index + 1;
    if (wanted && !wanted.has(slide)) return;
    const section = Array.from(svg.querySelectorAll(':scope > foreignObject > section')).find((s) => {
      const role = s.getAttribute('data-marpit-advanced-background');
      return role !== 'background' && role !== 'pseudo';
    }) as HTMLElement | undefined;
    if (!section) return;

    const box = section.getBoundingClientRect();
    const scale = section.offsetWidth > 0 ? box.width / section.offsetWidth : 1;
    const width = section.offsetWidth;
    const height = section.offsetHeight;
    const style = getComputedStyle(section);
    const px = (value: string) => parseFloat(value) || 0;
    let top = px(style.paddingTop);
    let bottom = height - px(style.paddingBottom);
    const left = px(style.paddingLeft);
    const right = width - px(style.paddingRight);

    const isChrome = (el: Element) => el.parentElement === section && (el.tagName === 'HEADER' || el.tagName === 'FOOTER');
    const local = (r: DOMRect) => ({
      left: (r.left - box.left) / scale,
      right: (r.right - box.left) / scale,
      top: (r.top - box.top) / scale,
      bottom: (r.bottom - box.top) / scale,
      width: r.width / scale,
      height: r.height / scale,
    });
    // Header and footer sit in the padding by design; where a theme lets them reach into the
    // content box, content must stay clear of them too.
    for (const chrome of Array.from(section.children).filter(isChrome)) {
      const r = local(chrome.getBoundingClientRect());
      if (r.width === 0 || r.height === 0 || getComputedStyle(chrome).display === 'none') continue;
      if (r.top > height / 2) bottom = Math.min(bottom, r.top);
      else top = Math.max(top, r.bottom);
    }

    interface Crossing {
      el: Element;
      block: Element;
      x: number;
      y: number;
      kind: 'slide' | 'box';
      inline: boolean;
    }
    const crossings: Crossing[] = [];
    let flowTop = Infinity;
    let flowBottom = -Infinity;
    let split: SplitMarker | undefined;

    const blockOf = (el: Element): Element => {
      let node = el;
      while (node.parentElement && node.parentElement !== section) node = node.parentElement;
      return node;
    };
    const excess = (r: ReturnType<typeof local>, lim: { left: number; right: number; top: number; bottom: number }) => ({
      x: Math.max(0, lim.left - r.left) + Math.max(0, r.right - lim.right),
      y: Math.max(0, lim.top - r.top) + Math.max(0, r.bottom - lim.bottom),
    });
    const content = { left, right, top, bottom };
    const whole = { left: 0, right: width, top: 0, bottom: height };

    const visit = (el: Element, clipped: boolean, positioned: boolean): void => {
      if (isChrome(el)) return;
      if (el.classList.contains(args.markerClass)) {
        // title="<id> <run> <per> <count>", written by the paginate helper.
        const [id = '', run = '0', per = '0', count = '0'] = (el.getAttribute('title') ?? '').trim().split(/\s+/);
        split = { id, run: Number(run), per: Number(per), count: Number(count) };
        return;
      }
      const cs = getComputedStyle(el);
      if (cs.display === 'none') return;
      // Visually hidden copies for screen readers (KaTeX's MathML, "sr-only" text): 1 px boxes
      // clipped to nothing, whose content is never meant to show.
      if (cs.clip !== 'auto' && cs.clip !== '' && cs.position === 'absolute') return;
      if (cs.overflowX !== 'visible' && cs.overflowY !== 'visible') {
        const box = el.getBoundingClientRect();
        if (box.width / scale <= 2 || box.height / scale <= 2) return;
      }
      const own = cs.position === 'absolute' || cs.position === 'fixed';
      const isPositioned = positioned || own;
      const rects = el.getClientRects();
      if (!clipped && rects.length > 0 && cs.visibility !== 'hidden') {
        const r = local(el.getBoundingClientRect());
        if (r.width > 0 || r.height > 0) {
          if (el.parentElement === section && !own) {
            flowTop = Math.min(flowTop, r.top);
            flowBottom = Math.max(flowBottom, r.bottom);
          }
          const e = excess(r, isPositioned ? whole : content);
          if (e.x > tol || e.y > tol) crossings.push({ el, block: blockOf(el), x: e.x, y: e.y, kind: 'slide', inline: cs.display.startsWith('inline') });
        }
      }
      const clips = cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
      if (clips && !clipped) {
        // Whatever the element hides is lost as surely as what runs off the slide.
        const hiddenX = el.scrollWidth - el.clientWidth;
        const hiddenY = el.scrollHeight - el.clientHeight;
        const x = cs.overflowX !== 'visible' && hiddenX > tol ? hiddenX / scale : 0;
        const y = cs.overflowY !== 'visible' && hiddenY > tol ? hiddenY / scale : 0;
        if (x > 0 || y > 0) crossings.push({ el, block: blockOf(el), x, y, kind: 'box', inline: false });
      }
      for (const child of Array.from(el.childNodes)) {
        if (child.nodeType === Node.ELEMENT_NODE) visit(child as Element, clipped || clips, isPositioned);
        else if (child.nodeType === Node.TEXT_NODE && !clipped && !clips && (child.textContent ?? '').trim() !== '') {
          checkText(child as Text, el, cs, isPositioned);
        }
      }
    };

    // Text can run past its element without moving the element's box: a long URL or an unbroken
    // run in a narrow column. Compare each line box with the nearest block around it.
    const checkText = (text: Text, parent: Element, parentStyle: CSSStyleDeclaration, positioned: boolean) => {
      let container: Element = parent;
      let cs = parentStyle;
      while (cs.display.startsWith('inline') && container.parentElement && container.parentElement !== section) {
        container = container.parentElement;
        cs = getComputedStyle(container);
      }
      const range = document.createRange();
      range.selectNodeContents(text);
      const own = local(container.getBoundingClientRect());
      const limit = positioned ? whole : content;
      let x = 0;
      let y = 0;
      let pastBox = 0;
      // A glyph box is as tall as the font's ascent and descent, which may be more than the line
      // box the text sits in (a tall font at a tight line-height): when the element itself is
      // within bounds, a sliver of its glyphs beyond them is the font's, not overflow.
      const ownExcess = excess(own, limit);
      for (const rect of Array.from(range.getClientRects())) {
        const r = local(rect);
        if (r.width === 0 && r.height === 0) continue;
        const e = excess(r, limit);
        const fontOverhang = ownExcess.y <= tol ? r.height * 0.3 : 0;
        x = Math.max(x, e.x);
        y = Math.max(y, e.y > fontOverhang ? e.y : 0);
        pastBox = Math.max(pastBox, Math.max(0, own.left - r.left) + Math.max(0, r.right - own.right));
      }
      range.detach();
      if (x > tol || y > tol) crossings.push({ el: container, block: blockOf(container), x, y, kind: 'slide', inline: false });
      else if (pastBox > tol) crossings.push({ el: container, block: blockOf(container), x: pastBox, y: 0, kind: 'box', inline: false });
    };

    for (const child of Array.from(section.children)) visit(child, false, false);

    // One finding per top-level block: its worst numbers, named after the deepest element that
    // first crosses the line (the list item, the table cell), which is where a reader sees the cut.
    const overflows: MeasuredOverflow[] = [];
    const blocks = new Map<Element, Crossing[]>();
    for (const c of crossings) blocks.set(c.block, [...(blocks.get(c.block) ?? []), c]);
    for (const [block, list] of blocks) {
      // Descend no further than a unit a reader would name: an item, a cell, a paragraph.
      const unit = /^(LI|TD|TH|P|H[1-6]|DT|DD|FIGURE|BLOCKQUOTE|PRE)$/;
      let culprit = list[0]!;
      for (let i = 0; i < list.length - 1 && !unit.test(culprit.el.tagName); i += 1) {
        const next = list[i + 1]!;
        if (list[i]!.el.contains(next.el) && list[i]!.el !== next.el && !next.inline) culprit = next;
        else break;
      }
      // Mostly too wide: the widest unbroken word (a URL, an identifier) is usually the cause.
      if (Math.max(...list.map((c) => c.x)) >= Math.max(...list.map((c) => c.y))) {
        const longestWord = (el: Element) =>
          Math.max(0, ...Array.from(el.childNodes, (n) => (n.nodeType === Node.TEXT_NODE ? Math.max(0, ...(n.textContent ?? '').split(/[\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+/).map((w) => w.length)) : 0)));
        const wordy = [block, ...Array.from(block.querySelectorAll('*'))].sort((a, b) => longestWord(b) - longestWord(a))[0];
        if (wordy && longestWord(wordy) >= 20) culprit = { ...culprit, el: wordy };
      }
      const round = (n: number) => Math.round(n);
      overflows.push({
        tag: culprit.el.tagName.toLowerCase(),
        block: block.tagName.toLowerCase(),
        text: firstWords(culprit.el),
        x: round(Math.max(...list.map((c) => c.x))),
        y: round(Math.max(...list.map((c) => c.y))),
        kind: list.some((c) => c.kind === 'slide') ? 'slide' : 'box',
      });
    }
    results.push({
      slide,
      overflows: overflows.filter((o) => o.x > 0 || o.y > 0),
      needed: Number.isFinite(flowTop) ? Math.round(flowBottom - flowTop) : 0,
      available: Math.round(bottom - top),
      ...(split ? { split } : {}),
    });
  });
  return results;
}
