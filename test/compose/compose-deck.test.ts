import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createComposer } from '../../src/compose/compose-deck.js';
import { BriefgenError } from '../../src/errors.js';
import { briefingSchema, type BriefingInput } from '../../src/schema.js';
import { loadTemplateSet } from '../../src/templates/load-template-set.js';
import { minimalTemplates, testdir } from '../support/testdir.js';

const briefing = (overrides: Partial<BriefingInput['meta']> = {}, trendTitle = 'Open source') =>
  briefingSchema.parse({
    meta: { id: 'r', language: 'en', title: 'Report', publishers: ['P'], date: '2024-03-26', ...overrides },
    summary: { headline: 'H' },
    sections: { trends: { title: 'Trends', notes: 'Say this aloud.', items: [{ title: trendTitle, text: 'Models go open.' }] } },
  });

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function composerFor(files: Record<string, string>) {
  const t = testdir(files);
  cleanup = t.cleanup;
  const set = await loadTemplateSet(t.path('templates'));
  return { composer: createComposer(set), set, path: t.path };
}

describe('createComposer', () => {
  it('composes front matter, partials, helpers and notes into Marp Markdown', async () => {
    const { composer, set } = await composerFor(minimalTemplates);
    const { markdown } = composer.compose({ briefing: briefing(), profile: set.audiences.get('brief')!, lang: 'en' });
    expect(markdown).toMatchInlineSnapshot(`
      "---
      marp: true
      theme: "plain"
      paginate: true
      lang: "en"
      footer: "Report · March 26, 2024"
      ---

      # Report

      Published March 26, 2024

      <div class="briefgen-src" title="decks/brief.hbs:1"></div>

      ---

      ## Trends

      - **Open source** Models go open.

      <!--
      Say this aloud.
      -->

      <div class="briefgen-src" title="decks/brief.hbs:4"></div>
      "
    `);
  });

  it('formats dates and labels in the deck language', async () => {
    const { composer, set } = await composerFor(minimalTemplates);
    const { markdown } = composer.compose({ briefing: briefing({ language: 'zh' }), profile: set.audiences.get('brief')!, lang: 'zh' });
    expect(markdown).toContain('发布 2024年3月26日');
  });

  it('keeps hostile data as text, including in the footer front matter', async () => {
    const { composer, set } = await composerFor(minimalTemplates);
    const { markdown } = composer.compose({
      briefing: briefing({ title: 'x"\n---\ntheme: gaia' }, '<!-- _class: lead --> # h'),
      profile: set.audiences.get('brief')!,
      lang: 'en',
    });
    const frontMatter = parse(markdown.split('\n---\n')[0]!.replace(/^---\n/, '')) as Record<string, unknown>;
    expect(frontMatter.theme).toBe('plain');
    expect(frontMatter.footer).toMatch(/^x&#34; --- theme: gaia · /);
    expect(markdown).not.toContain('<!-- _class');
    expect(markdown.match(/^---$/gm)).toHaveLength(3);
  });

  it.each([
    ['an unclosed block, at the line that opens it', { 'templates/decks/brief.hbs': '# ok\n\n{{#each sections}}\n- x\n' }, /\{\{#each\}\} is never closed/, 'decks/brief.hbs', 3],
    ['a syntax error', { 'templates/decks/brief.hbs': '# ok\n\n{{#if}\n' }, /Handlebars syntax error/, 'decks/brief.hbs', 3],
    ['a label that does not exist', { 'templates/decks/brief.hbs': '# ok\n\n## {{t "boardNumbrs"}}\n' }, /label "boardNumbrs" is not in the labels of language "en"/, 'decks/brief.hbs', 3],
    ['a helper called without its argument', { 'templates/decks/brief.hbs': '# ok\n\n## {{date}}\n' }, /\{\{date\}\} needs an argument/, 'decks/brief.hbs', 3],
    ['a missing partial', { 'templates/decks/brief.hbs': '# ok\n\n{{> nowhere}}\n' }, /partial "nowhere" not found/, 'decks/brief.hbs', 3],
    ['an unknown helper', { 'templates/partials/cover.hbs': '# x\n{{shout meta.title}}\n' }, /unknown helper "shout"/, 'partials/cover.hbs', 2],
  ] as const)('reports %s with the template file and line', async (_name, override, message, file, line) => {
    let error: unknown;
    try {
      const { composer, set } = await composerFor({ ...minimalTemplates, ...override });
      composer.compose({ briefing: briefing(), profile: set.audiences.get('brief')!, lang: 'en' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BriefgenError);
    const e = error as BriefgenError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(message);
    expect(e.location?.file).toContain(file);
    expect(e.location?.line).toBe(line);
  });
});
