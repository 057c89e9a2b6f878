import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { findWordBreaks } from '../../src/fit/line-breaks.js';

/** The in-page check, on slides whose lines break where they should and where they should not. */
let session: BrowserSession;
beforeAll(() => {
  session = createBrowserSession({ poolSize: 1 });
});
afterAll(() => session.close());

const slide = (css: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><style>section{width:400px;font:24px 'Noto Sans','Noto Sans CJK SC',sans-serif} ${css}</style></head><body><svg data-marpit-svg="" viewBox="0 0 1280 720"><foreignObject width="1280" height="720"><section>${body}</section></foreignObject></svg></body></html>`;
const breaksIn = (html: string) =>
  session.withPage(async (page) => {
    await page.setContent(html, { waitUntil: 'load' });
    return page.evaluate(findWordBreaks);
  });

describe('findWordBreaks', () => {
  it('sees no fault in lines that break at spaces, punctuation and <wbr>', async () => {
    const found = await breaksIn(
      slide('section:lang(zh){word-break:keep-all}', '<p>Words that wrap at spaces across several lines of this narrow column.</p><p lang="zh" style="word-break:keep-all">大模型产业<wbr>遭遇算力瓶颈，<wbr>高质量数据<wbr>仍需扩展，<wbr>爆款应用<wbr>尚未出现。</p>'),
    );
    expect(found).toEqual([]);
  });

  it('reports a Chinese word broken across lines, and a hyphenated compound split at its hyphen', async () => {
    // Phrases with a <wbr> between them, but a style that breaks anywhere: lines break inside phrases.
    const zh = await breaksIn(slide('h2{word-break:break-all}', '<h2>中国人工智能<wbr>大模型产业<wbr>发展报告<wbr>发布会议<wbr>今日举行</h2>'));
    expect(zh.length).toBeGreaterThan(0);
    expect(zh[0]).toMatchObject({ slide: 1, element: 'h2', kind: 'word' });
    expect(zh[0]!.around).toMatch(/\//);
    const en = await breaksIn(slide('', '<p>These are the words: well-known-real-world-compound-names-here</p>'));
    expect(en.some((b) => b.kind === 'compound')).toBe(true);
  });

  it('leaves alone a word wider than its whole line, which has to break somewhere', async () => {
    expect(await breaksIn(slide('p{overflow-wrap:anywhere}', '<p>Averyveryveryverylongidentifierwithoutanyplacetobreakitatall</p>'))).toEqual([]);
  });
});
