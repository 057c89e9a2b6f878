/**
 * The slide layout: what the browser laid out on each slide, read from the DOM after slide fit and
 * in the export layout, as plain data. The PPTX writer turns it into PowerPoint objects; nothing
 * in it refers to the DOM, so it can be built, tested and written without a browser. Lengths are
 * slide CSS px (1280 × 720 for a 16:9 deck), colours sRGB with alpha.
 */

export interface Rgba {
  /** `rrggbb`, lower case. */
  hex: string;
  /** 0–1. */
  alpha: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface GradientStop {
  /** 0–1 along the gradient line. */
  at: number;
  color: Rgba;
}

export type Fill =
  | { type: 'solid'; color: Rgba }
  /** A CSS linear gradient: `angle` in CSS degrees (0 = to top, 90 = to right). */
  | { type: 'linear'; angle: number; stops: GradientStop[] };

export interface Line {
  /** px */
  width: number;
  color: Rgba;
  dash: 'solid' | 'dash' | 'dot';
}

export interface Shadow {
  /** px */
  x: number;
  y: number;
  blur: number;
  color: Rgba;
}

/** Corner radii in px: top-left, top-right, bottom-right, bottom-left (CSS order). */
export type Radii = [number, number, number, number];

/** What a box looks like: its fill, outline, corners and shadow. */
export interface BoxStyle {
  fill?: Fill;
  line?: Line;
  radii?: Radii;
  shadow?: Shadow;
  /** The box is round: `border-radius` of half its size or more on a square. */
  ellipse?: boolean;
}

export interface RunFont {
  /** Size in px. */
  size: number;
  bold: boolean;
  italic: boolean;
  color: Rgba;
  /** px; 0 when normal. */
  letterSpacing: number;
  underline: boolean;
  strike: boolean;
  /** `text-transform: uppercase` (PowerPoint's All Caps). */
  caps: boolean;
  /** Superscript / subscript. */
  baseline?: 'super' | 'sub';
  /** The family of the font the browser used for the run's Latin text, as font menus name it. */
  latin: string;
  /** The family it used for East Asian text, when the run has any. */
  eastAsian?: string;
  /** Inline background (`<mark>`, code spans). */
  highlight?: Rgba;
}

/** A piece of text in one style; `break` is a line break (`<br>`), `field` a slide number. */
export interface Run {
  text: string;
  font: RunFont;
  /** BCP 47 language of the text, e.g. `zh-CN`, `en`. */
  lang?: string;
  /** An absolute URL, or `#<n>` for slide n of the deck. */
  href?: string;
  break?: boolean;
  /** The run is the slide's number, to be kept up to date by PowerPoint. */
  field?: 'slidenum';
}

export type Bullet =
  | { type: 'char'; char: string; color?: Rgba; sizeRatio: number; font?: string }
  | { type: 'number'; scheme: NumberScheme; startAt: number; color?: Rgba; sizeRatio: number; font?: string };

export const NumberScheme = {
  arabicPeriod: 'arabicPeriod',
  arabicParenR: 'arabicParenR',
  alphaLcPeriod: 'alphaLcPeriod',
  alphaUcPeriod: 'alphaUcPeriod',
  romanLcPeriod: 'romanLcPeriod',
  romanUcPeriod: 'romanUcPeriod',
} as const;
export type NumberScheme = (typeof NumberScheme)[keyof typeof NumberScheme];

/** Where the browser put one line of a paragraph (slide px). */
export interface LineBox {
  top: number;
  bottom: number;
  /** Baseline of the line's first text. */
  baseline: number;
  /** The largest font size on the line, px. */
  size: number;
  left: number;
  right: number;
  /**
   * Width the line would need with the next line's first word added: the widest a frame can be
   * and still break here. Absent on the last line and after forced breaks.
   */
  withNext?: number;
}

export interface Paragraph {
  runs: Run[];
  align: 'l' | 'ctr' | 'r' | 'just';
  /** Line pitch in px (CSS line-height, or the measured pitch). */
  lineHeight: number;
  /** Size of the paragraph's first font, px (for the first-baseline model). */
  fontSize: number;
  /** Ascent and descent of that font at that size, px, as the browser laid it out. */
  ascent: number;
  descent: number;
  /** Text start relative to the frame's content left, and end relative to its right, px. */
  marginLeft: number;
  marginRight: number;
  /** First-line indent, px (negative: hanging, for bullets). */
  indent: number;
  /** Nesting depth of lists, 0 for none. */
  level: number;
  bullet?: Bullet;
  /** The browser's lines; empty for an empty paragraph. */
  lines: LineBox[];
  /** `white-space: nowrap` / `pre`. */
  nowrap: boolean;
  /** Right to left. */
  rtl: boolean;
}

/** Text laid out in a frame: a text box, a shape with text, or a table cell. */
export interface TextFrame {
  /** The frame's content box: text starts here (slide px). */
  content: Rect;
  paragraphs: Paragraph[];
  /** The first line's top and the last line's bottom (slide px). */
  top: number;
  bottom: number;
  vertical: 't' | 'ctr' | 'b';
  /** The frame may grow with its text (a plain text box); false for shapes whose size is the design. */
  grow: boolean;
}

export type ItemRole = 'title' | 'heading' | 'paragraph' | 'list' | 'card' | 'header' | 'footer' | 'page-number' | 'text' | 'shape' | 'picture' | 'table' | 'group';

interface ItemBase {
  /** Outer box, slide px. */
  rect: Rect;
  role: ItemRole;
  /** The element it came from, for the selection pane: `h2`, `li.card`, `img`. */
  source: string;
}

/** A box drawn as a PowerPoint shape, with or without text. */
export interface ShapeItem extends ItemBase {
  kind: 'shape';
  style: BoxStyle;
  text?: TextFrame;
}

/** An image, an SVG visual, or a part of the slide the writer cannot draw natively. */
export interface PictureItem extends ItemBase {
  kind: 'picture';
  /** Index into {@link DeckLayout.images}. */
  image: number;
  /** Alternative text. */
  alt: string;
  radii?: Radii;
  /** Effective opacity, 0–1 (1 for captures, which have it drawn in). */
  opacity: number;
  /** Crop, as fractions of the image cut off each side. */
  crop?: { l: number; t: number; r: number; b: number };
}

export interface TableCell {
  text: TextFrame;
  fill?: Fill;
  /** Borders, px; absent: none. */
  left?: Line;
  right?: Line;
  top?: Line;
  bottom?: Line;
  /** Padding, px. */
  padding: { l: number; t: number; r: number; b: number };
  colSpan: number;
  rowSpan: number;
  /** Covered by a spanning cell to its left or above. */
  merged?: 'h' | 'v';
}

export interface TableItem extends ItemBase {
  kind: 'table';
  /** Column widths, px. */
  columns: number[];
  rows: Array<{ height: number; cells: TableCell[] }>;
}

/** Items that belong together, like a card and its accent bar, moved as one. */
export interface GroupItem extends ItemBase {
  kind: 'group';
  items: LayoutItem[];
}

export type LayoutItem = ShapeItem | PictureItem | TableItem | GroupItem;

export interface SlideLayout {
  /** The slide's background: a fill, or an image of it (gradients PowerPoint cannot draw). */
  background?: { fill: Fill } | { image: number };
  /** In paint order, back to front. */
  items: LayoutItem[];
  /** The speaker notes. */
  notes: string;
  /** BCP 47 language of the slide. */
  lang: string;
}

/** An image used by the deck: PNG or JPEG bytes, and for SVG visuals the SVG with a PNG fallback. */
export interface LayoutImage {
  type: 'png' | 'jpeg' | 'gif';
  bytes: Uint8Array;
  svg?: Uint8Array;
  /** Pixel size of `bytes`. */
  width: number;
  height: number;
}

export interface DeckLayout {
  width: number;
  height: number;
  slides: SlideLayout[];
  images: LayoutImage[];
  /** What could only be approximated (reported as warnings); `slide` is 0-based. */
  issues: Array<{ slide: number; message: string }>;
}
