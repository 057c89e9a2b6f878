import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Reading a PPTX in tests, independently of the writer: its own zip reader (central directory,
 * inflate, CRC check), a small XML parser, and the rules PowerPoint holds a package to.
 */

/** Every entry of a zip archive, checked against its CRC-32. Throws on anything malformed. */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory record ${i}`);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    const data = method === 0 ? raw : inflateRawSync(raw);
    if (crc32(data) !== crc) throw new Error(`CRC mismatch in ${name}`);
    if (out.has(name)) throw new Error(`duplicate entry ${name}`);
    out.set(name, new Uint8Array(data));
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Text directly inside, entities decoded. */
  text: string;
}

const decode = (s: string): string =>
  s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-f]+|#\d+);/gi, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : e === 'amp' ? '&' : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );

/** Parses well-formed XML (no DTD); throws on unbalanced tags. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
  let last = 0;
  for (const m of xml.matchAll(token)) {
    if (m.index !== last) throw new Error(`unparsable XML at ${last}: ${xml.slice(last, last + 40)}`);
    last = m.index + m[0].length;
    if (m[5] !== undefined) {
      stack[stack.length - 1]!.text += decode(m[5]);
      continue;
    }
    if (!m[2]) continue;
    if (m[1]) {
      const open = stack.pop();
      if (!open || open.name !== m[2]) throw new Error(`</${m[2]}> closes <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]} on <${m[2]}>`);
      attrs[a[1]!] = decode(a[2]!);
    }
    const node: XmlNode = { name: m[2], attrs, children: [], text: '' };
    stack[stack.length - 1]!.children.push(node);
    if (!m[4]) stack.push(node);
  }
  if (last !== xml.length || stack.length !== 1) throw new Error('unbalanced XML');
  return root;
}

export function* walk(node: XmlNode): Generator<XmlNode> {
  yield node;
  for (const child of node.children) yield* walk(child);
}
export const find = (node: XmlNode, name: string): XmlNode[] => [...walk(node)].filter((n) => n.name === name);

export interface Pptx {
  parts: Map<string, Uint8Array>;
  xml(name: string): XmlNode;
  text(name: string): string;
  /** Slide part names in presentation order. */
  slides: string[];
}

export function readPptx(bytes: Uint8Array): Pptx {
  const parts = readZip(bytes);
  const text = (name: string) => {
    const part = parts.get(name);
    if (!part) throw new Error(`no part ${name}`);
    return new TextDecoder().decode(part);
  };
  const cache = new Map<string, XmlNode>();
  const xml = (name: string) => {
    let node = cache.get(name);
    if (!node) cache.set(name, (node = parseXml(text(name))));
    return node;
  };
  const rels = relsOf(parts, 'ppt/presentation.xml');
  const slides = find(xml('ppt/presentation.xml'), 'p:sldId').map((s) => resolveTarget('ppt/presentation.xml', rels.get(s.attrs['r:id']!)!.target));
  return { parts, xml, text, slides };
}

interface Rel {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

const relsName = (part: string): string => {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
};

function relsOf(parts: Map<string, Uint8Array>, part: string): Map<string, Rel> {
  const bytes = parts.get(relsName(part));
  const out = new Map<string, Rel>();
  if (!bytes) return out;
  for (const r of find(parseXml(new TextDecoder().decode(bytes)), 'Relationship')) {
    out.set(r.attrs.Id!, { id: r.attrs.Id!, type: r.attrs.Type!, target: r.attrs.Target!, external: r.attrs.TargetMode === 'External' });
  }
  return out;
}

/** A relationship target as a part name, from the part that holds the relationship. */
export function resolveTarget(from: string, target: string): string {
  const base = from.includes('/') ? from.slice(0, from.lastIndexOf('/')).split('/') : [];
  const out = target.startsWith('/') ? [] : base;
  for (const seg of target.replace(/^\//, '').split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.') out.push(seg);
  }
  return out.join('/');
}

const fills = ['a:noFill', 'a:solidFill', 'a:gradFill', 'a:blipFill', 'a:pattFill', 'a:grpFill'];
const effects = ['a:effectLst', 'a:effectDag'];
/** Child sequences of the elements briefgen writes (ECMA-376 Part 1, §19–21): each child's group, in order. */
const sequences: Record<string, string[][]> = {
  'p:sld': [['p:cSld'], ['p:clrMapOvr'], ['p:transition'], ['p:timing'], ['p:extLst']],
  'p:notes': [['p:cSld'], ['p:clrMapOvr'], ['p:extLst']],
  'p:cSld': [['p:bg'], ['p:spTree'], ['p:custDataLst'], ['p:controls'], ['p:extLst']],
  'p:bg': [['p:bgPr', 'p:bgRef']],
  'p:bgPr': [fills, effects, ['a:extLst']],
  'p:spTree': [['p:nvGrpSpPr'], ['p:grpSpPr'], ['p:sp', 'p:grpSp', 'p:graphicFrame', 'p:cxnSp', 'p:pic', 'p:contentPart'], ['p:extLst']],
  'p:grpSp': [['p:nvGrpSpPr'], ['p:grpSpPr'], ['p:sp', 'p:grpSp', 'p:graphicFrame', 'p:cxnSp', 'p:pic', 'p:contentPart'], ['p:extLst']],
  'p:grpSpPr': [['a:xfrm'], fills, effects, ['a:scene3d'], ['a:extLst']],
  'p:sp': [['p:nvSpPr'], ['p:spPr'], ['p:style'], ['p:txBody'], ['p:extLst']],
  'p:nvSpPr': [['p:cNvPr'], ['p:cNvSpPr'], ['p:nvPr']],
  'p:spPr': [['a:xfrm'], ['a:custGeom', 'a:prstGeom'], fills, ['a:ln'], effects, ['a:scene3d'], ['a:sp3d'], ['a:extLst']],
  'a:ln': [fills, ['a:prstDash', 'a:custDash'], ['a:round', 'a:bevel', 'a:miter'], ['a:headEnd'], ['a:tailEnd'], ['a:extLst']],
  'a:prstGeom': [['a:avLst']],
  'a:custGeom': [['a:avLst'], ['a:gdLst'], ['a:ahLst'], ['a:cxnLst'], ['a:rect'], ['a:pathLst']],
  'a:gradFill': [['a:gsLst'], ['a:lin', 'a:path'], ['a:tileRect']],
  'p:txBody': [['a:bodyPr'], ['a:lstStyle'], ['a:p']],
  'a:txBody': [['a:bodyPr'], ['a:lstStyle'], ['a:p']],
  'a:bodyPr': [['a:prstTxWarp'], ['a:noAutofit', 'a:normAutofit', 'a:spAutoFit'], ['a:scene3d'], ['a:sp3d'], ['a:flatTx'], ['a:extLst']],
  'a:p': [['a:pPr'], ['a:r', 'a:br', 'a:fld'], ['a:endParaRPr']],
  'a:pPr': [['a:lnSpc'], ['a:spcBef'], ['a:spcAft'], ['a:buClrTx', 'a:buClr'], ['a:buSzTx', 'a:buSzPct', 'a:buSzPts'], ['a:buFontTx', 'a:buFont'], ['a:buNone', 'a:buAutoNum', 'a:buChar', 'a:buBlip'], ['a:tabLst'], ['a:defRPr'], ['a:extLst']],
  'a:r': [['a:rPr'], ['a:t']],
  'a:br': [['a:rPr']],
  'a:fld': [['a:rPr'], ['a:pPr'], ['a:t']],
  'a:rPr': [['a:ln'], fills, effects, ['a:highlight'], ['a:uLnTx', 'a:uLn'], ['a:uFillTx', 'a:uFill'], ['a:latin'], ['a:ea'], ['a:cs'], ['a:sym'], ['a:hlinkClick'], ['a:hlinkMouseOver'], ['a:rtl'], ['a:extLst']],
  'a:endParaRPr': [['a:ln'], fills, effects, ['a:highlight'], ['a:uLnTx', 'a:uLn'], ['a:uFillTx', 'a:uFill'], ['a:latin'], ['a:ea'], ['a:cs'], ['a:sym'], ['a:hlinkClick'], ['a:hlinkMouseOver'], ['a:rtl'], ['a:extLst']],
  'p:pic': [['p:nvPicPr'], ['p:blipFill'], ['p:spPr'], ['p:style'], ['p:extLst']],
  'p:nvPicPr': [['p:cNvPr'], ['p:cNvPicPr'], ['p:nvPr']],
  'p:blipFill': [['a:blip'], ['a:srcRect'], ['a:tile', 'a:stretch']],
  'a:blipFill': [['a:blip'], ['a:srcRect'], ['a:tile', 'a:stretch']],
  'a:blip': [['a:alphaModFix', 'a:alphaMod', 'a:grayscl', 'a:lum', 'a:duotone'], ['a:extLst']],
  'p:graphicFrame': [['p:nvGraphicFramePr'], ['p:xfrm'], ['a:graphic'], ['p:extLst']],
  'a:tbl': [['a:tblPr'], ['a:tblGrid'], ['a:tr']],
  'a:tr': [['a:tc'], ['a:extLst']],
  'a:tc': [['a:txBody'], ['a:tcPr'], ['a:extLst']],
  'a:tcPr': [['a:lnL'], ['a:lnR'], ['a:lnT'], ['a:lnB'], ['a:lnTlToBr'], ['a:lnBlToTr'], ['a:cell3D'], fills, ['a:headers'], ['a:extLst']],
  'p:presentation': [['p:sldMasterIdLst'], ['p:notesMasterIdLst'], ['p:handoutMasterIdLst'], ['p:sldIdLst'], ['p:sldSz'], ['p:notesSz'], ['p:smartTags'], ['p:embeddedFontLst'], ['p:custShowLst'], ['p:photoAlbum'], ['p:custDataLst'], ['p:kinsoku'], ['p:defaultTextStyle'], ['p:modifyVerifier'], ['p:extLst']],
  'p:sldMaster': [['p:cSld'], ['p:clrMap'], ['p:sldLayoutIdLst'], ['p:transition'], ['p:timing'], ['p:hf'], ['p:txStyles'], ['p:extLst']],
  'p:txStyles': [['p:titleStyle'], ['p:bodyStyle'], ['p:otherStyle'], ['p:extLst']],
  'p:sldLayout': [['p:cSld'], ['p:clrMapOvr'], ['p:transition'], ['p:timing'], ['p:hf'], ['p:extLst']],
  'p:notesMaster': [['p:cSld'], ['p:clrMap'], ['p:hf'], ['p:notesStyle'], ['p:extLst']],
  'a:theme': [['a:themeElements'], ['a:objectDefaults'], ['a:extraClrSchemeLst'], ['a:custClrLst'], ['a:extLst']],
  'a:themeElements': [['a:clrScheme'], ['a:fontScheme'], ['a:fmtScheme'], ['a:extLst']],
  'a:clrScheme': [['a:dk1'], ['a:lt1'], ['a:dk2'], ['a:lt2'], ['a:accent1'], ['a:accent2'], ['a:accent3'], ['a:accent4'], ['a:accent5'], ['a:accent6'], ['a:hlink'], ['a:folHlink'], ['a:extLst']],
  'a:fontScheme': [['a:majorFont'], ['a:minorFont'], ['a:extLst']],
  'a:majorFont': [['a:latin'], ['a:ea'], ['a:cs'], ['a:font'], ['a:extLst']],
  'a:minorFont': [['a:latin'], ['a:ea'], ['a:cs'], ['a:font'], ['a:extLst']],
  'a:fmtScheme': [['a:fillStyleLst'], ['a:lnStyleLst'], ['a:effectStyleLst'], ['a:bgFillStyleLst']],
};
/** Children a schema requires. */
const required: Record<string, string[]> = {
  'p:bgPr': ['a:effectLst'],
  'p:sp': ['p:nvSpPr', 'p:spPr'],
  'p:pic': ['p:nvPicPr', 'p:blipFill', 'p:spPr'],
  'a:r': ['a:t'],
  'p:cSld': ['p:spTree'],
  'a:tc': [],
  'a:themeElements': ['a:clrScheme', 'a:fontScheme', 'a:fmtScheme'],
};
/** Attribute ranges of ECMA-376's simple types, for the attributes briefgen writes. */
const ranges: Record<string, Record<string, [number, number]>> = {
  'a:rPr': { sz: [100, 400000], spc: [-400000, 400000], baseline: [-100000, 100000] },
  'a:endParaRPr': { sz: [100, 400000], spc: [-400000, 400000] },
  'a:pPr': { marL: [0, 51206400], marR: [0, 51206400], indent: [-51206400, 51206400], lvl: [0, 8] },
  'a:spcPts': { val: [0, 158400] },
  'a:buSzPct': { val: [25000, 400000] },
  'a:alpha': { val: [0, 100000] },
  'a:alphaModFix': { amt: [0, 100000] },
  'a:gs': { pos: [0, 100000] },
  'a:lin': { ang: [0, 21599999] },
  'p:sldSz': { cx: [914400, 51206400], cy: [914400, 51206400] },
  'a:ext': { cx: [0, 27273042316900], cy: [0, 27273042316900] },
  'a:ln': { w: [0, 20116800] },
  'a:outerShdw': { blurRad: [0, 27273042316900], dist: [0, 27273042316900], dir: [0, 21599999] },
};

/**
 * What PowerPoint holds a package to, as a list of problems (empty: none): every part has a
 * content type and every content type a part, every relationship resolves and every reference
 * has one, slide and master ids are unique and in their ranges, shape ids are unique per slide,
 * elements come in schema order, attributes in range, sizes whole EMUs, XML well formed.
 */
export function packageProblems(pptx: Pptx): string[] {
  const problems: string[] = [];
  const { parts } = pptx;
  const names = [...parts.keys()];
  if (names[0] !== '[Content_Types].xml') problems.push('[Content_Types].xml is not the first entry');
  const types = pptx.xml('[Content_Types].xml');
  const overrides = new Map(find(types, 'Override').map((o) => [o.attrs.PartName!.replace(/^\//, ''), o.attrs.ContentType!]));
  const defaults = new Map(find(types, 'Default').map((d) => [d.attrs.Extension!.toLowerCase(), d.attrs.ContentType!]));
  for (const name of names) {
    if (name === '[Content_Types].xml') continue;
    const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    if (!overrides.has(name) && !defaults.has(ext)) problems.push(`${name} has no content type`);
  }
  for (const part of overrides.keys()) if (!parts.has(part)) problems.push(`content type for missing part ${part}`);

  const reached = new Set<string>(['[Content_Types].xml']);
  const visit = (part: string) => {
    if (reached.has(part)) return;
    reached.add(part);
    const relsPart = part === '' ? '_rels/.rels' : relsName(part);
    if (parts.has(relsPart)) reached.add(relsPart);
    const rels = part === '' ? relsOf(parts, '') : relsOf(parts, part);
    const ids = new Set<string>();
    if (parts.has(relsPart)) {
      for (const r of find(parseXml(new TextDecoder().decode(parts.get(relsPart)!)), 'Relationship')) {
        if (ids.has(r.attrs.Id!)) problems.push(`${relsPart}: duplicate relationship id ${r.attrs.Id}`);
        ids.add(r.attrs.Id!);
      }
    }
    for (const rel of rels.values()) {
      if (rel.external) continue;
      const target = part === '' ? rel.target.replace(/^\//, '') : resolveTarget(part, rel.target);
      if (!parts.has(target)) problems.push(`${relsPart}: ${rel.id} points to missing ${target}`);
      else visit(target);
    }
    if (part.endsWith('.xml')) {
      let root: XmlNode;
      try {
        root = pptx.xml(part);
      } catch (error) {
        problems.push(`${part}: ${(error as Error).message}`);
        return;
      }
      for (const node of walk(root)) {
        for (const [attr, value] of Object.entries(node.attrs)) {
          if (/^r:(id|embed|link)$/.test(attr) && value !== '' && !rels.has(value)) problems.push(`${part}: ${node.name} ${attr}="${value}" has no relationship`);
        }
        checkNode(part, node, problems);
      }
    }
  };
  visit('');
  for (const name of names) if (!reached.has(name)) problems.push(`${name} is not reached from the package's relationships`);

  const presentation = pptx.xml('ppt/presentation.xml');
  const slideIds = find(presentation, 'p:sldId').map((s) => Number(s.attrs.id));
  if (new Set(slideIds).size !== slideIds.length || slideIds.some((id) => !(id >= 256 && id < 2147483648))) problems.push(`slide ids ${slideIds.join(',')} are not unique ids in [256, 2147483648)`);
  const masterIds = [...find(presentation, 'p:sldMasterId'), ...names.filter((n) => /^ppt\/slideMasters\/[^/]+\.xml$/.test(n)).flatMap((m) => find(pptx.xml(m), 'p:sldLayoutId'))].map((n) => Number(n.attrs.id));
  if (new Set(masterIds).size !== masterIds.length || masterIds.some((id) => !(id >= 2147483648 && id <= 4294967295))) problems.push(`master and layout ids ${masterIds.join(',')} are not unique ids of 2^31 and above`);
  const notes = names.filter((n) => /^ppt\/notesSlides\/[^/]+\.xml$/.test(n));
  if (notes.length > 0 && find(presentation, 'p:notesMasterId').length !== 1) problems.push('notes slides without exactly one notes master');
  for (const slide of pptx.slides) {
    const ids = find(pptx.xml(slide), 'p:cNvPr').map((n) => n.attrs.id!);
    if (new Set(ids).size !== ids.length || ids.some((id) => !/^[1-9]\d*$/.test(id))) problems.push(`${slide}: shape ids are not unique positive integers`);
    const layouts = [...relsOf(parts, slide).values()].filter((r) => r.type.endsWith('/slideLayout'));
    if (layouts.length !== 1) problems.push(`${slide}: ${layouts.length} slide layouts`);
  }
  for (const note of notes) {
    const types = [...relsOf(parts, note).values()].map((r) => r.type.slice(r.type.lastIndexOf('/') + 1)).sort();
    if (types.join(',') !== 'notesMaster,slide') problems.push(`${note}: relationships ${types.join(',')}`);
  }
  return problems;
}

function checkNode(part: string, node: XmlNode, problems: string[]): void {
  const sequence = sequences[node.name];
  if (sequence) {
    let rank = 0;
    for (const child of node.children) {
      const at = sequence.findIndex((group) => group.includes(child.name));
      if (at < 0) problems.push(`${part}: <${child.name}> is not a child of <${node.name}>`);
      else if (at < rank) problems.push(`${part}: <${child.name}> comes too late in <${node.name}>`);
      else rank = at;
    }
  }
  for (const name of required[node.name] ?? []) if (!node.children.some((c) => c.name === name)) problems.push(`${part}: <${node.name}> lacks <${name}>`);
  const range = ranges[node.name];
  if (range) {
    for (const [attr, [min, max]] of Object.entries(range)) {
      const value = node.attrs[attr];
      if (value === undefined) continue;
      if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) problems.push(`${part}: <${node.name} ${attr}="${value}"> is not an integer in [${min}, ${max}]`);
    }
  }
  if (node.name === 'a:off' || node.name === 'a:chOff') for (const a of ['x', 'y']) if (!/^-?\d+$/.test(node.attrs[a] ?? '')) problems.push(`${part}: <${node.name} ${a}> is not whole EMUs`);
  if (node.name === 'a:srgbClr' && !/^[0-9A-F]{6}$/.test(node.attrs.val ?? '')) problems.push(`${part}: colour ${node.attrs.val}`);
  if (node.name === 'a:bodyPr') for (const a of ['lIns', 'tIns', 'rIns', 'bIns']) if (node.attrs[a] !== undefined && !/^\d+$/.test(node.attrs[a]!)) problems.push(`${part}: <a:bodyPr ${a}="${node.attrs[a]}">`);
  if (node.name === 'a:fld' && !/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/.test(node.attrs.id ?? '')) problems.push(`${part}: field id ${node.attrs.id} is not a GUID`);
}

/** The text of each text body of a slide (runs and fields; a line break as a newline). */
export function textBodies(slide: XmlNode): string[] {
  return [...walk(slide)]
    .filter((n) => n.name === 'p:txBody' || n.name === 'a:txBody')
    .map((body) =>
      find(body, 'a:p')
        .map((p) => p.children.map((c) => (c.name === 'a:br' ? '\n' : c.name === 'a:r' || c.name === 'a:fld' ? (c.children.find((t) => t.name === 'a:t')?.text ?? '') : '')).join(''))
        .join('\n'),
    );
}
