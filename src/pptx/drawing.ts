/**
 * DrawingML for the items of one slide: shapes with their fills, outlines and text, pictures,
 * tables and groups, as PowerPoint's schema orders their elements.
 */
import type { BoxStyle, Fill, GroupItem, LayoutItem, Line, Paragraph, PictureItem, Radii, Rect, Rgba, Run, ShapeItem, TableCell, TableItem } from './slide-layout.js';
import { placeFrame, type PlacedFrame } from './text-frame.js';
import { attrs, centipoints, emu, esc } from './xml.js';

/** What a slide's XML refers to outside itself; the writer turns these into relationships. */
export interface SlideRefs {
  /** The relationship id of image `index` (and of its SVG, when it has one). */
  image(index: number): { png: string; svg?: string };
  /** The relationship id of a hyperlink: an absolute URL or `#<slide number>`. */
  link(href: string): string;
  /** A stable `{GUID}` for the n-th field of the slide. */
  fieldId(): string;
  /** The next shape id of the slide (1 is the slide's own group). */
  nextId(): number;
  /** East Asian font for runs that name none (the theme's). */
  eastAsianDefault: string;
}

const percent = (fraction: number): number => Math.round(Math.max(0, Math.min(1, fraction)) * 100000);

export function colorXml(color: Rgba): string {
  const alpha = color.alpha < 0.999 ? `<a:alpha val="${percent(color.alpha)}"/>` : '';
  return `<a:srgbClr val="${color.hex.toUpperCase()}">${alpha}</a:srgbClr>`;
}

export function fillXml(fill: Fill | undefined): string {
  if (!fill) return '<a:noFill/>';
  if (fill.type === 'solid') return `<a:solidFill>${colorXml(fill.color)}</a:solidFill>`;
  // CSS measures the angle from "to top", clockwise; DrawingML from "to right", clockwise.
  const angle = Math.round((((fill.angle - 90) % 360) + 360) % 360 * 60000);
  const stops = fill.stops.map((s) => `<a:gs pos="${percent(s.at)}">${colorXml(s.color)}</a:gs>`).join('');
  return `<a:gradFill rotWithShape="1"><a:gsLst>${stops}</a:gsLst><a:lin ang="${angle}" scaled="0"/></a:gradFill>`;
}

function lineXml(line: Line | undefined): string {
  if (!line) return '<a:ln><a:noFill/></a:ln>';
  const dash = line.dash === 'dash' ? 'dash' : line.dash === 'dot' ? 'sysDot' : 'solid';
  return `<a:ln w="${emu(line.width)}"><a:solidFill>${colorXml(line.color)}</a:solidFill><a:prstDash val="${dash}"/><a:miter lim="800000"/></a:ln>`;
}

function shadowXml(style: BoxStyle): string {
  const s = style.shadow;
  if (!s) return '';
  const dist = Math.hypot(s.x, s.y);
  const dir = (((Math.atan2(s.y, s.x) * 180) / Math.PI + 360) % 360) * 60000;
  return `<a:effectLst><a:outerShdw${attrs({ blurRad: emu(s.blur), dist: emu(dist), dir: Math.round(dir), algn: 'ctr', rotWithShape: '0' })}>${colorXml(s.color)}</a:outerShdw></a:effectLst>`;
}

/**
 * How far a preset's text rectangle lies inside the shape's box (DrawingML's preset definitions:
 * rounded corners inset the text by 29.289 % of their radius, an ellipse by 14.645 % of its size),
 * so text insets can be given from the box as CSS gives them.
 */
export function presetTextInsets(style: BoxStyle, rect: Rect): { l: number; t: number; r: number; b: number } {
  const none = { l: 0, t: 0, r: 0, b: 0 };
  if (style.ellipse) return { l: rect.w * 0.14645, r: rect.w * 0.14645, t: rect.h * 0.14645, b: rect.h * 0.14645 };
  const r = style.radii;
  if (!r || r.every((v) => v < 0.25)) return none;
  const max = Math.min(rect.w, rect.h) / 2;
  const k = 0.29289;
  const near = (a: number, b: number) => Math.abs(a - b) < 0.25;
  if (r.every((v) => near(v, r[0]))) {
    const d = Math.min(max, r[0]) * k;
    return { l: d, t: d, r: d, b: d };
  }
  if (near(r[0], r[1]) && near(r[2], r[3])) {
    const top = Math.min(max, r[0]);
    const bottom = Math.min(max, r[3]);
    const side = Math.max(top, bottom) * k;
    return { l: side, r: side, t: top * k, b: bottom * k };
  }
  return none;
}

/** The shape's outline path: a preset when one fits the corners, else a path with an arc per corner. */
function geometryXml(style: BoxStyle, rect: Rect): string {
  if (style.ellipse) return '<a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom>';
  const r = style.radii;
  const ss = Math.max(1e-6, Math.min(rect.w, rect.h));
  const adj = (radius: number) => Math.round(Math.min(50000, (radius / ss) * 100000));
  if (!r || r.every((v) => v < 0.25)) return '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>';
  const near = (a: number, b: number) => Math.abs(a - b) < 0.25;
  if (r.every((v) => near(v, r[0]))) return `<a:prstGeom prst="roundRect"><a:avLst><a:gd name="adj" fmla="val ${adj(r[0])}"/></a:avLst></a:prstGeom>`;
  if (near(r[0], r[1]) && near(r[2], r[3])) {
    return `<a:prstGeom prst="round2SameRect"><a:avLst><a:gd name="adj1" fmla="val ${adj(r[0])}"/><a:gd name="adj2" fmla="val ${adj(r[3])}"/></a:avLst></a:prstGeom>`;
  }
  return customCorners(r, rect);
}

function customCorners(r: Radii, rect: Rect): string {
  const w = emu(rect.w);
  const h = emu(rect.h);
  const max = Math.min(w, h) / 2;
  const [tl, tr, br, bl] = r.map((v) => Math.min(max, emu(v)));
  const arc = (radius: number, start: number) => (radius > 0 ? `<a:arcTo wR="${radius}" hR="${radius}" stAng="${start * 60000}" swAng="5400000"/>` : '');
  const path =
    `<a:moveTo><a:pt x="${tl}" y="0"/></a:moveTo><a:lnTo><a:pt x="${w - tr!}" y="0"/></a:lnTo>${arc(tr!, 270)}` +
    `<a:lnTo><a:pt x="${w}" y="${h - br!}"/></a:lnTo>${arc(br!, 0)}` +
    `<a:lnTo><a:pt x="${bl}" y="${h}"/></a:lnTo>${arc(bl!, 90)}` +
    `<a:lnTo><a:pt x="0" y="${tl}"/></a:lnTo>${arc(tl!, 180)}<a:close/>`;
  return `<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="l" t="t" r="r" b="b"/><a:pathLst><a:path w="${w}" h="${h}">${path}</a:path></a:pathLst></a:custGeom>`;
}

const xfrm = (rect: Rect): string => `<a:xfrm><a:off x="${emu(rect.x)}" y="${emu(rect.y)}"/><a:ext cx="${Math.max(0, emu(rect.w))}" cy="${Math.max(0, emu(rect.h))}"/></a:xfrm>`;

// ---------- text ----------

const isCjkLang = (lang: string | undefined): boolean => /^(zh|ja|ko)\b/i.test(lang ?? '');

function runProperties(run: Run, refs: SlideRefs, tag: 'a:rPr' | 'a:endParaRPr'): string {
  const f = run.font;
  const attr = attrs({
    lang: run.lang,
    altLang: isCjkLang(run.lang) ? 'en-US' : undefined,
    sz: Math.min(400000, Math.max(100, centipoints(f.size))),
    b: f.bold ? '1' : '0',
    i: f.italic ? '1' : '0',
    u: f.underline ? 'sng' : undefined,
    strike: f.strike ? 'sngStrike' : undefined,
    cap: f.caps ? 'all' : undefined,
    spc: f.letterSpacing ? centipoints(f.letterSpacing) : undefined,
    baseline: f.baseline === 'super' ? 30000 : f.baseline === 'sub' ? -25000 : undefined,
    dirty: '0',
  });
  const fill = `<a:solidFill>${colorXml(f.color)}</a:solidFill>`;
  const highlight = f.highlight ? `<a:highlight>${colorXml({ ...f.highlight, alpha: 1 })}</a:highlight>` : '';
  const latin = f.latin ? `<a:latin typeface="${esc(f.latin)}"/>` : '';
  const ea = `<a:ea typeface="${esc(f.eastAsian ?? refs.eastAsianDefault)}"/>`;
  const cs = f.latin ? `<a:cs typeface="${esc(f.latin)}"/>` : '';
  const link = tag === 'a:rPr' && run.href ? `<a:hlinkClick r:id="${refs.link(run.href)}"${run.href.startsWith('#') ? ' action="ppaction://hlinksldjump"' : ''}/>` : '';
  return `<${tag}${attr}>${fill}${highlight}${latin}${ea}${cs}${link}</${tag}>`;
}

function runXml(run: Run, refs: SlideRefs): string {
  if (run.break) return `<a:br>${runProperties(run, refs, 'a:rPr')}</a:br>`;
  if (run.field === 'slidenum') return `<a:fld id="${refs.fieldId()}" type="slidenum">${runProperties(run, refs, 'a:rPr')}<a:t>${esc(run.text)}</a:t></a:fld>`;
  return `<a:r>${runProperties(run, refs, 'a:rPr')}<a:t>${esc(run.text)}</a:t></a:r>`;
}

function bulletXml(p: Paragraph): string {
  const b = p.bullet;
  if (!b) return '<a:buNone/>';
  const color = b.color ? `<a:buClr>${colorXml(b.color)}</a:buClr>` : '';
  const size = `<a:buSzPct val="${Math.round(Math.max(0.25, Math.min(4, b.sizeRatio)) * 100000)}"/>`;
  const font = b.font ? `<a:buFont typeface="${esc(b.font)}"/>` : '<a:buFontTx/>';
  const kind = b.type === 'char' ? `<a:buChar char="${esc(b.char)}"/>` : `<a:buAutoNum type="${b.scheme}"${b.startAt !== 1 ? ` startAt="${b.startAt}"` : ''}/>`;
  return `${color}${size}${font}${kind}`;
}

const algnOf = (align: Paragraph['align']): string => align;

/** `<p:txBody>` / `<a:txBody>` of a placed frame. */
export function textBodyXml(placed: PlacedFrame, refs: SlideRefs, tag: 'p:txBody' | 'a:txBody', options: { grow: boolean; anchor: 't' | 'ctr' | 'b' }): string {
  const { l, t, r, b } = placed.insets;
  const autofit = options.grow ? '<a:spAutoFit/>' : '<a:noAutofit/>';
  const bodyPr = tag === 'a:txBody' ? '<a:bodyPr/>' : `<a:bodyPr${attrs({ wrap: placed.wrap ? 'square' : 'none', lIns: emu(l), tIns: emu(t), rIns: emu(r), bIns: emu(b), rtlCol: '0', anchor: options.anchor })}>${autofit}</a:bodyPr>`;
  const paragraphs = placed.paragraphs.map(({ paragraph: p, marginLeft, marginRight, indent, spaceBefore, lineHeight }) => {
    const pPr =
      `<a:pPr${attrs({ marL: emu(Math.max(0, marginLeft)), marR: emu(Math.max(0, marginRight)), lvl: p.level > 1 ? Math.min(8, p.level - 1) : undefined, indent: emu(indent), algn: algnOf(p.align), rtl: p.rtl ? '1' : undefined, eaLnBrk: '1', latinLnBrk: '0', hangingPunct: '0' })}>` +
      `<a:lnSpc><a:spcPts val="${centipoints(lineHeight)}"/></a:lnSpc><a:spcBef><a:spcPts val="${centipoints(spaceBefore)}"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>` +
      `${bulletXml(p)}</a:pPr>`;
    const runs = p.runs.map((run) => runXml(run, refs)).join('');
    const last = [...p.runs].reverse().find((run) => !run.break) ?? p.runs[0];
    const end = last ? runProperties({ ...last, text: '' }, refs, 'a:endParaRPr') : '';
    return `<a:p>${pPr}${runs}${end}</a:p>`;
  });
  // A frame always holds a paragraph, even an empty one.
  const body = paragraphs.length > 0 ? paragraphs.join('') : '<a:p><a:endParaRPr lang="en-US"/></a:p>';
  return `<${tag}>${bodyPr}<a:lstStyle/>${body}</${tag}>`;
}

// ---------- items ----------

const roleNames: Record<string, string> = {
  title: 'Title',
  heading: 'Heading',
  paragraph: 'Text',
  list: 'List',
  card: 'Card',
  header: 'Header',
  footer: 'Footer',
  'page-number': 'Slide Number',
  text: 'Text',
  shape: 'Shape',
  picture: 'Picture',
  table: 'Table',
  group: 'Group',
};

function nvProps(refs: SlideRefs, item: LayoutItem, extra = ''): { id: number; xml: string } {
  const id = refs.nextId();
  const name = `${roleNames[item.role] ?? 'Shape'} ${id}`;
  const descr = item.kind === 'picture' && item.alt ? item.alt : undefined;
  return { id, xml: `<p:cNvPr${attrs({ id, name, descr })}>${extra}</p:cNvPr>` };
}

function shapeXml(item: ShapeItem, refs: SlideRefs, title: boolean): string {
  const { xml: cNvPr } = nvProps(refs, item);
  const plain = !item.style.fill && !item.style.line && !item.style.shadow;
  // An outline is drawn centred on the path: inset it by half its width to stay inside the box, as CSS borders do.
  const line = item.style.line;
  let rect = line ? { x: item.rect.x + line.width / 2, y: item.rect.y + line.width / 2, w: item.rect.w - line.width, h: item.rect.h - line.width } : item.rect;
  const style = line && item.style.radii ? { ...item.style, radii: item.style.radii.map((r) => Math.max(0, r - line.width / 2)) as Radii } : item.style;
  let body = '';
  if (item.text) {
    const placed = plain ? placeFrame(item.text, { kind: 'box' }) : placeFrame(item.text, { kind: 'shape', rect });
    if (plain) rect = placed.rect;
    else {
      const preset = presetTextInsets(style, rect);
      placed.insets = { l: Math.max(0, placed.insets.l - preset.l), t: Math.max(0, placed.insets.t - preset.t), r: Math.max(0, placed.insets.r - preset.r), b: Math.max(0, placed.insets.b - preset.b) };
    }
    // Unwrapped text keeps its box: a renderer that fits the box to the text moves it (LibreOffice grows it both ways).
    body = textBodyXml(placed, refs, 'p:txBody', { grow: plain && item.text.grow && placed.wrap, anchor: 't' });
  }
  const nvPr = title ? '<p:nvPr><p:ph type="title"/></p:nvPr>' : '<p:nvPr/>';
  const cNvSpPr = plain && item.text ? '<p:cNvSpPr txBox="1"/>' : '<p:cNvSpPr/>';
  const spPr = `<p:spPr>${xfrm(rect)}${geometryXml(style, rect)}${fillXml(item.style.fill)}${lineXml(line)}${shadowXml(item.style)}</p:spPr>`;
  return `<p:sp><p:nvSpPr>${cNvPr}${cNvSpPr}${nvPr}</p:nvSpPr>${spPr}${body}</p:sp>`;
}

function pictureXml(item: PictureItem, refs: SlideRefs): string {
  const { xml: cNvPr } = nvProps(refs, item);
  const ids = refs.image(item.image);
  const alpha = item.opacity < 0.999 ? `<a:alphaModFix amt="${percent(item.opacity)}"/>` : '';
  const svg = ids.svg ? `<a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="${ids.svg}"/></a:ext></a:extLst>` : '';
  const c = item.crop;
  const crop = c ? `<a:srcRect${attrs({ l: percent(c.l), t: percent(c.t), r: percent(c.r), b: percent(c.b) })}/>` : '';
  const geometry = geometryXml(item.radii ? { radii: item.radii } : {}, item.rect);
  return (
    `<p:pic><p:nvPicPr>${cNvPr}<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>` +
    `<p:blipFill><a:blip r:embed="${ids.png}">${alpha}${svg}</a:blip>${crop}<a:stretch><a:fillRect/></a:stretch></p:blipFill>` +
    `<p:spPr>${xfrm(item.rect)}${geometry}</p:spPr></p:pic>`
  );
}

function cellLine(tag: string, line: Line | undefined): string {
  if (!line) return `<a:${tag} w="0"><a:noFill/></a:${tag}>`;
  return `<a:${tag} w="${emu(line.width)}" cmpd="sng"><a:solidFill>${colorXml(line.color)}</a:solidFill><a:prstDash val="${line.dash === 'dash' ? 'dash' : line.dash === 'dot' ? 'sysDot' : 'solid'}"/></a:${tag}>`;
}

function cellXml(cell: TableCell, cellRect: Rect, refs: SlideRefs): string {
  const span = attrs({ gridSpan: cell.colSpan > 1 ? cell.colSpan : undefined, rowSpan: cell.rowSpan > 1 ? cell.rowSpan : undefined, hMerge: cell.merged === 'h' ? '1' : undefined, vMerge: cell.merged === 'v' ? '1' : undefined });
  let margins = { l: cell.padding.l, t: cell.padding.t, r: cell.padding.r, b: cell.padding.b };
  let body = '<a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></a:txBody>';
  if (cell.text.paragraphs.length > 0 && !cell.merged) {
    const placed = placeFrame(cell.text, { kind: 'shape', rect: cellRect });
    margins = cell.text.vertical === 't' ? { ...placed.insets, b: cell.padding.b } : { ...placed.insets, t: cell.padding.t, b: cell.padding.b };
    body = textBodyXml(placed, refs, 'a:txBody', { grow: false, anchor: cell.text.vertical });
  }
  const tcPr =
    `<a:tcPr${attrs({ marL: emu(margins.l), marR: emu(margins.r), marT: emu(margins.t), marB: emu(margins.b), anchor: cell.text.vertical })}>` +
    `${cellLine('lnL', cell.left)}${cellLine('lnR', cell.right)}${cellLine('lnT', cell.top)}${cellLine('lnB', cell.bottom)}${fillXml(cell.fill)}</a:tcPr>`;
  return `<a:tc${span}>${body}${tcPr}</a:tc>`;
}

function tableXml(item: TableItem, refs: SlideRefs): string {
  const { xml: cNvPr } = nvProps(refs, item);
  const grid = item.columns.map((w) => `<a:gridCol w="${emu(w)}"/>`).join('');
  let y = item.rect.y;
  const rows = item.rows
    .map((row) => {
      let x = item.rect.x;
      const cells = row.cells
        .map((cell, ci) => {
          const w = item.columns.slice(ci, ci + cell.colSpan).reduce((a, b) => a + b, 0);
          const xml = cellXml(cell, { x, y, w, h: row.height }, refs);
          x += item.columns[ci] ?? 0;
          return xml;
        })
        .join('');
      y += row.height;
      return `<a:tr h="${emu(row.height)}">${cells}</a:tr>`;
    })
    .join('');
  return (
    `<p:graphicFrame><p:nvGraphicFramePr>${cNvPr}<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>` +
    `<p:xfrm><a:off x="${emu(item.rect.x)}" y="${emu(item.rect.y)}"/><a:ext cx="${emu(item.rect.w)}" cy="${emu(item.rect.h)}"/></p:xfrm>` +
    `<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr firstRow="1" bandRow="1"/><a:tblGrid>${grid}</a:tblGrid>${rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`
  );
}

/** The box around a group's items, as PowerPoint stores it (children keep slide coordinates). */
function bounds(items: LayoutItem[]): Rect {
  const boxes = items.map((item) => (item.kind === 'group' ? bounds(item.items) : item.rect));
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, w: Math.max(...boxes.map((b) => b.x + b.w)) - x, h: Math.max(...boxes.map((b) => b.y + b.h)) - y };
}

function groupXml(item: GroupItem, refs: SlideRefs): string {
  const { xml: cNvPr } = nvProps(refs, item);
  // A placeholder cannot be part of a group.
  const children = item.items.map((child) => itemXml(child, refs, { done: true })).join('');
  const b = bounds(item.items);
  const off = `<a:off x="${emu(b.x)}" y="${emu(b.y)}"/><a:ext cx="${emu(b.w)}" cy="${emu(b.h)}"/>`;
  return `<p:grpSp><p:nvGrpSpPr>${cNvPr}<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>${off}<a:chOff x="${emu(b.x)}" y="${emu(b.y)}"/><a:chExt cx="${emu(b.w)}" cy="${emu(b.h)}"/></a:xfrm></p:grpSpPr>${children}</p:grpSp>`;
}

/** The XML of one slide item; the slide's first title becomes its title placeholder. */
export function itemXml(item: LayoutItem, refs: SlideRefs, titleTaken: { done: boolean }): string {
  switch (item.kind) {
    case 'shape': {
      const title = item.role === 'title' && !titleTaken.done && item.text !== undefined;
      if (title) titleTaken.done = true;
      return shapeXml(item, refs, title);
    }
    case 'picture':
      return pictureXml(item, refs);
    case 'table':
      return tableXml(item, refs);
    case 'group':
      return item.items.length > 0 ? groupXml(item, refs) : '';
  }
}
