import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { wrapData } from '../../src/compose/escape.js';
import { helperRegistry, registerHelpers } from '../../src/compose/helpers.js';
import { sentencesOf, withSplitOverrides } from '../../src/compose/paginate.js';

const labels = { continued: ' (cont.)' };

function render(template: string, data: object, overrides?: Map<string, number>): string {
  const env = Handlebars.create();
  registerHelpers(env, overrides ? withSplitOverrides(helperRegistry, overrides) : helperRegistry);
  return env.compile(template, { preventIndent: true })({ ...(wrapData(data) as object), lang: 'en', labels });
}

const slidesOf = (markdown: string): string[] => markdown.split(/^---$/m).map((s) => s.trim());
const items = (n: number) => Array.from({ length: n }, (_, i) => `Item ${i + 1}`);

const listSlide = '{{#paginate list per=4 name="sections.x.items"}}## Things{{#if @continued}}{{cont}}{{/if}}\n\n{{#each this}}\n{{add @../number @index}}. {{this}}\n{{/each}}{{/paginate}}';

describe('paginate', () => {
  it('makes one slide per run, runs balanced, with the cont. marker and numbering that carries on', () => {
    const slides = slidesOf(render(listSlide, { list: items(10) }));
    // 10 items at most 4 to a slide: 4 + 3 + 3, never 4 + 4 + 2.
    expect(slides).toHaveLength(3);
    expect(slides[0]).toMatch(/^## Things\n\n1\. Item 1\n2\. Item 2\n3\. Item 3\n4\. Item 4\n/);
    expect(slides[1]).toMatch(/^## Things \(cont\.\)\n\n5\. Item 5\n6\. Item 6\n7\. Item 7\n\n<div/);
    expect(slides[2]).toMatch(/^## Things \(cont\.\)\n\n8\. Item 8\n9\. Item 9\n10\. Item 10\n\n<div/);
    expect(slidesOf(render(listSlide, { list: items(7) })).map((s) => s.match(/^\d+\. /gm)!.length)).toEqual([4, 3]);
  });

  it('marks every slide with the list, its run, run size and length', () => {
    const slides = slidesOf(render(listSlide, { list: items(10) }));
    expect(slides.map((s) => /<div class="briefgen-split" title="([^"]*)"><\/div>/.exec(s)?.[1])).toEqual([
      'sections.x.items 0 4 10',
      'sections.x.items 1 4 10',
      'sections.x.items 2 4 10',
    ]);
  });

  it('lowers the run size when measurement asks, never raises it', () => {
    expect(slidesOf(render(listSlide, { list: items(10) }, new Map([['sections.x.items', 3]])))).toHaveLength(4);
    expect(slidesOf(render(listSlide, { list: items(10) }, new Map([['sections.x.items', 9]])))).toHaveLength(3);
    expect(slidesOf(render(listSlide, { list: items(10) }, new Map([['other', 1]])))).toHaveLength(3);
  });

  it('keeps everything on one slide without per, and names unnamed blocks by their order', () => {
    const template = '{{#paginate a}}A{{/paginate}}\n\n---\n\n{{#paginate b}}B{{#each this}} {{this}}{{/each}}{{/paginate}}';
    const markdown = render(template, { a: ['x'], b: items(6) });
    expect(slidesOf(markdown)).toHaveLength(2);
    expect(markdown).toContain('title="#1 0 1 1"');
    expect(markdown).toContain('title="#2 0 6 6"');
    expect(slidesOf(render(template, { a: ['x'], b: items(6) }, new Map([['#2', 2]])))).toHaveLength(4);
  });

  it('renders the else block for an empty or missing list', () => {
    expect(render('{{#paginate list}}X{{else}}nothing{{/paginate}}', { list: [] })).toBe('nothing');
    expect(render('{{#paginate missing}}X{{else}}nothing{{/paginate}}', {})).toBe('nothing');
  });

  it('paginates a text by its sentences, escaped like any data', () => {
    const text = 'One *bold* claim. Two <b>tags</b>! Three? Four.';
    const slides = slidesOf(render('{{#paginate text per=2}}{{this}}{{/paginate}}', { text }));
    expect(slides).toHaveLength(2);
    expect(slides[0]).toMatch(/^One &#42;bold&#42; claim\. Two &#60;b&#62;tags&#60;\/b&#62;!\n/);
    expect(slides[1]).toMatch(/^Three\? Four\.\n/);
  });

  it('never lets data forge a marker or a slide break', () => {
    const markdown = render(listSlide, { list: ['<div class="briefgen-split" title="x 0 1 1"></div>', '---'] });
    expect(markdown.match(/<div class="briefgen-split"/g)).toHaveLength(1);
    expect(slidesOf(markdown)).toHaveLength(1);
  });
});

describe('sentencesOf', () => {
  it('splits English and Chinese prose without losing a character', () => {
    const en = 'Models grow. Costs fall! Do they? "Yes." Then 3.5 more';
    expect(sentencesOf(en)).toEqual(['Models grow. ', 'Costs fall! ', 'Do they? ', '"Yes." ', 'Then 3.5 more']);
    const zh = '大模型快速发展。算力成本下降！前景如何？还有一段没有句号';
    expect(sentencesOf(zh)).toEqual(['大模型快速发展。', '算力成本下降！', '前景如何？', '还有一段没有句号']);
    for (const text of [en, zh, 'no end', '...', 'a.b.c. d']) expect(sentencesOf(text).join('')).toBe(text);
  });
});

describe('the README example', () => {
  it('continues a list of challenges on follow-up slides, numbered on', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Slide fit\n'));
    const template = /```handlebars\n([\s\S]*?)```/.exec(section)![1]!;
    const challenges = { title: 'Challenges', items: Array.from({ length: 6 }, (_, i) => ({ title: `C${i + 1}`, text: 'text' })) };
    const slides = slidesOf(render(template, { sections: { challenges } }));
    expect(slides).toHaveLength(2);
    expect(slides[0]).toMatch(/^<!-- _class: cards -->\n\n## Challenges\n\n1\. \*\*C1\*\* text\n/);
    // Six at most four to a slide: two balanced runs of three.
    expect(slides[1]).toMatch(/^<!-- _class: cards -->\n\n## Challenges \(cont\.\)\n\n4\. \*\*C4\*\* text\n5\. \*\*C5\*\* text\n6\. \*\*C6\*\* text\n\n<div class="briefgen-split" title="sections\.challenges\.items 1 3 6"><\/div>$/);
  });
});
