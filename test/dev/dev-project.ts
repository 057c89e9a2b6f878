import { readFileSync, writeFileSync } from 'node:fs';
import { minimalTemplates, testdir } from '../support/testdir.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/dev/${name}`, import.meta.url), 'utf8');

export const enKey = 'minimal/en/brief';
export const zhKey = 'minimal/zh/brief';

/** A temp project: the minimal template set and one report in English and Chinese, all copies. */
export function devProject(extra: Record<string, string> = {}) {
  const dir = testdir({
    ...minimalTemplates,
    'content/minimal/en.yaml': fixture('content/minimal/en.yaml'),
    'content/minimal/zh.yaml': fixture('content/minimal/zh.yaml'),
    ...extra,
  });
  const read = (p: string): string => readFileSync(dir.path(p), 'utf8');
  /** Replaces `from` (which must be there) with `to` in a project file. */
  const edit = (p: string, from: string | RegExp, to: string): void => {
    const text = read(p);
    const next = text.replace(from, to);
    if (next === text) throw new Error(`${String(from)} not found in ${p}`);
    writeFileSync(dir.path(p), next);
  };
  return { ...dir, read, edit, write: (p: string, text: string) => writeFileSync(dir.path(p), text) };
}

export const helperModuleSource = fixture('helpers.mjs');
