import Handlebars from 'handlebars';
import { Marp } from '@marp-team/marp-core';
import { describe, expect, it } from 'vitest';
import { wrapData } from '../../src/compose/escape.js';
import { helperRegistry, registerHelpers } from '../../src/compose/helpers.js';
import { chartDataUri, escapeXml, landscapeSvg, measureText, timelineSvg, wrapText, type LandscapeGroup, type TimelineEvent } from '../../src/compose/visuals.js';

const events: TimelineEvent[] = [
  { date: '2017', title: '《新一代人工智能发展规划》', actor: '国务院', text: '国务院发布《新一代人工智能发展规划》。' },
  { date: '2022', title: 'Guidance on AI scenario innovation', actor: 'Ministry of Science and Technology and five other departments' },
  { date: '2024', title: 'AI Plus initiative' },
];

const groups: LandscapeGroup[] = [
  { title: 'General-purpose models (cloud-side)', entries: [{ name: 'iFlytek Spark', owner: 'iFlytek' }, { name: 'ERNIE Bot', owner: 'Baidu' }, { name: 'Tongyi Qianwen', owner: 'Alibaba' }] },
  { title: '行业大模型（云侧）', entries: [{ name: '文修', owner: '蜜度' }, { name: 'YonGPT', owner: '用友' }] },
  { title: 'Hybrid device-cloud models', text: 'Models with both a cloud side and a device side.', entries: [{ name: 'BlueLM', owner: 'vivo' }] },
  { title: 'Device-side models', entries: [{ name: 'NOMI GPT' }] },
];

const hostile = `</text><script>alert(1)</script><text a="b" c='d'> & ]]> \u0000\u0007\ud800 x`;

/** Throws unless the SVG is well-formed: balanced tags, quoted attributes, no stray < or &. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+);)/g;
  let match: RegExpExecArray | null;
  while ((match = tag.exec(svg))) {
    const [whole, closing, name, , selfClosing] = match;
    if (whole === '<' || whole === '&') throw new Error(`stray ${whole} at ${match.index}: ${svg.slice(match.index, match.index + 40)}`);
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
    } else stack.push(name!);
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
}

/** The text content of every <tspan>, entities decoded. */
const spans = (svg: string): string[] =>
  [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) =>
    m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
  );

describe('measureText and wrapText', () => {
  it('measures CJK as one em and Latin by glyph widths', () => {
    expect(measureText('中文', 20)).toBe(40);
    expect(measureText('iii', 20)).toBeLessThan(measureText('MMM', 20));
    expect(measureText('Bold', 20, 'bold')).toBeGreaterThan(measureText('Bold', 20));
  });

  it('keeps every line within the width and loses no character', () => {
    const text = 'The Ministry of Science and Technology and five other departments issued guiding opinions on accelerating scenario innovation.';
    const lines = wrapText(text, { width: 300, size: 18 });
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(measureText(line, 18)).toBeLessThanOrEqual(300);
    expect(lines.join(' ')).toBe(text);
  });

  it('breaks Chinese between characters but never puts closing punctuation first on a line', () => {
    const text = '国内AI高性能芯片市场受进口限制和国内技术瓶颈的双重影响，大模型产业发展受到算力层面的一些制约。';
    const lines = wrapText(text, { width: 200, size: 20 });
    expect(lines.join('')).toBe(text);
    for (const line of lines) {
      expect(measureText(line, 20)).toBeLessThanOrEqual(200 + 20); // a glued mark may hang over by one
      expect(line[0]).not.toMatch(/[，。、）》]/);
    }
  });

  it('balances lines without adding any, so no last line is a lone character', () => {
    const text = '《新一代人工智能发展规划》';
    const greedy = wrapText(text, { width: 280, size: 26, weight: 'bold' });
    const balanced = wrapText(text, { width: 280, size: 26, weight: 'bold', balance: true });
    expect(balanced).toHaveLength(greedy.length);
    expect(Math.min(...balanced.map((l) => [...l].length))).toBeGreaterThan(Math.min(...greedy.map((l) => [...l].length)));
  });

  it('splits a word longer than the line and ends a cut-off text with an ellipsis', () => {
    const lines = wrapText('Supercalifragilisticexpialidocious '.repeat(6), { width: 120, size: 20, maxLines: 3 });
    expect(lines).toHaveLength(3);
    expect(lines[2]!.endsWith('…')).toBe(true);
    for (const line of lines) expect(measureText(line, 20)).toBeLessThanOrEqual(120);
  });

  it('returns no lines for empty text', () => {
    expect(wrapText('   ', { width: 100, size: 20 })).toEqual([]);
  });
});

describe('escapeXml', () => {
  it('escapes markup and drops characters XML forbids', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u001fc\ud800d😀')).toBe('abcd😀');
  });
});

describe('timelineSvg', () => {
  it('draws one event group, one marker and one date per event', () => {
    const chart = timelineSvg(events, { lang: 'zh' });
    expect(chart.svg.match(/<g class="event">/g)).toHaveLength(3);
    expect(chart.svg.match(/<circle /g)).toHaveLength(3);
    expect(chart.svg.match(/class="date"/g)).toHaveLength(3);
    expect(spans(chart.svg)).toEqual(expect.arrayContaining(['2017', '2022', '2024', '国务院']));
    assertWellFormed(chart.svg);
  });

  it('has the requested width, a height that fits its text, and names the CJK font', () => {
    const chart = timelineSvg(events, { lang: 'en', width: 900 });
    expect(chart.width).toBe(900);
    expect(chart.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="900" height="\d+" viewBox="0 0 900 \d+"/);
    expect(chart.svg).toContain('Noto Sans CJK SC');
    const lowest = Math.max(...[...chart.svg.matchAll(/ y="([\d.]+)"/g)].map((m) => Number(m[1])));
    expect(lowest).toBeLessThan(chart.height);
    expect(chart.height).toBeGreaterThan(150);
    // Printing the texts makes the chart taller.
    expect(timelineSvg(events, { lang: 'en', width: 900, detail: true }).height).toBeGreaterThan(chart.height);
  });

  it('keeps every line of a column inside the column', () => {
    const chart = timelineSvg(events, { lang: 'en', width: 600, detail: true });
    for (const line of spans(chart.svg)) expect(measureText(line, 26, 'bold')).toBeLessThanOrEqual(600 / 3);
  });

  it('keeps hostile text as text', () => {
    const chart = timelineSvg([{ date: '2024', title: hostile, actor: hostile }], { lang: 'en' });
    assertWellFormed(chart.svg);
    expect(chart.svg).not.toContain('<script');
    expect(spans(chart.svg).join(' ')).toContain('alert(1)');
  });

  it('formats dates with the given function and describes itself in the alt text', () => {
    const chart = timelineSvg(events, { lang: 'zh', formatDate: (iso) => `${iso}年` });
    expect(spans(chart.svg)).toContain('2017年');
    expect(chart.alt).toContain('2017年 – 《新一代人工智能发展规划》 – 国务院');
  });
});

describe('landscapeSvg', () => {
  it('draws one column per group and one card per entry', () => {
    const chart = landscapeSvg(groups, { lang: 'en' });
    expect(chart.svg.match(/<g class="group">/g)).toHaveLength(4);
    expect(chart.svg.match(/<g class="entry">/g)).toHaveLength(7);
    const text = spans(chart.svg).join(' ');
    for (const name of ['iFlytek Spark', 'Baidu', '文修', '蜜度', 'BlueLM', 'vivo', 'NOMI GPT']) expect(text).toContain(name);
    expect(chart.alt).toContain('General-purpose models (cloud-side): iFlytek Spark (iFlytek), ERNIE Bot (Baidu), Tongyi Qianwen (Alibaba)');
    assertWellFormed(chart.svg);
  });

  it('grows with the longest column and fits its cards', () => {
    const small = landscapeSvg([{ title: 'A', entries: [{ name: 'x' }] }], { lang: 'en', width: 400 });
    const tall = landscapeSvg([{ title: 'A', entries: Array.from({ length: 5 }, (_, i) => ({ name: `m${i}`, owner: 'o' })) }], { lang: 'en', width: 400 });
    expect(small.width).toBe(400);
    expect(tall.height).toBeGreaterThan(small.height);
    const bottoms = [...tall.svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" rx="8"/g)].map((m) => Number(m[1]) + Number(m[2]));
    expect(bottoms).toHaveLength(5);
    expect(Math.max(...bottoms)).toBeLessThanOrEqual(tall.height);
  });

  it('keeps hostile names and titles as text', () => {
    const chart = landscapeSvg([{ title: hostile, text: hostile, entries: [{ name: hostile, owner: hostile }] }], { lang: 'en' });
    assertWellFormed(chart.svg);
    expect(chart.svg).not.toMatch(/<script|<text a=/);
  });
});

describe('chart helpers in a deck', () => {
  const env = Handlebars.create();
  registerHelpers(env, helperRegistry);
  const render = (template: string, data: object, lang = 'en') =>
    env.compile(template)({ ...(wrapData(data) as object), lang, labels: {} });

  it('emit an <img> block with a base64 SVG that marp-core keeps', () => {
    const markdown = render('# Policy\n\n{{timeline events}}\n\n---\n\n{{landscape groups width=900}}\n', { events, groups });
    const { html } = new Marp({ script: false }).render(markdown);
    const images = [...html.matchAll(/<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"/g)];
    expect(images).toHaveLength(2);
    const svgs = images.map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
    expect(svgs[0]).toContain('2022');
    expect(svgs[1]).toMatch(/^<svg [^>]*width="900"/);
    expect(images[1]![2]).toContain('NOMI GPT');
  });

  it('keep hostile data out of the Markdown and the alt attribute', () => {
    const markdown = render('{{timeline events}}\n', { events: [{ date: '2024', title: `x" onerror="alert(1)` }, { date: '2025-06', title: '---\n<!-- _class: x -->' }] });
    const { html } = new Marp({ script: false }).render(markdown);
    expect(html).not.toContain('onerror="');
    expect(html).not.toContain('<!-- _class');
    expect(html).not.toMatch(/<section[^>]*class="x"/);
    expect(html.match(/<section/g)).toHaveLength(1);
    const svg = Buffer.from(/base64,([A-Za-z0-9+/=]+)/.exec(html)![1]!, 'base64').toString('utf8');
    expect(svg).toContain('June 2025');
  });
});
