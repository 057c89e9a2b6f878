/**
 * The in-page half of the PPTX export: reads every laid-out slide of the loaded deck into the
 * plain {@link CollectedDeck}. `collectSlides` is handed to `page.evaluate`, so it is
 * self-contained: no imports at run time, no closures over module scope, only the DOM.
 *
 * It is generic: it knows Marp's slide structure (`svg[data-marpit-svg] > foreignObject >
 * section`) and CSS, not the theme or the templates. Any box with a background, border or shadow
 * becomes a shape; any text becomes runs in a text frame: one frame per block (a heading, a
 * paragraph, a list, a card with everything in it); images, SVG and what cannot be drawn natively
 * become pictures, taken from the page by the caller (`captures`).
 */
import type { Bullet, BoxStyle, Fill, GroupItem, LayoutItem, Line, LineBox, Paragraph, PictureItem, Radii, Rect, Rgba, Run, RunFont, ShapeItem, SlideLayout, TableCell, TableItem, TextFrame } from './slide-layout.js';

export interface CollectArgs {
  /** Selector of the element holding slide n's speaker notes, with `{n}` for the 1-based number. */
  notesSelector: string;
  /** Attribute that marks the element a capture is of. */
  targetAttribute: string;
}

/** An image of the deck: a `data:` URI to decode, a capture to take, or both (SVG and its PNG). */
export interface CollectedImage {
  uri?: string;
  /** Index into {@link CollectedDeck.captures}: the image itself, or the PNG fallback of an SVG. */
  capture?: number;
  /** Natural size of `uri`'s image, px. */
  width: number;
  height: number;
}

/** A part of a slide to screenshot: an element alone, or only its own background. */
export interface CaptureRequest {
  /** 0-based slide. */
  slide: number;
  /** Integer slide px. */
  rect: Rect;
  /** Value of the target attribute on the element. */
  target: string;
  mode: 'element' | 'background';
  /** Device pixels per CSS pixel. */
  scale: number;
  /** JPEG for opaque slide backgrounds (gradients compress poorly as PNG), PNG for the rest. */
  format: 'png' | 'jpeg';
}

/** A font as CSS asks for it; the caller asks the browser which font it really used. */
export interface FontRequest {
  family: string;
  weight: string;
  style: string;
  lang: string;
  /** Some text in this style is East Asian. */
  eastAsian: boolean;
  /** The text to ask about instead of sample Latin text (a bullet character). */
  sample?: string;
}

export interface CollectedDeck {
  width: number;
  height: number;
  /** Runs name fonts as `#<index into fonts>` until the caller resolves them. */
  slides: SlideLayout[];
  images: CollectedImage[];
  captures: CaptureRequest[];
  fonts: FontRequest[];
  /** What could only be approximated, for the build's warnings (0-based slides). */
  issues: Array<{ slide: number; message: string }>;
}

export function collectSlides(args: CollectArgs): CollectedDeck {
  const svgs = Array.from(document.querySelectorAll<SVGSVGElement>('svg[data-marpit-svg]'));
  const viewBox = svgs[0]?.viewBox.baseVal;
  const deckWidth = viewBox && viewBox.width > 0 ? viewBox.width : 1280;
  const deckHeight = viewBox && viewBox.height > 0 ? viewBox.height : 720;
  const images: CollectedImage[] = [];
  const captures: CaptureRequest[] = [];
  const fonts: FontRequest[] = [];
  const fontIndex = new Map<string, number>();
  const issues: Array<{ slide: number; message: string }> = [];
  let targets = 0;

  const canvas = document.createElement('canvas').getContext('2d')!;
  const num = (value: string | null | undefined): number => {
    const n = parseFloat(value ?? '');
    return Number.isFinite(n) ? n : 0;
  };
  const round2 = (n: number): number => Math.round(n * 100) / 100;

  // ---------- colours ----------
  const colorCache = new Map<string, Rgba | undefined>();
  const hex2 = (n: number): string => Math.max(0, Math.min(255, Math.round(n))).toString(16).padStart(2, '0');
  function parseColor(value: string): Rgba | undefined {
    if (colorCache.has(value)) return colorCache.get(value);
    let result: Rgba | undefined;
    const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(value.trim());
    if (value === 'transparent' || value === '') result = undefined;
    else if (rgb) {
      const alpha = rgb[4] === undefined ? 1 : rgb[5] ? num(rgb[4]) / 100 : num(rgb[4]);
      result = { hex: hex2(num(rgb[1])) + hex2(num(rgb[2])) + hex2(num(rgb[3])), alpha };
    } else {
      // color(), oklch() and friends: let the canvas convert to sRGB.
      canvas.clearRect(0, 0, 1, 1);
      canvas.fillStyle = '#000';
      canvas.fillStyle = value;
      canvas.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = canvas.getImageData(0, 0, 1, 1).data;
      result = { hex: hex2(r ?? 0) + hex2(g ?? 0) + hex2(b ?? 0), alpha: (a ?? 255) / 255 };
    }
    if (result && result.alpha <= 0.004) result = undefined;
    colorCache.set(value, result);
    return result;
  }
  const withAlpha = (color: Rgba, factor: number): Rgba => ({ hex: color.hex, alpha: round2(Math.min(1, color.alpha * factor)) });

  // ---------- fonts ----------
  const metricsCache = new Map<string, { ascent: number; descent: number; space: number; nbsp: number }>();
  function fontMetrics(font: string): { ascent: number; descent: number; space: number; nbsp: number } {
    let m = metricsCache.get(font);
    if (!m) {
      canvas.font = font;
      const probe = canvas.measureText('Hg');
      m = { ascent: probe.fontBoundingBoxAscent, descent: probe.fontBoundingBoxDescent, space: canvas.measureText(' ').width, nbsp: canvas.measureText('\u00a0').width };
      metricsCache.set(font, m);
    }
    return m;
  }
  const zoomOf = (el: Element): number => (el as HTMLElement).currentCSSZoom ?? 1;
  const cssFont = (cs: CSSStyleDeclaration, zoom: number): string => `${cs.fontStyle} ${cs.fontWeight} ${num(cs.fontSize) * zoom}px ${cs.fontFamily}`;
  const eastAsianText = /[\u1100-\u11ff\u2e80-\u2fdf\u2ff0-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\ud840-\ud87f][\udc00-\udfff]/;
  function fontKey(cs: CSSStyleDeclaration, lang: string, eastAsian: boolean, sample?: string): string {
    const key = `${cs.fontFamily}|${cs.fontWeight}|${cs.fontStyle}|${lang}|${sample ?? ''}`;
    let index = fontIndex.get(key);
    if (index === undefined) {
      index = fonts.length;
      fonts.push({ family: cs.fontFamily, weight: cs.fontWeight, style: cs.fontStyle, lang, eastAsian, ...(sample ? { sample } : {}) });
      fontIndex.set(key, index);
    } else if (eastAsian) fonts[index]!.eastAsian = true;
    return `#${index}`;
  }

  // ---------- languages ----------
  const regions: Record<string, string> = { en: 'en-US', zh: 'zh-CN', ja: 'ja-JP', ko: 'ko-KR', de: 'de-DE', fr: 'fr-FR', es: 'es-ES', it: 'it-IT', pt: 'pt-BR', ru: 'ru-RU', nl: 'nl-NL', ar: 'ar-SA', he: 'he-IL' };
  function langOf(el: Element): string {
    const raw = (el.closest('[lang]')?.getAttribute('lang') ?? '').trim();
    if (!raw) return 'en-US';
    const [primary = '', ...rest] = raw.split(/[-_]/);
    const lower = primary.toLowerCase();
    if (lower === 'zh') {
      const sub = rest.map((part) => part.toLowerCase());
      if (sub.includes('hant') || sub.includes('tw') || sub.includes('hk') || sub.includes('mo')) return sub.includes('hk') ? 'zh-HK' : 'zh-TW';
      return 'zh-CN';
    }
    const region = rest.find((part) => /^[a-z]{2}$/i.test(part));
    return region ? `${lower}-${region.toUpperCase()}` : (regions[lower] ?? lower);
  }

  // ---------- geometry ----------
  let slideBox = { left: 0, top: 0, scale: 1 };
  const toSlide = (r: { left: number; top: number; width: number; height: number }): Rect => ({
    x: round2((r.left - slideBox.left) / slideBox.scale),
    y: round2((r.top - slideBox.top) / slideBox.scale),
    w: round2(r.width / slideBox.scale),
    h: round2(r.height / slideBox.scale),
  });
  const sx = (clientX: number): number => (clientX - slideBox.left) / slideBox.scale;
  const sy = (clientY: number): number => (clientY - slideBox.top) / slideBox.scale;
  const sl = (length: number): number => length / slideBox.scale;

  interface Edges {
    t: number;
    r: number;
    b: number;
    l: number;
  }
  const sides = (cs: CSSStyleDeclaration, what: 'padding' | 'border', zoom: number): Edges => {
    const get = (side: string) => num(cs.getPropertyValue(what === 'padding' ? `padding-${side}` : `border-${side}-width`)) * zoom;
    return { t: get('top'), r: get('right'), b: get('bottom'), l: get('left') };
  };
  function contentBox(el: Element, cs: CSSStyleDeclaration): Rect {
    const box = toSlide(el.getBoundingClientRect());
    const z = zoomOf(el);
    const p = sides(cs, 'padding', z);
    const b = sides(cs, 'border', z);
    return { x: box.x + sl(p.l + b.l), y: box.y + sl(p.t + b.t), w: Math.max(0, box.w - sl(p.l + p.r + b.l + b.r)), h: Math.max(0, box.h - sl(p.t + p.b + b.t + b.b)) };
  }

  // ---------- what kind of box ----------
  const outOfFlow = (cs: CSSStyleDeclaration): boolean => cs.position === 'absolute' || cs.position === 'fixed' || cs.cssFloat !== 'none';
  const inlineLevel = (cs: CSSStyleDeclaration): boolean => /^inline/.test(cs.display) || cs.display === 'ruby';
  const layoutContainer = (cs: CSSStyleDeclaration): boolean => /flex|grid|table/.test(cs.display) && cs.display !== 'table-cell' && cs.display !== 'table-caption';
  const pictureTags = new Set(['IMG', 'SVG', 'CANVAS', 'VIDEO', 'IFRAME', 'OBJECT', 'EMBED', 'PICTURE', 'MATH']);
  const isEmoji = (el: Element): boolean => el.tagName === 'IMG' && (el.hasAttribute('data-marp-twemoji') || el.classList.contains('emoji')) && !!el.getAttribute('alt');
  const isPicture = (el: Element): boolean => pictureTags.has(el.tagName.toUpperCase()) || el.classList.contains('katex') || el.tagName.toLowerCase() === 'mjx-container';

  // ---------- backgrounds, borders, shadows ----------
  function splitLayers(value: string): string[] {
    const out: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < value.length; i++) {
      const c = value[i];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === ',' && depth === 0) {
        out.push(value.slice(start, i).trim());
        start = i + 1;
      }
    }
    out.push(value.slice(start).trim());
    return out.filter((s) => s !== '');
  }

  /** A CSS `linear-gradient(...)` with colour stops at explicit or implied positions, when every length is a percentage or px along the line. */
  function parseLinear(layer: string, w: number, h: number): { angle: number; stops: Array<{ at: number; color: Rgba | undefined }> } | undefined {
    const match = /^linear-gradient\((.*)\)$/s.exec(layer);
    if (!match) return undefined;
    const parts = splitLayers(match[1]!);
    let angle = 180;
    const head = parts[0]!;
    if (/^-?[\d.]+(deg|turn|rad|grad)$/.test(head)) {
      const value = num(head);
      angle = head.endsWith('turn') ? value * 360 : head.endsWith('rad') ? (value * 180) / Math.PI : head.endsWith('grad') ? value * 0.9 : value;
      parts.shift();
    } else if (head.startsWith('to ')) {
      const dir = head.slice(3).split(/\s+/).sort().join(' ');
      const named: Record<string, number> = { top: 0, right: 90, bottom: 180, left: 270, 'right top': 45, 'bottom right': 135, 'bottom left': 225, 'left top': 315 };
      if (named[dir] === undefined) return undefined;
      angle = named[dir];
      parts.shift();
    }
    const rad = (angle * Math.PI) / 180;
    const length = Math.abs(w * Math.sin(rad)) + Math.abs(h * Math.cos(rad)) || 1;
    const stops: Array<{ at: number | undefined; color: Rgba | undefined }> = [];
    for (const part of parts) {
      const m = /^(.*?\))\s*(.*)$|^(\S+)\s*(.*)$/.exec(part);
      const colorText = (m?.[1] ?? m?.[3] ?? '').trim();
      const positions = (m?.[2] ?? m?.[4] ?? '').trim().split(/\s+/).filter(Boolean);
      const color = parseColor(colorText);
      const toAt = (p: string) => (p.endsWith('%') ? num(p) / 100 : num(p) / length);
      if (positions.length === 0) stops.push({ at: undefined, color });
      for (const p of positions) {
        if (!/^-?[\d.]+(px|%)$/.test(p)) return undefined;
        stops.push({ at: toAt(p), color });
      }
    }
    if (stops.length < 2) return undefined;
    // Implied positions, as CSS spreads them: first 0, last 1, the rest evenly between known ones.
    if (stops[0]!.at === undefined) stops[0]!.at = 0;
    if (stops[stops.length - 1]!.at === undefined) stops[stops.length - 1]!.at = 1;
    for (let i = 1; i < stops.length; i++) {
      if (stops[i]!.at !== undefined) {
        stops[i]!.at = Math.max(stops[i]!.at!, stops[i - 1]!.at!);
        continue;
      }
      let j = i;
      while (stops[j]!.at === undefined) j++;
      const from = stops[i - 1]!.at!;
      const to = stops[j]!.at!;
      for (let k = i; k < j; k++) stops[k]!.at = from + ((to - from) * (k - i + 1)) / (j - i + 1);
    }
    return { angle: ((angle % 360) + 360) % 360, stops: stops.map((s) => ({ at: Math.max(0, Math.min(1, s.at!)), color: s.color })) };
  }

  function radiiOf(cs: CSSStyleDeclaration, w: number, h: number, zoom: number): Radii | undefined {
    const one = (value: string, size: number): number => {
      const first = value.split(/\s+/)[0] ?? '0';
      return first.endsWith('%') ? (num(first) / 100) * size : sl(num(first) * zoom);
    };
    const r: Radii = [one(cs.borderTopLeftRadius, w), one(cs.borderTopRightRadius, w), one(cs.borderBottomRightRadius, w), one(cs.borderBottomLeftRadius, w)];
    // CSS scales all radii down together when adjacent ones would overlap.
    const f = Math.min(1, w / (r[0] + r[1] || 1), w / (r[3] + r[2] || 1), h / (r[0] + r[3] || 1), h / (r[1] + r[2] || 1));
    const scaled = r.map((v) => round2(v * f)) as Radii;
    return scaled.some((v) => v > 0.25) ? scaled : undefined;
  }

  function shadowOf(cs: CSSStyleDeclaration, zoom: number, opacity: number): BoxStyle['shadow'] {
    if (cs.boxShadow === 'none' || cs.boxShadow === '') return undefined;
    const first = splitLayers(cs.boxShadow).find((s) => !/\binset\b/.test(s));
    if (!first) return undefined;
    const colorMatch = /rgba?\([^)]*\)|#[0-9a-f]+|[a-z]+(?=\s|$)/i.exec(first);
    const color = colorMatch ? parseColor(colorMatch[0]) : undefined;
    const lengths = first.replace(colorMatch?.[0] ?? '', '').trim().split(/\s+/).map(num);
    if (!color) return undefined;
    return { x: sl((lengths[0] ?? 0) * zoom), y: sl((lengths[1] ?? 0) * zoom), blur: sl((lengths[2] ?? 0) * zoom), color: withAlpha(color, opacity) };
  }

  function borderOf(cs: CSSStyleDeclaration, side: 'top' | 'right' | 'bottom' | 'left', zoom: number, opacity: number): Line | undefined {
    const style = cs.getPropertyValue(`border-${side}-style`);
    const width = sl(num(cs.getPropertyValue(`border-${side}-width`)) * zoom);
    const color = parseColor(cs.getPropertyValue(`border-${side}-color`));
    if (style === 'none' || style === 'hidden' || width <= 0 || !color) return undefined;
    return { width: round2(width), color: withAlpha(color, opacity), dash: style === 'dashed' ? 'dash' : style === 'dotted' ? 'dot' : 'solid' };
  }
  const sameLine = (a: Line, b: Line): boolean => Math.abs(a.width - b.width) < 0.01 && a.color.hex === b.color.hex && Math.abs(a.color.alpha - b.color.alpha) < 0.01 && a.dash === b.dash;

  interface Decoration {
    /** The box itself: fill, uniform outline, corners, shadow. */
    main: BoxStyle;
    /** Borders that differ from side to side, hard colour bands of a gradient: shapes on top. */
    bars: ShapeItem[];
    /** The box's background as a picture, when no fill can draw it. */
    picture?: PictureItem;
  }

  const markTarget = (el: Element): string => {
    let id = el.getAttribute(args.targetAttribute);
    if (!id) {
      id = String(++targets);
      el.setAttribute(args.targetAttribute, id);
    }
    return id;
  };
  /** Whole slide px around `rect`: a capture covers whole device pixels. */
  const outward = (rect: Rect): Rect => {
    const x = Math.floor(rect.x + 0.01);
    const y = Math.floor(rect.y + 0.01);
    return { x, y, w: Math.ceil(rect.x + rect.w - 0.01) - x, h: Math.ceil(rect.y + rect.h - 0.01) - y };
  };
  function addCapture(el: Element, rect: Rect, mode: 'element' | 'background', scale: number, slide: number, format: 'png' | 'jpeg' = 'png'): number {
    captures.push({ slide, rect: outward(rect), target: markTarget(el), mode, scale, format });
    return captures.length - 1;
  }
  function captureImage(el: Element, rect: Rect, mode: 'element' | 'background', scale: number, slide: number, format: 'png' | 'jpeg' = 'png'): number {
    const capture = addCapture(el, rect, mode, scale, slide, format);
    const r = captures[capture]!.rect;
    images.push({ capture, width: r.w * scale, height: r.h * scale });
    return images.length - 1;
  }

  function decorate(el: Element, cs: CSSStyleDeclaration, box: Rect, opacity: number, slide: number, source: string): Decoration | undefined {
    const zoom = zoomOf(el);
    const bg = parseColor(cs.backgroundColor);
    const layers = cs.backgroundImage === 'none' ? [] : splitLayers(cs.backgroundImage);
    const lines = { top: borderOf(cs, 'top', zoom, opacity), right: borderOf(cs, 'right', zoom, opacity), bottom: borderOf(cs, 'bottom', zoom, opacity), left: borderOf(cs, 'left', zoom, opacity) };
    const shadow = shadowOf(cs, zoom, opacity);
    const present = Object.values(lines).filter((l): l is Line => l !== undefined);
    if (!bg && layers.length === 0 && present.length === 0 && !shadow) return undefined;
    if (box.w < 0.5 || box.h < 0.5) return undefined;
    const radii = radiiOf(cs, box.w, box.h, zoom);
    const main: BoxStyle = {};
    const bars: ShapeItem[] = [];
    if (radii) main.radii = radii;
    if (radii && Math.abs(box.w - box.h) < 1 && radii.every((r) => r >= box.w / 2 - 0.5)) main.ellipse = true;
    if (shadow) main.shadow = shadow;
    if (bg) main.fill = { type: 'solid', color: withAlpha(bg, opacity) };
    if (layers.length > 0) {
      const linear = layers.length === 1 && cs.backgroundSize.split(',')[0]!.trim().startsWith('auto') ? parseLinear(layers[0]!, box.w, box.h) : undefined;
      const opaque = linear?.stops.every((s) => s.color !== undefined);
      if (linear && (opaque || !bg)) {
        const axis = linear.angle % 90 === 0;
        const hard = linear.stops.every((s, i, all) => i === 0 || s.color?.hex === all[i - 1]!.color?.hex || Math.abs(s.at - all[i - 1]!.at) < 0.0005);
        if (axis && hard) {
          // Colour bands (a two-colour rule): one rectangle each, easier to recolour than a gradient.
          const horizontal = linear.angle === 90 || linear.angle === 270;
          const reversed = linear.angle === 270 || linear.angle === 0;
          for (let i = 0; i + 1 < linear.stops.length; i++) {
            const a = linear.stops[i]!;
            const b = linear.stops[i + 1]!;
            if (!a.color || b.at - a.at < 0.0005 || a.color.hex !== b.color?.hex) continue;
            const from = reversed ? 1 - b.at : a.at;
            const to = reversed ? 1 - a.at : b.at;
            const rect = horizontal ? { x: box.x + box.w * from, y: box.y, w: box.w * (to - from), h: box.h } : { x: box.x, y: box.y + box.h * from, w: box.w, h: box.h * (to - from) };
            bars.push({ kind: 'shape', role: 'shape', source, rect, style: { fill: { type: 'solid', color: withAlpha(a.color, opacity) } } });
          }
          if (!bg) delete main.fill;
        } else {
          const fill: Fill = { type: 'linear', angle: linear.angle, stops: linear.stops.map((s) => ({ at: s.at, color: withAlpha(s.color ?? bg ?? { hex: 'ffffff', alpha: 0 }, opacity) })) };
          main.fill = fill;
        }
      } else {
        // Radial gradients, images, several layers: the box's own background as a picture.
        const picture: PictureItem = { kind: 'picture', role: 'picture', source, rect: outward(box), image: captureImage(el, box, 'background', 1, slide), alt: '', opacity: 1 };
        return { main: {}, bars: [], picture };
      }
    }
    const uniform = present.length === 4 && present.every((l) => sameLine(l, present[0]!));
    if (uniform) main.line = present[0]!;
    else if (present.length > 0) {
      // The outline most sides share goes on the box; the sides that differ become bars on top.
      const counts = present.map((l) => present.filter((o) => sameLine(o, l)).length);
      const best = counts.indexOf(Math.max(...counts));
      const shared = counts[best]! >= 3 ? present[best]! : undefined;
      if (shared) main.line = shared;
      const r = radii ?? [0, 0, 0, 0];
      const bar = (line: Line, rect: Rect, corners: Radii) => {
        const style: BoxStyle = { fill: { type: 'solid', color: line.color } };
        const clipped = corners.map((c) => Math.min(c, Math.min(rect.w, rect.h) / 2)) as Radii;
        if (clipped.some((c) => c > 0.25)) style.radii = clipped;
        bars.push({ kind: 'shape', role: 'shape', source: `${source} border`, rect, style });
      };
      const { top, right, bottom, left } = lines;
      if (top && !(shared && sameLine(top, shared))) bar(top, { x: box.x, y: box.y, w: box.w, h: top.width }, [r[0], r[1], 0, 0]);
      if (bottom && !(shared && sameLine(bottom, shared))) bar(bottom, { x: box.x, y: box.y + box.h - bottom.width, w: box.w, h: bottom.width }, [0, 0, r[2], r[3]]);
      if (left && !(shared && sameLine(left, shared))) bar(left, { x: box.x, y: box.y, w: left.width, h: box.h }, [r[0], 0, 0, r[3]]);
      if (right && !(shared && sameLine(right, shared))) bar(right, { x: box.x + box.w - right.width, y: box.y, w: right.width, h: box.h }, [0, r[1], r[2], 0]);
    }
    return { main, bars };
  }

  // ---------- pseudo-elements ----------
  function counterText(value: number, style: string): string {
    const alpha = (n: number, upper: boolean) => {
      let s = '';
      for (let v = n; v > 0; v = Math.floor((v - 1) / 26)) s = String.fromCharCode(((v - 1) % 26) + (upper ? 65 : 97)) + s;
      return s;
    };
    const roman = (n: number) => {
      const table: Array<[number, string]> = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
      let s = '';
      let v = n;
      for (const [k, r] of table) while (v >= k) (s += r), (v -= k);
      return s;
    };
    switch (style) {
      case 'decimal-leading-zero':
        return value < 10 && value >= 0 ? `0${value}` : String(value);
      case 'lower-alpha':
      case 'lower-latin':
        return alpha(value, false);
      case 'upper-alpha':
      case 'upper-latin':
        return alpha(value, true);
      case 'lower-roman':
        return roman(value);
      case 'upper-roman':
        return roman(value).toUpperCase();
      case 'disc':
        return '•';
      case 'circle':
        return '◦';
      case 'square':
        return '▪';
      case 'none':
        return '';
      default:
        return String(value);
    }
  }
  const ordinal = (li: Element): number => {
    const value = (li as HTMLLIElement).value;
    if (value) return value;
    let n = 1;
    const list = li.parentElement;
    if (list instanceof HTMLOListElement) n = list.start;
    for (let sib = li.previousElementSibling; sib; sib = sib.previousElementSibling) if (sib.tagName === 'LI') n++;
    return n;
  };
  /** The text of a computed `content` value: strings, and the list-item counter. */
  function contentText(value: string, host: Element, where: string, slide: number): string | undefined {
    if (value === 'none' || value === 'normal' || value === '') return undefined;
    let text = '';
    const token = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|counters?\(([^)]*)\)|(open-quote|close-quote|no-open-quote|no-close-quote)|url\([^)]*\)|attr\(([^)]*)\)/g;
    for (const m of value.matchAll(token)) {
      if (m[1] !== undefined || m[2] !== undefined) {
        text += (m[1] ?? m[2] ?? '').replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/\\(.)/g, '$1');
      } else if (m[3] !== undefined) {
        const [name = '', second = '', third = ''] = m[3].split(',').map((s) => s.trim());
        const style = m[0].startsWith('counters') ? third || 'decimal' : second || 'decimal';
        if (name === 'list-item' && host.tagName === 'LI') text += counterText(ordinal(host), style);
        else if (where) issues.push({ slide, message: `the CSS counter "${name}" in ${where} is not written to the PPTX` });
      } else if (m[4] !== undefined) {
        text += m[4] === 'open-quote' ? '“' : m[4] === 'close-quote' ? '”' : '';
      } else if (m[5] !== undefined) {
        text += host.getAttribute(m[5].trim()) ?? '';
      }
    }
    return text;
  }

  // ---------- text ----------
  interface Piece {
    node?: Text;
    br?: true;
    /** Pseudo-element or placeholder text with no DOM range. */
    width?: number;
  }
  interface ParagraphBuild {
    block: Element;
    runs: Run[];
    pieces: Piece[];
    level: number;
    bullet?: Bullet;
    bulletLeft?: number;
    item?: Element;
  }

  function runFont(el: Element, cs: CSSStyleDeclaration, root: Element, text: string, opacity: number, lang: string): RunFont {
    const zoom = zoomOf(el);
    let underline = false;
    let strike = false;
    let baseline: RunFont['baseline'];
    let highlight: Rgba | undefined;
    for (let a: Element | null = el; a; a = a.parentElement) {
      const acs = a === el ? cs : getComputedStyle(a);
      const deco = acs.textDecorationLine;
      if (deco.includes('underline')) underline = true;
      if (deco.includes('line-through')) strike = true;
      if (!baseline && (acs.verticalAlign === 'super' || acs.verticalAlign === 'sub')) baseline = acs.verticalAlign;
      // `sup { position: relative; top: -0.5em }`, as GitHub's and Marp's CSS raise them.
      if (!baseline && acs.position === 'relative' && inlineLevel(acs) && num(acs.top) !== 0) baseline = num(acs.top) < 0 ? 'super' : 'sub';
      if (a === root || !inlineLevel(acs)) break;
      if (!highlight) highlight = parseColor(acs.backgroundColor);
    }
    const color = parseColor(cs.webkitTextFillColor && cs.webkitTextFillColor !== cs.color ? cs.webkitTextFillColor : cs.color) ?? { hex: '000000', alpha: 0 };
    const ea = eastAsianText.test(text);
    const font: RunFont = {
      size: round2(sl(num(cs.fontSize) * zoom)),
      bold: num(cs.fontWeight) >= 600,
      italic: cs.fontStyle !== 'normal',
      color: withAlpha(color, opacity),
      letterSpacing: cs.letterSpacing === 'normal' ? 0 : round2(sl(num(cs.letterSpacing) * zoom)),
      underline,
      strike,
      caps: cs.textTransform === 'uppercase',
      latin: fontKey(cs, lang, false),
    };
    if (ea) font.eastAsian = fontKey(cs, lang, true);
    if (baseline) font.baseline = baseline;
    if (highlight) font.highlight = highlight;
    return font;
  }

  function transform(text: string, cs: CSSStyleDeclaration): string {
    if (cs.textTransform === 'lowercase') return text.toLowerCase();
    if (cs.textTransform === 'capitalize') return text.replace(/(^|\s)(\p{L})/gu, (_, s: string, c: string) => s + c.toUpperCase());
    return text;
  }

  function hrefOf(el: Element, root: Element): string | undefined {
    const a = el.closest('a[href]');
    if (!a || (a !== root && !root.contains(a) && !a.contains(root))) return undefined;
    const raw = a.getAttribute('href') ?? '';
    if (/^#\d+$/.test(raw)) return raw;
    const url = (a as HTMLAnchorElement).href;
    return /^(https?|mailto|ftp):/i.test(url) ? url : undefined;
  }

  /** Paragraphs of a text root, and the elements inside it drawn on their own. */
  function collectParagraphs(root: Element, slide: number, opacity: number): { paragraphs: ParagraphBuild[]; separate: Element[] } {
    const paragraphs: ParagraphBuild[] = [];
    const separate: Element[] = [];
    let current: ParagraphBuild | undefined;
    let pendingBullet: { bullet?: Bullet; bulletLeft?: number; item: Element } | undefined;
    const open = (block: Element, level: number) => {
      current = { block, runs: [], pieces: [], level };
      if (pendingBullet) {
        if (pendingBullet.bullet) current.bullet = pendingBullet.bullet;
        if (pendingBullet.bulletLeft !== undefined) current.bulletLeft = pendingBullet.bulletLeft;
        current.item = pendingBullet.item;
        pendingBullet = undefined;
      }
    };
    const close = () => {
      if (current) {
        // Collapsible space at the end of a paragraph is not drawn.
        for (let i = current.runs.length - 1; i >= 0; i--) {
          const run = current.runs[i]!;
          if (run.break || run.field) break;
          run.text = run.text.replace(/ +$/, '');
          if (run.text !== '') break;
          current.runs.splice(i, 1);
        }
        if (current.runs.some((r) => r.text !== '' || r.break)) paragraphs.push(current);
        else if (current.bullet && !pendingBullet && current.item) pendingBullet = { bullet: current.bullet, ...(current.bulletLeft !== undefined ? { bulletLeft: current.bulletLeft } : {}), item: current.item };
      }
      current = undefined;
    };
    const endsWithSpace = () => {
      if (!current) return true;
      for (let i = current.runs.length - 1; i >= 0; i--) {
        const run = current.runs[i]!;
        if (run.break) return true;
        if (run.text !== '') return run.text.endsWith(' ');
      }
      return true;
    };
    const addText = (text: string, el: Element, cs: CSSStyleDeclaration, block: Element, level: number, piece: Piece, field?: 'slidenum') => {
      if (!current) open(block, level);
      const ws = cs.whiteSpace;
      const pre = /^(pre|pre-wrap|break-spaces)$/.test(ws);
      let value = pre ? text.replace(/\r\n?/g, '\n') : ws === 'pre-line' ? text.replace(/[ \t]+/g, ' ').replace(/ ?\n ?/g, '\n') : text.replace(/[ \t\n\r\f]+/g, ' ');
      if (!pre && value.startsWith(' ') && endsWithSpace()) value = value.slice(1);
      if (value === '') return;
      const lang = langOf(el);
      const font = runFont(el, cs, root, value, opacity * effectiveOpacity(el, root), lang);
      const href = hrefOf(el, root);
      const lines = value.split('\n');
      lines.forEach((line, i) => {
        if (i > 0) {
          current!.runs.push({ text: '', font, lang, break: true });
          current!.pieces.push({ br: true });
        }
        if (line === '') return;
        const run: Run = { text: transform(line, cs), font, lang };
        if (href) run.href = href;
        if (field) run.field = field;
        current!.runs.push(run);
      });
      current!.pieces.push(piece);
    };
    const pseudoRun = (host: Element, which: '::before' | '::after', block: Element, level: number) => {
      const pcs = getComputedStyle(host, which);
      if (pcs.display === 'none' || !inlineLevel(pcs) || outOfFlow(pcs)) return;
      const text = contentText(pcs.content, host, `${host.tagName.toLowerCase()}${which}`, slide);
      if (!text) return;
      const zoom = zoomOf(host);
      canvas.font = cssFont(pcs, zoom);
      addText(text, host, pcs, block, level, { width: sl(canvas.measureText(text).width) });
    };
    const visit = (el: Element, block: Element, level: number) => {
      pseudoRun(el, '::before', block, level);
      for (const child of Array.from(el.childNodes)) {
        if (child.nodeType === Node.TEXT_NODE) {
          const ecs = getComputedStyle(el);
          if (ecs.visibility !== 'visible') continue;
          addText(child.textContent ?? '', el, ecs, block, level, { node: child as Text });
          continue;
        }
        if (!(child instanceof Element)) continue;
        const cs = getComputedStyle(child);
        if (cs.display === 'none') continue;
        if (child.tagName === 'BR') {
          if (!current) open(block, level);
          const font = runFont(el, getComputedStyle(el), root, '', opacity, langOf(el));
          current!.runs.push({ text: '', font, break: true });
          current!.pieces.push({ br: true });
          continue;
        }
        if (isEmoji(child)) {
          addText(child.getAttribute('alt') ?? '', el, getComputedStyle(el), block, level, { width: sl(child.getBoundingClientRect().width) });
          continue;
        }
        if (outOfFlow(cs) || isPicture(child) || child.tagName === 'TABLE') {
          separate.push(child);
          if (isPicture(child) && inlineLevel(cs) && !outOfFlow(cs)) {
            // Keep the picture's room in the line with a space as wide as it.
            if (!current) open(block, level);
            const width = sl(child.getBoundingClientRect().width);
            const pcs = getComputedStyle(el);
            const font = runFont(el, pcs, root, '', opacity, langOf(el));
            const nbsp = sl(fontMetrics(cssFont(pcs, zoomOf(el))).nbsp);
            current!.runs.push({ text: '\u00a0', font: { ...font, letterSpacing: round2(width - nbsp) }, lang: langOf(el) });
            current!.pieces.push({ width });
          }
          continue;
        }
        if (cs.display === 'contents') {
          visit(child, block, level);
          continue;
        }
        if (inlineLevel(cs)) {
          visit(child, block, level);
          continue;
        }
        if (layoutContainer(cs) || decorated(child, cs)) {
          close();
          separate.push(child);
          continue;
        }
        close();
        const isList = child.tagName === 'UL' || child.tagName === 'OL';
        if (cs.display === 'list-item') pendingBullet = { ...bulletOf(child, cs, slide), item: child };
        visit(child, child, isList ? level + 1 : level);
        close();
      }
      pseudoRun(el, '::after', block, level);
    };
    const rootCs = getComputedStyle(root);
    if (rootCs.display === 'list-item' && root.parentElement && !decorated(root, rootCs)) pendingBullet = { ...bulletOf(root, rootCs, slide), item: root };
    visit(root, root, root.tagName === 'UL' || root.tagName === 'OL' ? 1 : 0);
    close();
    return { paragraphs, separate };
  }

  function bulletOf(li: Element, cs: CSSStyleDeclaration, slide: number): { bullet?: Bullet; bulletLeft?: number } {
    const marker = getComputedStyle(li, '::marker');
    if (cs.listStylePosition !== 'outside') return {};
    let text: string | undefined;
    if (marker.content === 'none') return {};
    if (marker.content !== 'normal' && marker.content !== '') text = contentText(marker.content, li, 'li::marker', slide);
    const type = cs.listStyleType;
    if (text === undefined && (type === 'none' || cs.listStyleImage !== 'none')) return {};
    const liFont = num(cs.fontSize) || 1;
    const zoom = zoomOf(li);
    const color = parseColor(marker.color);
    const sizeRatio = round2(num(marker.fontSize) / liFont) || 1;
    canvas.font = cssFont(marker, zoom);
    const markerText = text ?? (/^(disc|circle|square)$/.test(type) ? `${counterText(0, type)} ` : `${counterText(ordinal(li), type)}. `);
    const bulletLeft = sx(li.getBoundingClientRect().left) - sl(canvas.measureText(markerText).width);
    const shown = [...(text ?? markerText).trim()][0] ?? '•';
    const common = { sizeRatio, ...(color ? { color } : {}), font: fontKey(marker, langOf(li), false, /\d/.test(shown) ? undefined : shown) };
    if (text !== undefined) {
      const char = [...text.trim()][0];
      if (!char) return {};
      // A marker that is a number (a counter in ::marker content) keeps the list's numbering.
      if (/^\d+[.)]?$/.test(text.trim())) return { bullet: { type: 'number', scheme: text.trim().endsWith(')') ? 'arabicParenR' : 'arabicPeriod', startAt: ordinal(li), ...common }, bulletLeft };
      return { bullet: { type: 'char', char, ...common }, bulletLeft };
    }
    if (/^(disc|circle|square)$/.test(type)) return { bullet: { type: 'char', char: counterText(0, type), ...common }, bulletLeft };
    const schemes: Record<string, 'arabicPeriod' | 'alphaLcPeriod' | 'alphaUcPeriod' | 'romanLcPeriod' | 'romanUcPeriod'> = {
      decimal: 'arabicPeriod',
      'decimal-leading-zero': 'arabicPeriod',
      'lower-alpha': 'alphaLcPeriod',
      'lower-latin': 'alphaLcPeriod',
      'upper-alpha': 'alphaUcPeriod',
      'upper-latin': 'alphaUcPeriod',
      'lower-roman': 'romanLcPeriod',
      'upper-roman': 'romanUcPeriod',
    };
    const scheme = schemes[type] ?? 'arabicPeriod';
    // The first item's number: PowerPoint counts on from it through the following paragraphs.
    let first: Element = li;
    for (let sib = li.previousElementSibling; sib; sib = sib.previousElementSibling) if (sib.tagName === 'LI') first = sib;
    return { bullet: { type: 'number', scheme, startAt: ordinal(first), ...common }, bulletLeft };
  }

  const opacityCache = new Map<Element, number>();
  function effectiveOpacity(el: Element, stop: Element | null): number {
    let value = 1;
    for (let a: Element | null = el; a && a !== stop; a = a.parentElement) {
      if (a.tagName === 'svg' && a.hasAttribute('data-marpit-svg')) break;
      let o = opacityCache.get(a);
      if (o === undefined) {
        o = num(getComputedStyle(a).opacity || '1');
        opacityCache.set(a, o);
      }
      value *= o;
    }
    return value;
  }

  /** Line boxes of a paragraph, from the ranges of its text. */
  function measureLines(p: ParagraphBuild): LineBox[] {
    interface Frag {
      left: number;
      right: number;
      top: number;
      bottom: number;
      baseline: number;
      size: number;
      piece: number;
      shifted: boolean;
    }
    const frags: Frag[] = [];
    const range = document.createRange();
    p.pieces.forEach((piece, index) => {
      if (!piece.node) return;
      const parent = piece.node.parentElement!;
      const cs = getComputedStyle(parent);
      const m = fontMetrics(cssFont(cs, zoomOf(parent)));
      range.selectNodeContents(piece.node);
      for (const r of Array.from(range.getClientRects())) {
        if (r.width <= 0 && r.height <= 0) continue;
        frags.push({ left: sx(r.left), right: sx(r.right), top: sy(r.top), bottom: sy(r.bottom), baseline: sy(r.top + m.ascent), size: sl(num(cs.fontSize) * zoomOf(parent)), piece: index, shifted: cs.verticalAlign !== 'baseline' || (cs.position === 'relative' && num(cs.top) !== 0) });
      }
    });
    const lines: Array<LineBox & { frags: Frag[] }> = [];
    for (const f of frags) {
      const line = lines[lines.length - 1];
      if (line && f.top < line.baseline - 0.5 && f.left >= line.left - 0.5) {
        line.left = Math.min(line.left, f.left);
        line.right = Math.max(line.right, f.right);
        line.top = Math.min(line.top, f.top);
        line.bottom = Math.max(line.bottom, f.bottom);
        if (!f.shifted && line.frags.every((o) => o.shifted)) line.baseline = f.baseline;
        line.frags.push(f);
        continue;
      }
      lines.push({ top: f.top, bottom: f.bottom, baseline: f.baseline, left: f.left, right: f.right, size: f.size, frags: [f] });
    }
    // For each line but the last: how wide it would be with the next line's first word, so the
    // writer can pick a frame width that breaks every line where the browser broke it.
    for (let i = 0; i + 1 < lines.length; i++) {
      const line = lines[i]!;
      const next = lines[i + 1]!;
      const firstNext = next.frags[0]!;
      const between = p.pieces.slice(line.frags[line.frags.length - 1]!.piece + 1, firstNext.piece);
      if (between.some((piece) => piece.br)) continue;
      const piece = p.pieces[firstNext.piece]!;
      const node = piece.node!;
      const text = node.data;
      let start = 0;
      if (line.frags.some((f) => f.piece === firstNext.piece)) {
        // The line breaks inside this text: find the first character on the next line.
        let lo = 0;
        let hi = text.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          range.setStart(node, mid);
          range.setEnd(node, Math.min(text.length, mid + 1));
          const r = range.getBoundingClientRect();
          if (r.height > 0 && sy(r.top) >= next.top - 0.5 && sy(r.top) > line.top + 0.5) hi = mid;
          else lo = mid + 1;
        }
        start = lo;
      }
      while (start < text.length && /\s/.test(text[start]!)) start++;
      if (start >= text.length) continue;
      let end = start;
      const wide = eastAsianText.test(text[start]!);
      if (wide) {
        end = start + (text.codePointAt(start)! > 0xffff ? 2 : 1);
        while (end < text.length && /[，。、；：？！）》」』】〉”’…—·,.;:?!)\]}%]/.test(text[end]!)) end++;
      } else while (end < text.length && !/\s/.test(text[end]!) && !eastAsianText.test(text[end]!)) end++;
      range.setStart(node, start);
      range.setEnd(node, end);
      const word = sl(range.getBoundingClientRect().width);
      const before = start > 0 ? text[start - 1]! : '';
      const parent = node.parentElement!;
      const pcs = getComputedStyle(parent);
      const spacing = pcs.letterSpacing === 'normal' ? 0 : sl(num(pcs.letterSpacing) * zoomOf(parent));
      const space = /\s/.test(before) || (start === 0 && /\s$/.test(p.pieces[firstNext.piece - 1]?.node?.data ?? '')) ? sl(fontMetrics(cssFont(pcs, zoomOf(parent))).space) + spacing : 0;
      line.withNext = round2(line.right - line.left + space + word);
    }
    return lines.map(({ frags: list, ...line }) => ({
      ...line,
      top: round2(line.top),
      bottom: round2(line.bottom),
      baseline: round2(line.baseline),
      left: round2(line.left),
      right: round2(line.right),
      size: round2(Math.max(...list.map((f) => f.size))),
    })) as LineBox[];
  }

  function toFrame(root: Element, rootCs: CSSStyleDeclaration, content: Rect, built: ParagraphBuild[], grow: boolean): TextFrame | undefined {
    const paragraphs: Paragraph[] = [];
    for (const p of built) {
      const cs = getComputedStyle(p.block);
      const zoom = zoomOf(p.block);
      const lines = measureLines(p);
      const blockContent = p.block === root ? content : contentBox(p.block, cs);
      const align = cs.textAlign;
      const rtl = cs.direction === 'rtl';
      const firstRunFont = p.runs.find((r) => !r.break)?.font;
      const size = firstRunFont?.size ?? sl(num(cs.fontSize) * zoom);
      const m = fontMetrics(cssFont(cs, zoom));
      let lineHeight = cs.lineHeight === 'normal' ? sl(m.ascent + m.descent) : sl(num(cs.lineHeight) * zoom);
      if (lines.length > 1) lineHeight = (lines[lines.length - 1]!.baseline - lines[0]!.baseline) / (lines.length - 1);
      const textIndent = sl(num(cs.textIndent) * zoom);
      const para: Paragraph = {
        runs: p.runs,
        align: align === 'center' || align === '-webkit-center' ? 'ctr' : align === 'right' || (align === 'end' && !rtl) || (align === 'start' && rtl) ? 'r' : align === 'justify' ? 'just' : 'l',
        lineHeight: round2(lineHeight),
        fontSize: round2(size),
        ascent: round2(sl(m.ascent)),
        descent: round2(sl(m.descent)),
        marginLeft: round2(blockContent.x - content.x),
        marginRight: round2(content.x + content.w - (blockContent.x + blockContent.w)),
        indent: p.bulletLeft !== undefined ? round2(p.bulletLeft - blockContent.x) : round2(textIndent),
        level: p.level,
        lines,
        nowrap: cs.whiteSpace === 'nowrap' || cs.whiteSpace === 'pre',
        rtl,
      };
      if (p.bullet) para.bullet = p.bullet;
      paragraphs.push(para);
    }
    if (paragraphs.length === 0) return undefined;
    const measured = paragraphs.filter((p) => p.lines.length > 0);
    if (measured.length === 0) return undefined;
    const top = Math.min(...measured.map((p) => p.lines[0]!.top));
    const bottom = Math.max(...measured.map((p) => p.lines[p.lines.length - 1]!.bottom));
    const align = rootCs.verticalAlign;
    return { content, paragraphs, top: round2(top), bottom: round2(bottom), vertical: align === 'middle' ? 'ctr' : align === 'bottom' ? 'b' : 't', grow };
  }

  function decorated(el: Element, cs: CSSStyleDeclaration): boolean {
    if (parseColor(cs.backgroundColor) || cs.backgroundImage !== 'none') return true;
    if (cs.boxShadow !== 'none' && cs.boxShadow !== '') return true;
    for (const side of ['top', 'right', 'bottom', 'left']) {
      if (num(cs.getPropertyValue(`border-${side}-width`)) > 0 && !/none|hidden/.test(cs.getPropertyValue(`border-${side}-style`)) && parseColor(cs.getPropertyValue(`border-${side}-color`))) return true;
    }
    return false;
  }

  const describe = (el: Element): string => {
    const cls = Array.from(el.classList).filter((c) => !c.startsWith('marpit'))[0];
    return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}`;
  };

  const roleOf = (el: Element, slideTitle: { taken: boolean }): ShapeItem['role'] => {
    const tag = el.tagName;
    if (tag === 'HEADER') return 'header';
    if (tag === 'FOOTER') return 'footer';
    if (/^H[1-6]$/.test(tag)) {
      if (!slideTitle.taken && (tag === 'H1' || tag === 'H2')) {
        slideTitle.taken = true;
        return 'title';
      }
      return 'heading';
    }
    if (tag === 'UL' || tag === 'OL') return 'list';
    if (tag === 'P') return 'paragraph';
    return 'text';
  };

  // ---------- pictures and tables ----------
  function picture(el: Element, slide: number, opacity: number): PictureItem | undefined {
    const cs = getComputedStyle(el);
    const source = describe(el);
    const box = toSlide(el.getBoundingClientRect());
    if (box.w < 0.5 || box.h < 0.5) return undefined;
    const alt = (el.getAttribute('alt') ?? el.getAttribute('aria-label') ?? el.querySelector?.('annotation')?.textContent ?? '').trim();
    const radii = radiiOf(cs, box.w, box.h, zoomOf(el));
    if (el instanceof HTMLImageElement) {
      const src = el.currentSrc || el.src;
      const content = contentBox(el, cs);
      const nw = el.naturalWidth || content.w;
      const nh = el.naturalHeight || content.h;
      let rect = content;
      let crop: PictureItem['crop'];
      const fit = cs.objectFit;
      if ((fit === 'contain' || fit === 'scale-down' || fit === 'cover') && nw > 0 && nh > 0) {
        const scale = fit === 'cover' ? Math.max(content.w / nw, content.h / nh) : Math.min(content.w / nw, content.h / nh, fit === 'scale-down' ? 1 : Infinity);
        const w = nw * scale;
        const h = nh * scale;
        if (fit === 'cover') {
          const cl = (w - content.w) / 2 / w;
          const ct = (h - content.h) / 2 / h;
          if (cl > 0.0005 || ct > 0.0005) crop = { l: cl, t: ct, r: cl, b: ct };
        } else rect = { x: content.x + (content.w - w) / 2, y: content.y + (content.h - h) / 2, w, h };
      }
      const raster = /^data:image\/(png|jpeg|jpg|gif)[;,]/i.test(src);
      const svg = /^data:image\/svg\+xml[;,]/i.test(src);
      let image: number;
      let drawn = rect;
      if (raster || svg) {
        images.push({ uri: src, width: nw, height: nh });
        image = images.length - 1;
        // The PNG fallback of an SVG, for viewers that draw no SVG: the browser's own rendering.
        if (svg) images[image]!.capture = addCapture(el, rect, 'element', 1, slide);
      } else {
        image = captureImage(el, rect, 'element', 1, slide);
        drawn = outward(rect);
      }
      const item: PictureItem = { kind: 'picture', role: 'picture', source, rect: { x: round2(drawn.x), y: round2(drawn.y), w: round2(drawn.w), h: round2(drawn.h) }, image, alt, opacity: raster || svg ? round2(opacity) : 1 };
      if (crop) item.crop = crop;
      if (radii) item.radii = radii;
      return item;
    }
    // Inline SVG, canvas, math, video: drawn by the browser.
    const image = captureImage(el, box, 'element', 1, slide);
    return { kind: 'picture', role: 'picture', source, rect: outward(box), image, alt, opacity: 1 };
  }

  function table(el: HTMLTableElement, slide: number, opacity: number): TableItem | undefined {
    const box = toSlide(el.getBoundingClientRect());
    const rows = Array.from(el.rows).filter((row) => getComputedStyle(row).display !== 'none');
    if (rows.length === 0) return undefined;
    const edges = new Set<number>();
    for (const row of rows) for (const cell of Array.from(row.cells)) {
      const r = toSlide(cell.getBoundingClientRect());
      edges.add(Math.round(r.x * 2) / 2);
      edges.add(Math.round((r.x + r.w) * 2) / 2);
    }
    const xs = [...edges].sort((a, b) => a - b).filter((x, i, all) => i === 0 || x - all[i - 1]! >= 1);
    const columns = xs.slice(1).map((x, i) => round2(x - xs[i]!));
    const colAt = (x: number) => {
      let best = 0;
      xs.forEach((edge, i) => {
        if (Math.abs(edge - x) < Math.abs(xs[best]! - x)) best = i;
      });
      return best;
    };
    const grid: Array<Array<TableCell | undefined>> = rows.map(() => new Array<TableCell | undefined>(columns.length).fill(undefined));
    const out: TableItem['rows'] = [];
    rows.forEach((row, ri) => {
      const rowCs = getComputedStyle(row);
      const height = round2(toSlide(row.getBoundingClientRect()).h);
      for (const cell of Array.from(row.cells)) {
        const cs = getComputedStyle(cell);
        const r = toSlide(cell.getBoundingClientRect());
        const c0 = colAt(r.x);
        const c1 = Math.max(c0 + 1, colAt(r.x + r.w));
        const zoom = zoomOf(cell);
        const padding = sides(cs, 'padding', zoom);
        const content = contentBox(cell, cs);
        const { paragraphs, separate } = collectParagraphs(cell, slide, opacity);
        if (separate.length > 0) issues.push({ slide, message: `an image or box inside a table cell is left out of the PPTX table` });
        const frame = toFrame(cell, cs, content, paragraphs, false) ?? { content, paragraphs: [], top: content.y, bottom: content.y, vertical: 't', grow: false };
        frame.vertical = cs.verticalAlign === 'middle' ? 'ctr' : cs.verticalAlign === 'bottom' ? 'b' : 't';
        const bg = parseColor(cs.backgroundColor) ?? parseColor(rowCs.backgroundColor) ?? (row.parentElement ? parseColor(getComputedStyle(row.parentElement).backgroundColor) : undefined);
        const tc: TableCell = { text: frame, padding: { l: sl(padding.l), t: sl(padding.t), r: sl(padding.r), b: sl(padding.b) }, colSpan: c1 - c0, rowSpan: Math.max(1, cell.rowSpan) };
        if (bg) tc.fill = { type: 'solid', color: withAlpha(bg, opacity) };
        const lines = { left: borderOf(cs, 'left', zoom, opacity), right: borderOf(cs, 'right', zoom, opacity), top: borderOf(cs, 'top', zoom, opacity), bottom: borderOf(cs, 'bottom', zoom, opacity) };
        for (const [side, line] of Object.entries(lines)) if (line) tc[side as 'left'] = line;
        for (let rr = ri; rr < Math.min(rows.length, ri + tc.rowSpan); rr++) {
          for (let cc = c0; cc < c1 && cc < columns.length; cc++) {
            grid[rr]![cc] = rr === ri && cc === c0 ? tc : { text: { ...frame, paragraphs: [] }, padding: tc.padding, colSpan: 1, rowSpan: 1, merged: rr === ri ? 'h' : 'v' };
          }
        }
      }
      out.push({ height, cells: [] });
    });
    out.forEach((row, ri) => {
      row.cells = grid[ri]!.map((cell) => cell ?? { text: { content: box, paragraphs: [], top: box.y, bottom: box.y, vertical: 't', grow: false }, padding: { l: 0, t: 0, r: 0, b: 0 }, colSpan: 1, rowSpan: 1 });
    });
    return { kind: 'table', role: 'table', source: describe(el), rect: box, columns, rows: out };
  }

  // ---------- the walk ----------
  function pseudoBox(host: Element, which: '::before' | '::after', slide: number, opacity: number, out: LayoutItem[]): void {
    const cs = getComputedStyle(host, which);
    if (cs.display === 'none' || cs.visibility !== 'visible') return;
    const text = contentText(cs.content, host, `${describe(host)}${which}`, slide);
    if (text === undefined) return;
    const flowInline = inlineLevel(cs) && !outOfFlow(cs);
    if (flowInline) return; // drawn as runs of the host's text
    const zoom = zoomOf(host);
    const z = (v: string) => sl(num(v) * zoom);
    const pad = sides(cs, 'padding', zoom);
    const border = sides(cs, 'border', zoom);
    const boxSizing = cs.boxSizing === 'border-box';
    const w = z(cs.width) + (boxSizing ? 0 : sl(pad.l + pad.r + border.l + border.r));
    const h = z(cs.height) + (boxSizing ? 0 : sl(pad.t + pad.b + border.t + border.b));
    let x: number;
    let y: number;
    if (outOfFlow(cs)) {
      // Positioned: relative to the padding box of the nearest positioned ancestor (or the host).
      let cb: Element | null = host;
      while (cb && cb.tagName !== 'svg' && getComputedStyle(cb).position === 'static') cb = cb.parentElement;
      const cbEl = cb && cb.tagName !== 'svg' ? cb : host;
      const ccs = getComputedStyle(cbEl);
      const cbBox = toSlide(cbEl.getBoundingClientRect());
      const cbBorder = sides(ccs, 'border', zoomOf(cbEl));
      x = cbBox.x + sl(cbBorder.l) + z(cs.left) + z(cs.marginLeft);
      y = cbBox.y + sl(cbBorder.t) + z(cs.top) + z(cs.marginTop);
    } else {
      const hostContent = contentBox(host, getComputedStyle(host));
      x = hostContent.x + z(cs.marginLeft);
      y = which === '::before' ? hostContent.y + z(cs.marginTop) : hostContent.y + hostContent.h - h - z(cs.marginBottom);
    }
    const rect: Rect = { x: round2(x), y: round2(y), w: round2(w), h: round2(h) };
    const effective = opacity * num(cs.opacity || '1');
    const deco = decorate(host, cs, rect, effective, slide, `${describe(host)}${which}`);
    const item: ShapeItem = { kind: 'shape', role: 'shape', source: `${describe(host)}${which}`, rect, style: deco?.main ?? {} };
    if (deco?.picture) issues.push({ slide, message: `the background of ${describe(host)}${which} is drawn as a plain box` });
    if (text.trim() !== '') {
      const lang = langOf(host);
      const font = runFont(host, cs, host, text, effective, lang);
      const m = fontMetrics(cssFont(cs, zoom));
      const lineHeight = cs.lineHeight === 'normal' ? sl(m.ascent + m.descent) : z(cs.lineHeight);
      const content = { x: rect.x + sl(pad.l + border.l), y: rect.y + sl(pad.t + border.t), w: Math.max(0, rect.w - sl(pad.l + pad.r + border.l + border.r)), h: Math.max(0, rect.h - sl(pad.t + pad.b + border.t + border.b)) };
      canvas.font = cssFont(cs, zoom);
      const width = sl(canvas.measureText(text).width) + font.letterSpacing * [...text].length;
      const top = content.y;
      const baseline = top + (lineHeight - sl(m.ascent + m.descent)) / 2 + sl(m.ascent);
      const align = cs.textAlign === 'center' ? 'ctr' : cs.textAlign === 'right' ? 'r' : 'l';
      const left = align === 'ctr' ? content.x + (content.w - width) / 2 : align === 'r' ? content.x + content.w - width : content.x;
      const run: Run = { text: transform(text, cs), font, lang };
      const pagination = host.getAttribute('data-marpit-pagination');
      const runs: Run[] = [];
      const at = pagination ? run.text.search(new RegExp(`(?<!\\d)${pagination}(?!\\d)`)) : -1;
      if (pagination && at >= 0) {
        // The slide number as a field, so it follows when slides move; the rest stays text.
        if (at > 0) runs.push({ ...run, text: run.text.slice(0, at) });
        runs.push({ ...run, text: pagination, field: 'slidenum' });
        if (at + pagination.length < run.text.length) runs.push({ ...run, text: run.text.slice(at + pagination.length) });
        item.role = 'page-number';
      } else runs.push(run);
      const paragraph: Paragraph = {
        runs,
        align,
        lineHeight: round2(lineHeight),
        fontSize: font.size,
        ascent: round2(sl(m.ascent)),
        descent: round2(sl(m.descent)),
        marginLeft: 0,
        marginRight: 0,
        indent: 0,
        level: 0,
        lines: [{ top: round2(top), bottom: round2(top + lineHeight), baseline: round2(baseline), left: round2(left), right: round2(left + width), size: font.size }],
        nowrap: true,
        rtl: cs.direction === 'rtl',
      };
      item.text = { content, paragraphs: [paragraph], top: round2(top), bottom: round2(top + lineHeight), vertical: 't', grow: !deco };
      if (item.role === 'shape') item.role = 'text';
    }
    const drawn = item.text || item.style.fill || item.style.line || item.style.shadow;
    if (drawn) out.push(item);
    if (deco) out.push(...deco.bars);
  }

  function walk(el: Element, slide: number, parentOpacity: number, out: LayoutItem[], slideTitle: { taken: boolean }): void {
    const cs = getComputedStyle(el);
    if (cs.display === 'none') return;
    const opacity = parentOpacity * num(cs.opacity || '1');
    if (opacity <= 0.004) return;
    if (cs.display === 'contents') {
      for (const child of Array.from(el.children)) walk(child, slide, opacity, out, slideTitle);
      return;
    }
    const visible = cs.visibility === 'visible';
    if (visible && isEmoji(el)) {
      const item = picture(el, slide, opacity);
      if (item) out.push(item);
      return;
    }
    if (visible && isPicture(el)) {
      const item = picture(el, slide, opacity);
      if (item) out.push(item);
      return;
    }
    if (visible && el instanceof HTMLTableElement) {
      const item = table(el, slide, opacity);
      if (item) out.push(item);
      return;
    }
    const box = toSlide(el.getBoundingClientRect());
    const deco = visible ? decorate(el, cs, box, opacity, slide, describe(el)) : undefined;
    const local: LayoutItem[] = [];
    let main: ShapeItem | undefined;
    if (deco?.picture) local.push(deco.picture);
    if (deco) {
      main = { kind: 'shape', role: 'shape', source: describe(el), rect: box, style: deco.main };
      local.push(main);
    }
    const textRoot = visible && !layoutContainer(cs) && (isListRoot(el, cs) || hasDirectText(el) || (deco !== undefined && blockContainer(cs)));
    let separate: Element[] | undefined;
    if (textRoot) {
      const collected = collectParagraphs(el, slide, opacity);
      const frame = toFrame(el, cs, contentBox(el, cs), collected.paragraphs, !deco);
      if (frame) {
        const role = deco ? 'card' : roleOf(el, slideTitle);
        if (main) {
          main.text = frame;
          main.role = role === 'title' ? 'title' : 'card';
        } else {
          main = { kind: 'shape', role, source: describe(el), rect: box, style: {}, text: frame };
          local.push(main);
        }
        separate = collected.separate;
      }
    }
    if (deco) local.push(...deco.bars);
    pseudoBox(el, '::before', slide, opacity, local);
    if (separate) for (const child of separate) walk(child, slide, opacity, local, slideTitle);
    else {
      for (const child of Array.from(el.childNodes)) {
        if (child instanceof Element) walk(child, slide, opacity, local, slideTitle);
        else if (visible && child.nodeType === Node.TEXT_NODE && (child.textContent ?? '').trim() !== '') {
          // Text straight inside a flex or grid container: an anonymous item of its own.
          const wrapper = { paragraphs: [] as ParagraphBuild[] };
          const build: ParagraphBuild = { block: el, runs: [], pieces: [{ node: child as Text }], level: 0 };
          const lang = langOf(el);
          build.runs.push({ text: transform((child.textContent ?? '').replace(/\s+/g, ' ').trim(), cs), font: runFont(el, cs, el, child.textContent ?? '', opacity, lang), lang });
          wrapper.paragraphs.push(build);
          const range = document.createRange();
          range.selectNodeContents(child);
          const frame = toFrame(el, cs, toSlide(range.getBoundingClientRect()), wrapper.paragraphs, true);
          if (frame) local.push({ kind: 'shape', role: 'text', source: describe(el), rect: frame.content, style: {}, text: frame });
        }
      }
    }
    pseudoBox(el, '::after', slide, opacity, local);
    if (deco && local.length > 1) {
      const group: GroupItem = { kind: 'group', role: 'group', source: describe(el), rect: box, items: local };
      out.push(group);
    } else out.push(...local);
  }

  const blockContainer = (cs: CSSStyleDeclaration): boolean => /^(block|list-item|flow-root|inline-block|table-cell|table-caption)$/.test(cs.display);
  function isListRoot(el: Element, cs: CSSStyleDeclaration): boolean {
    if ((el.tagName !== 'UL' && el.tagName !== 'OL') || !blockContainer(cs)) return false;
    for (const child of Array.from(el.children)) {
      const ccs = getComputedStyle(child);
      if (ccs.display === 'none') continue;
      if (outOfFlow(ccs) || ccs.position === 'relative' || layoutContainer(ccs) || decorated(child, ccs)) return false;
    }
    return true;
  }
  function hasDirectText(el: Element): boolean {
    for (const child of Array.from(el.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE && (child.textContent ?? '').trim() !== '') return true;
      if (child instanceof Element) {
        const cs = getComputedStyle(child);
        if (cs.display === 'none' || outOfFlow(cs)) continue;
        if (isEmoji(child) || child.tagName === 'BR') return true;
        if (inlineLevel(cs) && !isPicture(child) && (child.textContent ?? '').trim() !== '') return true;
      }
    }
    const before = getComputedStyle(el, '::before');
    return inlineLevel(before) && !outOfFlow(before) && (contentText(before.content, el, '', 0) ?? '').trim() !== '';
  }

  function backgroundOf(section: Element, cs: CSSStyleDeclaration): SlideLayout['background'] | 'picture' {
    const bg = parseColor(cs.backgroundColor);
    const layers = cs.backgroundImage === 'none' ? [] : splitLayers(cs.backgroundImage);
    if (layers.length === 0) return bg ? { fill: { type: 'solid', color: bg } } : undefined;
    const box = toSlide(section.getBoundingClientRect());
    const linear = layers.length === 1 ? parseLinear(layers[0]!, box.w, box.h) : undefined;
    if (linear && linear.stops.every((s) => s.color && s.color.alpha >= 0.999)) {
      return { fill: { type: 'linear', angle: linear.angle, stops: linear.stops.map((s) => ({ at: s.at, color: s.color! })) } };
    }
    return 'picture';
  }

  const backgroundImages = new Map<string, number>();
  const slides: SlideLayout[] = svgs.map((svg, index) => {
    const r = svg.getBoundingClientRect();
    slideBox = { left: r.left, top: r.top, scale: r.width / deckWidth || 1 };
    const items: LayoutItem[] = [];
    let background: SlideLayout['background'];
    const sections = Array.from(svg.querySelectorAll(':scope > foreignObject > section'));
    const slideTitle = { taken: false };
    sections.forEach((section, i) => {
      const cs = getComputedStyle(section);
      if (i === 0) {
        const bg = backgroundOf(section, cs);
        if (bg === 'picture') {
          // Slides of one class share a background: one picture for all of them.
          const key = `${cs.backgroundColor} ${cs.backgroundImage} ${cs.backgroundSize} ${cs.backgroundPosition}`;
          let image = backgroundImages.get(key);
          if (image === undefined) {
            image = captureImage(section, { x: 0, y: 0, w: deckWidth, h: deckHeight }, 'background', 1, index, 'jpeg');
            backgroundImages.set(key, image);
          }
          background = { image };
        }
        else background = bg;
        if (cs.display === 'none') return;
        pseudoBox(section, '::before', index, 1, items);
        for (const child of Array.from(section.children)) walk(child, index, num(cs.opacity || '1'), items, slideTitle);
        pseudoBox(section, '::after', index, 1, items);
      } else walk(section, index, 1, items, slideTitle);
    });
    const notes = (document.querySelector(args.notesSelector.replace('{n}', String(index + 1)))?.textContent ?? '').trim();
    const lang = langOf(sections[0] ?? svg);
    return { ...(background ? { background } : {}), items, notes, lang };
  });
  return { width: deckWidth, height: deckHeight, slides, images, captures, fonts, issues };
}
