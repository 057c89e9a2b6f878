import { describe, expect, it } from 'vitest';
import { chinesePhrases } from '../../src/compose/cjk-phrases.js';

/** Texts from Chinese reports, and words no line may split. */
const texts = [
  '《新一代人工智能发展规划》',
  '从“好用”到“高效”',
  '金融、医疗、政务等行业',
  '大模型产业遭遇算力瓶颈',
  'AI大模型已成为全球科技竞争的新高地',
  '科技部等六部门于2022年印发《关于加快场景创新以人工智能高水平应用促进经济高质量发展的指导意见》',
  'vivo蓝心大模型',
  '端侧AI大模型主要以蔚来的NOMI GPT大模型为代表',
  '国内的AI大模型产业至今没有出现爆款级应用，原因在于尚未找到商业化思路',
  '北京、上海、广东、安徽、福建和深圳、杭州、成都等地',
  '国务院发布新一代人工智能发展规划',
  '我国可用于大模型训练的中文数据库体量严重不足',
  '垂直行业将是大模型的主战场',
  '高峰周发热门诊候诊时间超过三小时。',
  // ICU cuts this one into lone characters almost everywhere: it still needs a place to break.
  '每百名失能老人仅有护理员三名，流失率高。',
  '六十五岁以上老人住院率最高',
  '仅九月就达到190万吨',
];
const words = ['六十五岁以上', '190万吨', '护理员', '老人', '大模型', '人工智能', '算力', '瓶颈', '行业', '金融', '好用', '高效', '端侧', '印发', '蓝心', '至今', '应用'];

describe('chinesePhrases', () => {
  it.each(texts)('gives back the text exactly, and splits no word: %s', (text) => {
    const phrases = chinesePhrases(text);
    expect(phrases.join('')).toBe(text);
    const joined = phrases.join('|');
    for (const word of words) {
      if (!text.includes(word)) continue;
      expect(joined.includes(word), `${word} in ${joined}`).toBe(true);
    }
  });

  it('keeps a short book title or quotation whole, and breaks after punctuation', () => {
    expect(chinesePhrases('《新一代人工智能发展规划》')).toEqual(['《新一代人工智能发展规划》']);
    expect(chinesePhrases('从“好用”到“高效”')).toContain('“好用”');
    const list = chinesePhrases('北京、上海、广东');
    expect(list.slice(0, 2)).toEqual(['北京、', '上海、']);
  });

  it('never starts a phrase with closing punctuation nor ends one with opening punctuation', () => {
    for (const text of texts) {
      for (const phrase of chinesePhrases(text)) {
        expect(phrase, text).not.toMatch(/^[，。、；：？！）》」』】”’]/);
        expect(phrase, text).not.toMatch(/[（《「『【“‘]$/);
      }
    }
  });

  it('leaves places to break: phrases stay short enough for a narrow column', () => {
    for (const text of texts) for (const phrase of chinesePhrases(text)) expect([...phrase].length, phrase).toBeLessThanOrEqual(phrase.startsWith('《') ? 16 : 12);
  });

  it('cuts phrases shorter for a narrow column, between words, never inside one or between a number and its unit', () => {
    expect(chinesePhrases('监测哨点报告病例上升', 6)).toEqual(['监测哨点报告', '病例', '上升']);
    expect(chinesePhrases('全季共报告流感样病例约21万例。', 6).join('|')).toContain('约21万例');
    // Two lone characters stay together in a narrow column (甲型), though the phrase is long.
    expect(chinesePhrases('甲型H3N2成为主要毒株', 6)[0]).toMatch(/^甲型/);
    for (const text of texts) expect(chinesePhrases(text, 6).join('')).toBe(text);
  });
});
