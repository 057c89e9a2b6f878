import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the files referenced by one deck may come from, and what was found so far. */
export interface AssetContext {
  /** Folder relative URLs resolve against. */
  baseDir: string;
  /** Real paths of the folders whose files may be inlined. */
  roots: readonly string[];
  /** Data URIs by real path; shared across decks only for immutable package files. */
  cache: Map<string, string>;
  /** URLs left as they were: remote, outside the roots, or missing. Insertion-ordered. */
  external: Set<string>;
}

/** What a URL in the deck refers to. */
export type AssetTarget =
  /** Nothing to fetch: a data URI, a fragment, an empty value. */
  | { kind: 'none' }
  /** A readable file inside one of the roots. */
  | { kind: 'local'; file: string }
  /** Anything that would need a request or a file outside the roots. */
  | { kind: 'external' };

const mimeByExtension: Record<string, string> = {
  '.apng': 'image/apng',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.otf': 'font/otf',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.css': 'text/css',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
};

/** Real paths of the given folders; folders that do not exist are dropped (nothing can be inside them). */
export function realRoots(folders: readonly string[]): string[] {
  const roots: string[] = [];
  for (const folder of folders) {
    try {
      roots.push(realpathSync(path.resolve(folder)));
    } catch {
      // A missing root cannot contain anything.
    }
  }
  return roots;
}

function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function urlToPath(url: string, baseDir: string): string | undefined {
  if (/^file:/i.test(url)) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  const bare = url.replace(/[?#].*$/s, '');
  let decoded = bare;
  try {
    decoded = decodeURIComponent(bare);
  } catch {
    // A stray `%` is a literal character in a file name.
  }
  return path.resolve(baseDir, decoded);
}

/**
 * Classifies one URL from the deck. Symlinks are followed before the root check, so a link inside a
 * root that points elsewhere is external.
 */
export function resolveAsset(url: string, baseDir: string, roots: readonly string[]): AssetTarget {
  const value = url.trim();
  if (value === '' || value.startsWith('#')) return { kind: 'none' };
  if (/^(data|blob|about):/i.test(value)) return { kind: 'none' };
  if (value.startsWith('//')) return { kind: 'external' };
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value);
  if (hasScheme && !/^file:/i.test(value)) return { kind: 'external' };
  const candidate = urlToPath(value, baseDir);
  if (candidate === undefined) return { kind: 'external' };
  let real: string;
  try {
    real = realpathSync(candidate);
    if (!statSync(real).isFile()) return { kind: 'external' };
  } catch {
    return { kind: 'external' };
  }
  return roots.some((root) => isInside(real, root)) ? { kind: 'local', file: real } : { kind: 'external' };
}

/** The file as a base64 data URI, typed by its extension. */
export function fileToDataUri(file: string, cache?: Map<string, string>): string {
  const cached = cache?.get(file);
  if (cached !== undefined) return cached;
  const mime = mimeByExtension[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const uri = `data:${mime};base64,${readFileSync(file).toString('base64')}`;
  cache?.set(file, uri);
  return uri;
}

/** The data URI for a local URL, or `undefined` (and the URL recorded as external) when it cannot be inlined. */
function inlineUrl(url: string, ctx: AssetContext): string | undefined {
  const target = resolveAsset(url, ctx.baseDir, ctx.roots);
  if (target.kind === 'none') return undefined;
  if (target.kind === 'external') {
    ctx.external.add(url.trim());
    return undefined;
  }
  return fileToDataUri(target.file, ctx.cache);
}

const cssUrl = /url\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|([^"'()\s]*))\s*\)/gi;
const cssImportString = /@import\s+(?:"([^"]*)"|'([^']*)')/gi;

/** Replaces every inlinable `url(...)` in a style sheet (or a `style` attribute's text) with a data URI. */
export function inlineCssUrls(css: string, ctx: AssetContext): string {
  for (const match of css.matchAll(cssImportString)) {
    const url = match[1] ?? match[2] ?? '';
    if (/^(https?:)?\/\//i.test(url)) ctx.external.add(url);
  }
  return css.replace(cssUrl, (whole, dq?: string, sq?: string, bare?: string) => {
    const url = dq ?? sq ?? bare ?? '';
    const dataUri = inlineUrl(url, ctx);
    return dataUri === undefined ? whole : `url("${dataUri}")`;
  });
}

/**
 * Theme sheets are registered once, away from any deck: their relative URLs belong to the theme
 * file's folder. Inlinable ones become data URIs now; the rest become absolute `file:` URLs so that a
 * deck's base folder never changes what they mean.
 */
export function anchorThemeUrls(css: string, themeFile: string, roots: readonly string[], cache: Map<string, string>): string {
  const baseDir = path.dirname(path.resolve(themeFile));
  return css.replace(cssUrl, (whole, dq?: string, sq?: string, bare?: string) => {
    const url = dq ?? sq ?? bare ?? '';
    const target = resolveAsset(url, baseDir, roots);
    if (target.kind === 'local') return `url("${fileToDataUri(target.file, cache)}")`;
    if (target.kind === 'none' || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(url.trim())) return whole;
    const absolute = urlToPath(url.trim(), baseDir);
    return absolute === undefined ? whole : `url("${pathToFileURL(absolute).href}")`;
  });
}

const namedEntities: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

/** Decodes the character references marp-core and markdown-it emit (`&amp;`, `&quot;`, numeric). */
export function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[body.toLowerCase()] ?? whole;
  });
}

function encodeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function rewriteSrcset(value: string, ctx: AssetContext): string {
  return value
    .split(',')
    .map((candidate) => {
      const match = /^(\s*)(\S+)(.*)$/s.exec(candidate);
      if (!match) return candidate;
      const [, lead = '', url = '', descriptor = ''] = match;
      return `${lead}${inlineUrl(url, ctx) ?? url}${descriptor}`;
    })
    .join(',');
}

function rewriteAttribute(name: string, value: string, ctx: AssetContext): string {
  switch (name) {
    case 'src':
    case 'poster':
      return inlineUrl(value, ctx) ?? value;
    case 'srcset':
      return rewriteSrcset(value, ctx);
    default:
      return value.includes('url(') ? inlineCssUrls(value, ctx) : value;
  }
}

const tagPattern = /<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*?)?(\/?)>/g;
const assetAttribute = /(\s)(src|poster|srcset|style|data-background-image)(\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;

function rewriteTag(tag: string, name: string, attrs: string, selfClose: string, ctx: AssetContext): string {
  if (name.toLowerCase() === 'img' && /\sdata-marp-twemoji\b/i.test(attrs)) {
    const src = /\ssrc\s*=\s*"([^"]*)"/i.exec(attrs)?.[1];
    const alt = /\salt\s*=\s*"([^"]*)"/i.exec(attrs)?.[1] ?? '';
    if (src !== undefined && resolveAsset(decodeAttribute(src), ctx.baseDir, ctx.roots).kind !== 'local') {
      // An emoji newer than the bundled Twemoji set: show the character, drawn by the emoji font.
      return alt;
    }
  }
  const rewritten = attrs.replace(assetAttribute, (whole, space: string, attr: string, eq: string, dq?: string, sq?: string) => {
    const raw = dq ?? sq ?? '';
    const decoded = decodeAttribute(raw);
    const next = rewriteAttribute(attr.toLowerCase(), decoded, ctx);
    return next === decoded ? whole : `${space}${attr}${eq}"${encodeAttribute(next)}"`;
  });
  return rewritten === attrs ? tag : `<${name}${rewritten}${selfClose}>`;
}

/**
 * Inlines the local files an HTML fragment loads (`src`, `srcset`, `poster`, `url()` in `style`).
 * Script bodies are passed through untouched: their text is code, not markup.
 */
export function inlineHtmlAssets(html: string, ctx: AssetContext): string {
  return html
    .split(/(<script\b[\s\S]*?<\/script>)/i)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(tagPattern, (tag, name: string, attrs: string | undefined, selfClose: string) =>
            attrs ? rewriteTag(tag, name, attrs, selfClose, ctx) : tag,
          ),
    )
    .join('');
}
