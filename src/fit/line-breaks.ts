/**
 * The in-page check for lines that break inside a word. `findWordBreaks` is handed to
 * `page.evaluate`, so it must be self-contained: no imports, no closures over module scope.
 */

/** A line that breaks where it should not: inside a word, or after the hyphen of a compound. */
export interface WordBreak {
  /** 1-based slide number. */
  slide: number;
  /** The element the text is in, e.g. `h2`, `li`, `strong`. */
  element: string;
  /** The text on both sides of the break, with `/` where the line breaks: `大模/型`. */
  around: string;
  kind: 'word' | 'compound';
}

/**
 * Runs in the page after fitting: for every text of every slide that spans lines, where each line
 * break falls. A break between two letters (or two Chinese characters) of one text node is inside a
 * word — briefgen's `<wbr>` between Chinese phrases starts a new text node, and a break after a
 * space or punctuation is a normal one; a break right after a hyphen between letters splits a
 * compound ("real-/world").
 */
export function findWordBreaks(): WordBreak[] {
  const found: WordBreak[] = [];
  const letter = /[\p{L}\p{N}]/u;
  // A word wider than its whole line has to break somewhere: that is not a fault of the text.
  const tooWideForItsLine = (node: Text, chars: string[], before: number, after: number, parent: Element): boolean => {
    let start = before;
    while (start > 0 && /[\p{L}\p{N}-]/u.test(chars[start - 1]!)) start -= 1;
    let end = after;
    while (end < chars.length - 1 && /[\p{L}\p{N}-]/u.test(chars[end + 1]!)) end += 1;
    const offsetOf = (k: number) => chars.slice(0, k).join('').length;
    const range = document.createRange();
    range.setStart(node, offsetOf(start));
    range.setEnd(node, offsetOf(end + 1));
    const width = Array.from(range.getClientRects()).reduce((sum, r) => sum + r.width, 0);
    range.detach();
    let block: Element | null = parent;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    return block !== null && width >= (block as HTMLElement).clientWidth - 1;
  };
  const svgs = Array.from(document.querySelectorAll('svg[data-marpit-svg]'));
  svgs.forEach((svg, index) => {
    const section = svg.querySelector(':scope > foreignObject > section');
    if (!section) return;
    const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const text = node.data;
      if (text.trim().length < 2) continue;
      const parent = node.parentElement;
      if (!parent || parent.closest('header, footer') || getComputedStyle(parent).display === 'none') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
      if (rects.length < 2) continue;
      // The top of each character, to find where a new line starts.
      let previousTop: number | undefined;
      let previousBottom = 0;
      const chars = Array.from(text);
      let offset = 0;
      chars.forEach((char, i) => {
        const start = offset;
        offset += char.length;
        if (/\s/.test(char)) return;
        range.setStart(node!, start);
        range.setEnd(node!, offset);
        const box = range.getClientRects()[0];
        if (!box) return;
        if (previousTop !== undefined && box.top >= previousBottom - 1) {
          // The line breaks before chars[i]: look at what is on either side.
          let j = i - 1;
          while (j >= 0 && /\s/.test(chars[j]!)) j -= 1;
          const before = chars[j] ?? '';
          const spaceBetween = j < i - 1;
          const around = `${chars.slice(Math.max(0, j - 3), j + 1).join('')}/${chars.slice(i, i + 3).join('')}`;
          const compound = !spaceBetween && before === '-' && letter.test(chars[j - 1] ?? '') && letter.test(char);
          const word = !spaceBetween && letter.test(before) && letter.test(char);
          if ((compound || word) && !tooWideForItsLine(node!, chars, j, i, parent)) {
            found.push({ slide: index + 1, element: parent.tagName.toLowerCase(), around, kind: compound ? 'compound' : 'word' });
          }
        }
        previousTop = box.top;
        previousBottom = box.bottom;
      });
      range.detach();
    }
  });
  return found;
}
