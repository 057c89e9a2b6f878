import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { WarningCode, type BuildWarning } from '../warnings.js';

/** What the checks of a presenter's deck need to know; everything is handed in. */
export interface MarpSourceInput {
  /** The deck as the user named it (relative to the working folder), for messages. */
  deck: string;
  /** The working folder, for the paths in messages. */
  cwd: string;
  markdown: string;
  /** Folder relative URLs resolve against: the deck's own. */
  baseDir: string;
  /** URLs the renderer could not inline (`RenderedDeck.externalUrls`). */
  externalUrls: readonly string[];
  /** Whether a theme of this name is registered; and the sizes (`16:9` …) it defines. */
  themeSizes: (name: string) => string[] | undefined;
  /** The theme a deck gets when it names none. */
  defaultTheme: string;
}

const remote = (url: string): boolean => url.startsWith('//') || (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^file:/i.test(url) && !/^[a-z]:[\\/]/i.test(url));

/** Markdown with fenced code blanked (line count kept): directives and comments in code are text. */
function withoutCode(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === undefined && marker) {
        fence = marker;
        return '';
      }
      if (fence !== undefined) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
        return '';
      }
      return line;
    })
    .join('\n');
}

/** 1-based line of the first occurrence of `needle` (as written, or percent-decoded), if any. */
export function lineOf(markdown: string, needles: readonly string[]): number | undefined {
  const lines = markdown.split('\n');
  for (const needle of needles) {
    const index = lines.findIndex((line) => line.includes(needle));
    if (index >= 0) return index + 1;
  }
  return undefined;
}

export function decoded(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

/** The front matter block, its YAML text and the line its YAML starts on. */
function frontMatter(markdown: string): { yaml: string; closed: boolean } | undefined {
  const lines = markdown.split('\n');
  if (lines[0]?.trimEnd() !== '---') return undefined;
  const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  return { yaml: lines.slice(1, end < 0 ? undefined : end).join('\n'), closed: end > 0 };
}

/** Global directives the deck sets: the front matter's, then `<!-- key: value -->` comments. */
function directives(markdown: string, yamlValues: Record<string, unknown>): Map<string, { value: string; line?: number }> {
  const found = new Map<string, { value: string; line?: number }>();
  for (const [key, value] of Object.entries(yamlValues)) if (typeof value === 'string' || typeof value === 'number') found.set(key, { value: String(value), line: lineOf(markdown, [`${key}:`]) });
  const text = withoutCode(markdown);
  for (const match of text.matchAll(/<!--\s*(theme|size)\s*:\s*([^\s]+?)\s*-->/g)) {
    found.set(match[1]!, { value: match[2]!, line: text.slice(0, match.index).split('\n').length });
  }
  return found;
}

/**
 * What in a hand-written deck Marp would render other than its author meant, found without a
 * browser: images that are missing or outside the folders a deck may load from, front matter that
 * does not parse or is not closed, an HTML comment left open (it hides the rest of the deck), a
 * theme that is not registered, a size the theme does not define.
 */
export function checkMarpSource(input: MarpSourceInput): BuildWarning[] {
  const warnings: BuildWarning[] = [];
  const warn = (code: BuildWarning['code'], line: number | undefined, message: string) =>
    warnings.push({ code, deck: input.deck, message: `${line ? `line ${line}: ` : ''}${message}` });

  for (const url of input.externalUrls) {
    if (remote(url)) continue; // the export blocks it, and says so with the URL
    let file: string;
    try {
      file = /^file:/i.test(url) ? fileURLToPath(url) : path.resolve(input.baseDir, decodeURIComponent(url.replace(/[?#].*$/s, '')));
    } catch {
      file = path.resolve(input.baseDir, url);
    }
    const line = lineOf(input.markdown, [url, decoded(url)]);
    const shown = path.relative(input.cwd, file) || file;
    // Not in the deck's text: it comes from a theme (or the deck's CSS names it some other way).
    const what = line === undefined ? `"${url}" (from a theme)` : `"${url}"`;
    if (!existsSync(file)) warn(WarningCode.missingImage, line, `${what} not found (looked for ${shown})`);
    else warn(WarningCode.missingImage, line, `${what} is outside the folders a deck may load from (${shown}); pass --allow-local-files to load it`);
  }

  const front = frontMatter(input.markdown);
  let yamlValues: Record<string, unknown> = {};
  if (front && !front.closed) warn(WarningCode.directive, 1, 'the front matter is not closed with a "---" line; Marp renders it as slide text');
  else if (front) {
    try {
      const value = parse(front.yaml) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) yamlValues = value as Record<string, unknown>;
      else if (value !== null && value !== undefined) warn(WarningCode.directive, 2, 'the front matter is not a mapping of directives; Marp ignores it');
    } catch (cause) {
      const line = (cause as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
      warn(WarningCode.directive, line !== undefined ? line + 1 : 2, `the front matter is not valid YAML (${(cause as Error).message.split('\n')[0]}); Marp may ignore some of its directives`);
    }
  }

  const text = withoutCode(input.markdown);
  let at = 0;
  for (;;) {
    const open = text.indexOf('<!--', at);
    if (open < 0) break;
    const close = text.indexOf('-->', open + 4);
    if (close < 0) {
      warn(WarningCode.directive, text.slice(0, open).split('\n').length, 'an HTML comment "<!--" is never closed with "-->"; everything after it is hidden');
      break;
    }
    at = close + 3;
  }

  const found = directives(input.markdown, yamlValues);
  const theme = found.get('theme');
  const themeName = theme?.value ?? input.defaultTheme;
  const sizes = input.themeSizes(themeName);
  if (theme && sizes === undefined) warn(WarningCode.directive, theme.line, `unknown theme "${theme.value}"; Marp renders the default theme instead (register it with --theme-set)`);
  const size = found.get('size');
  if (size && sizes !== undefined && !sizes.includes(size.value)) {
    warn(WarningCode.directive, size.line, `size "${size.value}" is not one the theme "${themeName}" defines (${sizes.join(', ') || 'none'}); the slides keep the theme's size`);
  }
  return warnings;
}
