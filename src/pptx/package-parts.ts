/**
 * The fixed parts of a presentation package: content types, the presentation, its slide master,
 * layout and theme, the notes master, notes slides and the document properties. Everything a
 * part says comes from its arguments, so equal decks give equal bytes.
 */
import { emu, esc, ns, xmlHead } from './xml.js';

export interface ThemeFonts {
  /** Headings (PowerPoint's "major" font), Latin and East Asian. */
  majorLatin: string;
  majorEastAsian: string;
  /** Body text ("minor"). */
  minorLatin: string;
  minorEastAsian: string;
}

export interface DocumentProperties {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: readonly string[];
  /** BCP 47, e.g. `zh-CN`. */
  language?: string;
  /** Creation and modification time (`SOURCE_DATE_EPOCH`). */
  date: Date;
  application: string;
}

const pml = `xmlns:a="${ns.a}" xmlns:r="${ns.r}" xmlns:p="${ns.p}"`;
const w3cdtf = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function contentTypes(slides: number, notes: readonly number[]): string {
  const type = (name: string) => `application/vnd.openxmlformats-officedocument.${name}`;
  const override = (part: string, contentType: string) => `<Override PartName="${part}" ContentType="${contentType}"/>`;
  const parts = [
    override('/ppt/presentation.xml', type('presentationml.presentation.main+xml')),
    override('/ppt/slideMasters/slideMaster1.xml', type('presentationml.slideMaster+xml')),
    override('/ppt/slideLayouts/slideLayout1.xml', type('presentationml.slideLayout+xml')),
    ...Array.from({ length: slides }, (_, i) => override(`/ppt/slides/slide${i + 1}.xml`, type('presentationml.slide+xml'))),
    ...notes.map((n) => override(`/ppt/notesSlides/notesSlide${n}.xml`, type('presentationml.notesSlide+xml'))),
    override('/ppt/notesMasters/notesMaster1.xml', type('presentationml.notesMaster+xml')),
    override('/ppt/theme/theme1.xml', type('theme+xml')),
    override('/ppt/theme/theme2.xml', type('theme+xml')),
    override('/ppt/presProps.xml', type('presentationml.presProps+xml')),
    override('/ppt/viewProps.xml', type('presentationml.viewProps+xml')),
    override('/ppt/tableStyles.xml', type('presentationml.tableStyles+xml')),
    override('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml'),
    override('/docProps/app.xml', type('extended-properties+xml')),
  ];
  const defaults =
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="gif" ContentType="image/gif"/><Default Extension="svg" ContentType="image/svg+xml"/>';
  return `${xmlHead}<Types xmlns="${ns.ct}">${defaults}${parts.join('')}</Types>`;
}

/** `ppt/presentation.xml`: rId1 the master, rId2 the notes master, then the slides, then the property parts. */
export function presentation(width: number, height: number, slides: number): string {
  const ids = Array.from({ length: slides }, (_, i) => `<p:sldId id="${256 + i}" r:id="rId${3 + i}"/>`).join('');
  return (
    `${xmlHead}<p:presentation ${pml} saveSubsetFonts="1">` +
    '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>' +
    '<p:notesMasterIdLst><p:notesMasterId r:id="rId2"/></p:notesMasterIdLst>' +
    `<p:sldIdLst>${ids}</p:sldIdLst>` +
    `<p:sldSz cx="${emu(width)}" cy="${emu(height)}"/><p:notesSz cx="6858000" cy="9144000"/>` +
    `<p:defaultTextStyle>${levels((lvl) => `<a:lvl${lvl}pPr marL="${(lvl - 1) * 457200}" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"><a:defRPr sz="1800" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl${lvl}pPr>`)}</p:defaultTextStyle>` +
    '</p:presentation>'
  );
}

const levels = (one: (lvl: number) => string): string => Array.from({ length: 9 }, (_, i) => one(i + 1)).join('');

export const presProps = (): string => `${xmlHead}<p:presentationPr ${pml}/>`;
export const viewProps = (): string =>
  `${xmlHead}<p:viewPr ${pml}><p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr><p:gridSpacing cx="76200" cy="76200"/></p:viewPr>`;
export const tableStyles = (): string => `${xmlHead}<a:tblStyleLst xmlns:a="${ns.a}" def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>`;

const groupProps = '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>';
const colorMap = 'bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"';

function titlePlaceholder(width: number, height: number, id: number, text: string): string {
  return (
    `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Title Placeholder ${id - 1}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr>` +
    `<p:spPr><a:xfrm><a:off x="${emu(width * 0.0625)}" y="${emu(height * 0.083)}"/><a:ext cx="${emu(width * 0.875)}" cy="${emu(height * 0.15)}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>` +
    `<p:txBody><a:bodyPr vert="horz" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="t"><a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:r><a:rPr lang="en-US"/><a:t>${esc(text)}</a:t></a:r><a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>`
  );
}

/** The one master: a white background, a title placeholder, text styles in the theme's fonts. */
export function slideMaster(width: number, height: number): string {
  const body = levels((lvl) => `<a:lvl${lvl}pPr marL="${lvl * 342900}" indent="-342900" algn="l" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"><a:spcBef><a:spcPts val="600"/></a:spcBef><a:buFont typeface="Arial"/><a:buChar char="•"/><a:defRPr sz="2400" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl${lvl}pPr>`);
  const other = levels((lvl) => `<a:lvl${lvl}pPr marL="${(lvl - 1) * 457200}" algn="l" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"><a:defRPr sz="1800" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl${lvl}pPr>`);
  return (
    `${xmlHead}<p:sldMaster ${pml}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>${groupProps}${titlePlaceholder(width, height, 2, 'Click to edit the title')}</p:spTree></p:cSld>` +
    `<p:clrMap ${colorMap}/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst>` +
    `<p:txStyles><p:titleStyle><a:lvl1pPr algn="l" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/><a:defRPr sz="4000" b="1" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle>` +
    `<p:bodyStyle>${body}</p:bodyStyle><p:otherStyle>${other}</p:otherStyle></p:txStyles></p:sldMaster>`
  );
}

/** The one layout every slide uses: a title and free content, as briefgen draws it. */
export function slideLayout(width: number, height: number): string {
  return `${xmlHead}<p:sldLayout ${pml} type="titleOnly" preserve="1"><p:cSld name="Title Only"><p:spTree>${groupProps}${titlePlaceholder(width, height, 2, 'Click to edit the title')}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>`;
}

export interface ThemeColors {
  dark1: string;
  light1: string;
  dark2: string;
  light2: string;
  accents: [string, string, string, string, string, string];
  link: string;
}

/** A theme in the deck's colours and fonts, so PowerPoint's pickers offer them. */
export function theme(name: string, fonts: ThemeFonts, colors: ThemeColors): string {
  const c = (tag: string, hex: string) => `<a:${tag}><a:srgbClr val="${hex.toUpperCase()}"/></a:${tag}>`;
  const scheme =
    `<a:clrScheme name="${esc(name)}">${c('dk1', colors.dark1)}${c('lt1', colors.light1)}${c('dk2', colors.dark2)}${c('lt2', colors.light2)}` +
    colors.accents.map((hex, i) => c(`accent${i + 1}`, hex)).join('') +
    `${c('hlink', colors.link)}${c('folHlink', colors.link)}</a:clrScheme>`;
  const font = (latin: string, eastAsian: string) => `<a:latin typeface="${esc(latin)}"/><a:ea typeface="${esc(eastAsian)}"/><a:cs typeface="${esc(latin)}"/>`;
  const fontScheme = `<a:fontScheme name="${esc(name)}"><a:majorFont>${font(fonts.majorLatin, fonts.majorEastAsian)}</a:majorFont><a:minorFont>${font(fonts.minorLatin, fonts.minorEastAsian)}</a:minorFont></a:fontScheme>`;
  const solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>';
  const line = (w: number) => `<a:ln w="${w}" cap="flat" cmpd="sng" algn="ctr">${solid}<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>`;
  const fmt =
    `<a:fmtScheme name="${esc(name)}"><a:fillStyleLst>${solid}${solid}${solid}</a:fillStyleLst><a:lnStyleLst>${line(6350)}${line(12700)}${line(19050)}</a:lnStyleLst>` +
    '<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>' +
    `<a:bgFillStyleLst>${solid}${solid}${solid}</a:bgFillStyleLst></a:fmtScheme>`;
  return `${xmlHead}<a:theme xmlns:a="${ns.a}" name="${esc(name)}"><a:themeElements>${scheme}${fontScheme}${fmt}</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>`;
}

/** The notes page master: the slide's picture above, the notes below. */
export function notesMaster(): string {
  const ph = (id: number, name: string, type: string, idx: number, x: number, y: number, w: number, h: number, text: string) =>
    `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="${name}"/><p:cNvSpPr><a:spLocks noGrp="1"${type === 'sldImg' ? ' noRot="1" noChangeAspect="1"' : ''}/></p:cNvSpPr><p:nvPr><p:ph type="${type}" idx="${idx}"/></p:nvPr></p:nvSpPr>` +
    `<p:spPr><a:xfrm><a:off x="${x}" y="${y}"/><a:ext cx="${w}" cy="${h}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>${type === 'sldImg' ? '<a:noFill/><a:ln w="12700"><a:solidFill><a:prstClr val="black"/></a:solidFill></a:ln>' : ''}</p:spPr>` +
    `<p:txBody><a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0"/><a:lstStyle/><a:p>${text ? `<a:r><a:rPr lang="en-US"/><a:t>${text}</a:t></a:r>` : ''}<a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>`;
  const style = levels((lvl) => `<a:lvl${lvl}pPr marL="${(lvl - 1) * 457200}" algn="l" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"><a:defRPr sz="1200" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl${lvl}pPr>`);
  return (
    `${xmlHead}<p:notesMaster ${pml}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>${groupProps}` +
    ph(2, 'Slide Image Placeholder 1', 'sldImg', 2, 685800, 1143000, 5486400, 3086100, '') +
    ph(3, 'Notes Placeholder 2', 'body', 3, 685800, 4400550, 5486400, 3600450, 'Notes') +
    `</p:spTree></p:cSld><p:clrMap ${colorMap}/><p:notesStyle>${style}</p:notesStyle></p:notesMaster>`
  );
}

/** A slide's notes page: the notes text, one paragraph per line. */
export function notesSlide(notes: string, lang: string): string {
  const paragraphs = notes
    .split(/\r?\n/)
    .map((line) => (line.trim() === '' ? `<a:p><a:endParaRPr lang="${esc(lang)}"/></a:p>` : `<a:p><a:r><a:rPr lang="${esc(lang)}" dirty="0"/><a:t>${esc(line)}</a:t></a:r></a:p>`))
    .join('');
  return (
    `${xmlHead}<p:notes ${pml}><p:cSld><p:spTree>${groupProps}` +
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr>' +
    '<p:spPr><a:xfrm><a:off x="685800" y="1143000"/><a:ext cx="5486400" cy="3086100"/></a:xfrm></p:spPr></p:sp>' +
    '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr>' +
    `<p:spPr><a:xfrm><a:off x="685800" y="4400550"/><a:ext cx="5486400" cy="3600450"/></a:xfrm></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/>${paragraphs}</p:txBody></p:sp>` +
    '</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>'
  );
}

export function coreProperties(props: DocumentProperties): string {
  const el = (tag: string, value: string | undefined) => (value ? `<${tag}>${esc(value)}</${tag}>` : '');
  const date = w3cdtf(props.date);
  return (
    `${xmlHead}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    el('dc:title', props.title) +
    el('dc:subject', props.subject) +
    el('dc:creator', props.author) +
    el('cp:keywords', props.keywords && props.keywords.length > 0 ? props.keywords.join(', ') : undefined) +
    el('dc:language', props.language) +
    el('cp:lastModifiedBy', props.application) +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${date}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

export function appProperties(props: { application: string; slides: number; notes: number }): string {
  return (
    `${xmlHead}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
    `<TotalTime>0</TotalTime><Application>${esc(props.application)}</Application><PresentationFormat>Custom</PresentationFormat>` +
    `<Slides>${props.slides}</Slides><Notes>${props.notes}</Notes><HiddenSlides>0</HiddenSlides><MMClips>0</MMClips><ScaleCrop>false</ScaleCrop>` +
    `<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>`
  );
}

