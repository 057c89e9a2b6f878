import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real temporary folder holding `files` (path → content); removed by the returned cleanup. */
export function testdir(files: Record<string, string>): { dir: string; path: (p: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'briefgen-test-'));
  for (const [name, content] of Object.entries(files)) {
    const full = join(dir, name);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { dir, path: (p) => join(dir, p), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A small valid template set: one audience, one deck template, one partial, one theme, labels. */
export const minimalTemplates: Record<string, string> = {
  'templates/audiences/brief.yaml': 'description: {en: A short brief, zh: 简报}\ntemplate: brief\ntheme: plain\nrequires: [trends]\nmaxSlides: 3\nfooter: "{{meta.title}} · {{date meta.date}}"\n',
  'templates/decks/brief.hbs': '{{> cover}}\n\n---\n\n## {{sections.trends.title}}\n\n{{#each sections.trends.items}}\n- **{{title}}** {{text}}\n{{/each}}\n\n{{notes sections.trends.notes}}\n',
  'templates/partials/cover.hbs': '# {{meta.title}}\n\n{{t "published"}} {{date meta.date}}\n',
  'templates/themes/plain.css': '/* @theme plain */\n/* @description Plain test theme */\n@import "default";\n',
  'templates/i18n/en.yaml': 'published: Published\ncontinued: (cont.)\n',
  'templates/i18n/zh.yaml': 'published: 发布\ncontinued: （续）\n',
};
