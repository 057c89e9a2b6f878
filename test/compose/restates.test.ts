import { describe, expect, it } from 'vitest';
import { restatesTitle } from '../../src/compose/restates.js';

describe('restatesTitle', () => {
  it.each([
    ['Limits of the mainstream architecture', 'The mainstream model architecture still has many limitations.', 'en'],
    ['No hit application yet', "China's large-model industry has yet to produce a hit application.", 'en'],
    ['金融：降低风险', '金融场景希望降低风险', 'zh'],
    ['主流架构存在局限', '主流模型架构仍存在诸多局限', 'zh'],
  ])('finds that "%s" is all its text says', (title, text, lang) => {
    expect(restatesTitle(title, text, lang)).toBe(true);
  });

  it.each([
    ['A compute bottleneck', 'As models grow exponentially, training relies ever more on high-performance AI chips, and the industry has hit a compute bottleneck.', 'en'],
    ['Finance: lower risk', 'Lenders use models to flag fraud before a loan is paid out.', 'en'],
    ['算力瓶颈', '随着模型规模指数级增长，训练越来越依赖高性能AI芯片，产业遭遇算力瓶颈。', 'zh'],
    ['', 'A text under no title.', 'en'],
  ])('finds that the text of "%s" says more', (title, text, lang) => {
    expect(restatesTitle(title, text, lang)).toBe(false);
  });
});
