import type { Paragraph, Rect, TextFrame } from './slide-layout.js';

/**
 * Where the baseline sits in a line of exact line spacing `lineHeight` whose largest font is
 * `fontSize`: a fifth of the font size above the line's bottom, whatever the font (PowerPoint's
 * rule, which LibreOffice follows for PPTX; measured on LibreOffice 7.4 with three fonts at six
 * sizes and six spacings, within a pixel). CSS instead centres the glyphs in the line
 * (half-leading), so each paragraph is placed by its baselines, not by its line boxes.
 */
export const baselineInLine = (lineHeight: number, fontSize: number): number => lineHeight - 0.2 * fontSize;

/** One paragraph as the writer sets it: px, relative to the frame's text area. */
export interface PlacedParagraph {
  paragraph: Paragraph;
  marginLeft: number;
  marginRight: number;
  indent: number;
  spaceBefore: number;
  lineHeight: number;
}

export interface PlacedFrame {
  /** The text box (for a shape or a cell: its own box, unchanged). */
  rect: Rect;
  insets: { l: number; t: number; r: number; b: number };
  paragraphs: PlacedParagraph[];
  /** Lines wrap at the frame's width (false: `white-space: nowrap`). */
  wrap: boolean;
}

/**
 * Room left for measurement differences between the browser and the renderer on a line of
 * `width` px: text set by another engine in the same font comes out within about half a percent.
 */
const slack = (width: number): number => 1 + width * 0.008;

/**
 * Pure: the width of a paragraph's text that breaks every line where the browser broke it,
 * closest to `natural`: at least each line (plus slack), less than each line with the next
 * line's first word (minus slack). CSS `text-wrap: balance` breaks lines well short of the
 * box; a renderer that fills lines greedily needs the narrower width to break them the same.
 * Text that never wraps gets exactly its own width.
 */
export function wrapWidth(paragraph: Paragraph, natural: number): number {
  // [widest, narrowest-with-next): the widths that break like the browser; lo and hi leave slack inside it.
  let widest = 0;
  let narrowest = Infinity;
  let lo = 0;
  let hi = Infinity;
  paragraph.lines.forEach((line, i) => {
    const indent = i === 0 ? Math.max(0, paragraph.indent) : 0;
    const width = line.right - line.left + indent;
    widest = Math.max(widest, width);
    lo = Math.max(lo, width + slack(width));
    if (line.withNext !== undefined && !paragraph.nowrap) {
      narrowest = Math.min(narrowest, line.withNext + indent);
      hi = Math.min(hi, line.withNext + indent - slack(width));
    }
  });
  if (paragraph.nowrap) return lo;
  // One line: no width is too wide, and a generous one keeps it on one line in a renderer whose
  // text runs wider (LibreOffice spaces CJK from Latin text).
  if (paragraph.lines.length === 1) return Math.max(natural, widest * 1.03 + paragraph.fontSize * 0.5);
  // Within the safe range, no narrower than half-way: text another engine sets a little wider
  // (other font metrics, LibreOffice's space between Chinese and Latin) still breaks the same.
  if (lo <= hi) return Math.min(Math.max(natural, lo, (widest + narrowest) / 2), hi);
  if (widest < narrowest) return (widest + narrowest) / 2;
  // No width breaks like the browser (balanced text that moved a word down): as narrow as the
  // widest line, which keeps the number of lines.
  return lo;
}

/** The alignment most of the frame's text has. */
function mainAlign(frame: TextFrame): Paragraph['align'] {
  const counts = new Map<Paragraph['align'], number>();
  for (const p of frame.paragraphs) counts.set(p.align, (counts.get(p.align) ?? 0) + p.lines.length);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'l';
}

/**
 * Pure: places the frame's paragraphs for a renderer with exact line spacing, so each line's
 * baseline lands where the browser drew it. `box` places a plain text box (it may move and
 * narrow); `shape` sets the text inside a fixed box by its insets alone.
 */
export function placeFrame(frame: TextFrame, mode: { kind: 'box' } | { kind: 'shape'; rect: Rect }): PlacedFrame {
  const paragraphs = frame.paragraphs.filter((p) => p.lines.length > 0);
  // Bullets hang left of the text; the text area starts at the leftmost of them.
  const hang = Math.max(0, ...paragraphs.map((p) => -(p.marginLeft + Math.min(0, p.indent))));
  const left = frame.content.x - hang;
  const natural = frame.content.w + hang;
  // Each paragraph gets the text width that breaks its lines as the browser did: the frame is as
  // wide as the widest needs, and narrower ones get the difference as margin on their open side.
  const widths = paragraphs.map((p) => wrapWidth(p, natural - (p.marginLeft + hang) - p.marginRight));
  const needed = Math.max(...paragraphs.map((p, i) => widths[i]! + p.marginLeft + hang + p.marginRight));
  const width = mode.kind === 'box' ? needed : Math.max(natural, needed);
  const placed: PlacedParagraph[] = paragraphs.map((paragraph, i) => {
    const extra = Math.max(0, width - (paragraph.marginLeft + hang) - paragraph.marginRight - widths[i]!);
    const toLeft = paragraph.align === 'r' ? extra : paragraph.align === 'ctr' ? extra / 2 : 0;
    return { paragraph, marginLeft: paragraph.marginLeft + hang + toLeft, marginRight: paragraph.marginRight + extra - toLeft, indent: paragraph.indent, spaceBefore: 0, lineHeight: paragraph.lineHeight };
  });
  const wrap = paragraphs.some((p) => !p.nowrap);

  // Each paragraph's first baseline follows from the last one of the paragraph before.
  const first = paragraphs[0];
  const lineTop = (p: Paragraph, line: number) => p.lines[line]!.baseline - baselineInLine(p.lineHeight, p.lines[line]!.size);
  let textTop = first ? lineTop(first, 0) : frame.top;
  let cursor = textTop;
  placed.forEach((item, i) => {
    const p = item.paragraph;
    if (i > 0) {
      item.spaceBefore = Math.max(0, lineTop(p, 0) - cursor);
    }
    cursor = Math.max(cursor, lineTop(p, 0)) + p.lines.length * p.lineHeight;
  });
  const textHeight = cursor - textTop;

  const align = mainAlign(frame);
  const spare = natural - width;
  const shiftLeft = align === 'ctr' ? spare / 2 : align === 'r' ? spare : 0;
  if (mode.kind === 'box') {
    return {
      rect: { x: left + shiftLeft, y: textTop, w: width, h: textHeight },
      insets: { l: 0, t: 0, r: 0, b: 0 },
      paragraphs: placed,
      wrap,
    };
  }
  const rect = mode.rect;
  let l = left - rect.x + shiftLeft;
  let r = rect.x + rect.w - (left + natural) + (spare - shiftLeft);
  // A wider text area than the box's content eats into the padding, never past the box.
  if (l < 0) {
    r += l;
    l = 0;
  }
  if (r < 0) {
    l = Math.max(0, l + r);
    r = 0;
  }
  let t = textTop - rect.y;
  if (t < 0) {
    // The text starts above the box: its first line sits at the top; nothing is cut off.
    t = 0;
  }
  return { rect, insets: { l, t, r, b: 0 }, paragraphs: placed, wrap };
}
