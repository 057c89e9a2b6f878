/**
 * Where Chinese text may break across lines. Chinese has no spaces, and a browser left to itself
 * breaks between any two characters — inside words (大模/型, 瓶/颈) and inside book titles. Decks set
 * Chinese with `word-break: keep-all` and a `<wbr>` between phrases, so lines break only there.
 *
 * Phrases are ICU's words (Intl.Segmenter), joined where a break would still split a term:
 * single characters join their neighbours (大 + 模型, 算 + 力, 端 + 侧), particles stay with what they
 * follow (竞争的), a number keeps its unit (2022年), Latin and Chinese letters that touch stay
 * together (AI大模型), and a short title or quotation in 《》 or “” is one phrase.
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

const isHan = (char: string): boolean => /\p{Script=Han}/u.test(char);
const isLetterOrDigit = (char: string): boolean => /[\p{L}\p{N}]/u.test(char);
/** Never at the start of a line. */
const closing = new Set([...'，。、；：？！）》」』】〉”’…·%,.;:?!)]}']);
/** Never at the end of a line. */
const opening = new Set([...'（《「『【〈“‘([{']);
/** A long phrase may still break after these (particles) or before those (prepositions). */
const endsAWord = new Set([...'的了着地得等和与及或']);
const startsAWord = new Set([...'于以在为将把被从对向由是']);
/** Words that finish the phrase before them (六十五岁以上, 三年以来): a line never starts with one. */
const postpositions = new Set(['以上', '以下', '以内', '以外', '左右', '之间', '之内', '之外', '之后', '之前', '以来', '为止', '上下']);
const pairs: Record<string, string> = { '《': '》', '“': '”', '「': '」', '『': '』', '（': '）' };
/** A title or quotation up to this many characters stays on one line. */
const shortQuote = 16;
/** Phrases longer than this many characters may break at a particle or preposition. */
const longPhrase = 9;
/** A phrase longer than this many characters breaks between two of its words, whatever they are. */
const maxPhrase = 12;
/** A phrase of Chinese words grows to at least this many characters before a line may break after it. */
const minPhrase = 4;

const chars = (text: string): string[] => [...text];
const isWord = (text: string): boolean => chars(text).length >= 2 && chars(text).every(isHan);

/**
 * Whether a line may break between two ICU words: after punctuation, and between two Chinese words
 * of two or more characters. A lone character is often half of a term the dictionary does not know
 * (大|模型), so it binds to both neighbours; letters and digits bind to what they touch.
 */
function breakable(before: string, after: string): boolean {
  const end = chars(before).at(-1)!;
  const start = chars(after)[0]!;
  if (closing.has(start) || opening.has(end)) return false;
  if (closing.has(end) || opening.has(start)) return true;
  if (isLetterOrDigit(end) && isLetterOrDigit(start) && (!isHan(end) || !isHan(start))) return false;
  return isWord(before) && isWord(after);
}

/**
 * Pure: `text` cut into phrases; joined with '' they give back the text exactly. `longest` is the
 * most characters a phrase may have: a narrow column (a timeline of six) holds fewer than a card.
 */
export function chinesePhrases(text: string, longest = maxPhrase): string[] {
  const words = [...segmenter.segment(text)].map((s) => s.segment);
  const phrases: string[][] = [];
  for (const word of words) {
    const current = phrases.at(-1);
    const prev = current?.at(-1);
    // Two words of two characters are often one term of four (人工|智能): between them a phrase
    // must already be long before a line may break there.
    const twoByTwo = prev !== undefined && chars(prev).length === 2 && chars(word).length === 2;
    const grown = current !== undefined && chars(current.join('')).length >= (twoByTwo ? minPhrase + 2 : minPhrase);
    const afterMark = prev !== undefined && (closing.has(chars(prev).at(-1)!) || opening.has(chars(word)[0]!)) && !closing.has(chars(word)[0]!);
    // A two-character word bound to a lone character before it (以|人工) keeps its next word too (智能).
    const bound = current !== undefined && current.length >= 2 && chars(current.at(-2)!).length === 1 && isHan(current.at(-2)!) && isWord(prev ?? '') && chars(prev ?? '').length === 2 && isWord(word) && chars(word).length === 2;
    if (!current || !prev || /^\s+$/.test(word) || /\s$/.test(prev) || (breakable(prev, word) && (grown || afterMark) && !bound && !postpositions.has(word))) phrases.push([word]);
    else current.push(word);
  }
  return keepShortQuotes(phrases.flatMap((words) => splitLong(words, longest)));
}

/** A phrase too long for a narrow column breaks after a particle or before a preposition, into pieces of three or more. */
function splitLong(words: string[], longest: number): string[] {
  const whole = words.join('');
  if (chars(whole).length <= Math.min(longPhrase, longest)) return [whole];
  const pieces: string[][] = [];
  let current: string[] = [];
  words.forEach((word, i) => {
    const before = words[i - 1];
    const soft =
      before !== undefined &&
      isHan(chars(word)[0]!) &&
      isHan(chars(before).at(-1)!) &&
      ((chars(before).length === 1 && endsAWord.has(before)) || (chars(word).length === 1 && startsAWord.has(word))) &&
      chars(current.join('')).length >= 3 &&
      chars(words.slice(i).join('')).length >= 3;
    if (soft) {
      pieces.push(current);
      current = [];
    }
    current.push(word);
  });
  pieces.push(current);
  return pieces.flatMap((piece) => halve(piece, longest));
}

/**
 * The last resort for a phrase longer than a column may hold: a break nearest its middle, between
 * two words if it has such a place, else next to a word of two or more characters (老人|仅), else
 * between any two Chinese characters that are not one word.
 */
function halve(words: string[], longest: number): string[] {
  const whole = words.join('');
  if (chars(whole).length <= longest || words.length < 2) return [whole];
  const middle = chars(whole).length / 2;
  const tierOf = (word: string, next: string): number => {
    if (isWord(word) && isWord(next)) return 0;
    if (!isHan(chars(word).at(-1)!) || !isHan(chars(next)[0]!)) return Infinity;
    // Between two lone characters (甲|型) only when a phrase must fit a card, not a narrower column.
    return isWord(word) || isWord(next) ? 1 : longest < maxPhrase ? Infinity : 2;
  };
  let best = -1;
  let bestRank = Infinity;
  let at = 0;
  words.forEach((word, i) => {
    at += chars(word).length;
    const next = words[i + 1];
    if (next === undefined) return;
    // Rank by tier first, then by distance from the middle.
    const rank = tierOf(word, next) * 1000 + Math.abs(at - middle);
    if (rank < bestRank) {
      best = i + 1;
      bestRank = rank;
    }
  });
  if (best < 0 || !Number.isFinite(bestRank)) return [whole];
  return [...halve(words.slice(0, best), longest), ...halve(words.slice(best), longest)];
}

/** Joins the phrases of a short 《title》 or “quotation” into one. */
function keepShortQuotes(phrases: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < phrases.length; i += 1) {
    const phrase = phrases[i]!;
    const open = [...phrase][0]!;
    const close = pairs[open];
    if (close && !phrase.includes(close)) {
      let joined = phrase;
      let j = i + 1;
      while (j < phrases.length && !joined.includes(close) && [...joined].length <= shortQuote) joined += phrases[j++];
      if (joined.includes(close) && [...joined.slice(0, joined.indexOf(close))].length <= shortQuote) {
        out.push(joined);
        i = j - 1;
        continue;
      }
    }
    out.push(phrase);
  }
  return out;
}

/** Whether a text has Chinese to break into phrases. */
export const hasHan = (text: string): boolean => /\p{Script=Han}/u.test(text);
