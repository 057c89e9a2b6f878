// Inputs the benchmark generates: a frozen copy of the shipped templates and content (so every tool
// in a run sees the same files even while someone edits the originals), N copies of a report under
// different ids, and one very long deck.
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

export function snapshot(from, to) {
  cpSync(from, to, { recursive: true });
  return to;
}

/** Every `*.md` below `dir`, sorted. */
export function findFiles(dir, extension) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(extension)) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * `count` copies of one report file, each with its own `meta.id` (`<id>-rNN`) and title, one folder
 * per copy: a content folder that builds `count` × (audiences) decks. The titles differ so that no
 * two decks render the same HTML (the build cache would restore the copies from the first one).
 */
export function reportCopies(reportFile, count, into) {
  const source = parse(readFileSync(reportFile, 'utf8'));
  mkdirSync(into, { recursive: true });
  for (let n = 1; n <= count; n += 1) {
    const suffix = `r${String(n).padStart(2, '0')}`;
    const copy = structuredClone(source);
    copy.meta.id = `${source.meta.id}-${suffix}`;
    copy.meta.title = `${source.meta.title} (${suffix})`;
    const folder = path.join(into, copy.meta.id);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, path.basename(reportFile)), stringify(copy));
  }
  return into;
}

function splitDeck(markdown) {
  const match = /^---\n[\s\S]*?\n---\n/.exec(markdown);
  const frontMatter = match ? match[0] : '';
  const body = markdown.slice(frontMatter.length);
  // Generated decks separate slides with a bare `---` line and hold no code fences.
  return { frontMatter, slides: body.split(/\n---\n/).filter((slide) => slide.trim() !== '') };
}

/**
 * One deck of exactly `slides` slides, cycling through the slides of the given (generated) decks,
 * under the front matter of the first. Real slides of the real theme, just many of them.
 */
export function longDeck(markdownFiles, slides, file) {
  const decks = markdownFiles.map((f) => splitDeck(readFileSync(f, 'utf8')));
  const pool = decks.flatMap((d) => d.slides);
  if (pool.length === 0) throw new Error('no slides to build a long deck from');
  const picked = Array.from({ length: slides }, (_, i) => pool[i % pool.length].trim());
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${decks[0].frontMatter}\n${picked.join('\n\n---\n\n')}\n`);
  return file;
}

export function totalBytes(files) {
  return files.reduce((sum, f) => sum + statSync(f).size, 0);
}
