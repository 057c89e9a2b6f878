import { describe, expect, it } from 'vitest';
import { Marp } from '@marp-team/marp-core';
import { DataText, escapeMarkdownText, escapeNoteText, wrapData } from '../../src/compose/escape.js';

const marp = new Marp({ script: false });
/** Renders one line of escaped text as a Marp deck and returns the visible text and slide count. */
function renderInline(text: string): { html: string; slides: number; text: string } {
  const { html } = marp.render(`# Title\n\n${escapeMarkdownText(text)}\n`);
  const slides = (html.match(/<section/g) ?? []).length;
  const visible = html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return { html, slides, text: visible };
}

describe('escapeMarkdownText', () => {
  const hostile = [
    ['slide break', '---'],
    ['directive comment', '<!-- _class: lead -->'],
    ['global directive', '<!-- theme: gaia -->'],
    ['heading', '# Not a heading'],
    ['raw html', '<b>bold</b><script>alert(1)</script>'],
    ['emphasis', '**loud** _quiet_'],
    ['link', '[click](https://example.com)'],
    ['image', '![x](https://example.com/x.png)'],
    ['math', '$x^2$ costs $5'],
    ['emoji shortcode', ':smile:'],
    ['table pipe', 'a | b | c'],
    ['list', '- item'],
    ['ordered list', '1. first'],
    ['blockquote', '> quoted'],
    ['code', '`code`'],
    ['backslash', 'C:\\path\\*'],
    ['URL with escaped characters', 'https://example.com/large_models?a=1&b=[2]'],
  ] as const;

  it.each(hostile)('shows %s as text', (_name, input) => {
    const out = renderInline(input);
    expect(out.slides).toBe(1);
    expect(out.text).toContain(input);
    expect(out.html).not.toMatch(/<(b|script|strong|em|img|h1[^>]*>Not|table|ul|ol|blockquote|code)\b/);
    // A bare URL may become a link (linkify), but never from Markdown link syntax.
    expect(out.html).not.toMatch(/<a [^>]*>click</);
  });

  it('keeps multi-line text on one line so it cannot open a new block', () => {
    const out = renderInline('first\n\n---\n\n# second');
    expect(out.slides).toBe(1);
    expect(out.text).toContain('first --- # second');
  });

  it('leaves ordinary CJK and Latin text readable', () => {
    expect(escapeMarkdownText('中国AI大模型产业，2024年')).toBe('中国AI大模型产业，2024年');
    expect(escapeMarkdownText('Cloud-side models: 3 kinds')).toBe('Cloud-side models: 3 kinds');
  });
});

describe('escapeNoteText', () => {
  it('cannot close the comment or become a directive', () => {
    const notes = escapeNoteText('paginate: true\n--> <h1>x</h1>\n_class: lead');
    const { html, comments } = marp.render(`# A\n\n<!--\n${notes}\n-->\n`);
    expect(html).not.toContain('<h1>x</h1>');
    expect(html).not.toContain('data-paginate="true"');
    expect(html).not.toContain('class="lead"');
    expect(comments[0]?.[0]).toContain('paginate');
  });
});

describe('wrapData', () => {
  it('wraps strings deeply and keeps numbers and booleans', () => {
    const wrapped = wrapData({ a: 'x', b: [1, 'y'], c: { d: true } }) as { a: DataText; b: [number, DataText]; c: { d: boolean } };
    expect(wrapped.a).toBeInstanceOf(DataText);
    expect(wrapped.b[0]).toBe(1);
    expect(wrapped.b[1].raw).toBe('y');
    expect(wrapped.c.d).toBe(true);
  });
});
