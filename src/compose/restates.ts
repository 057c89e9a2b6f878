/**
 * Whether a card's text only restates its title: every word of the title comes back in the text,
 * and the text adds at most a few words of its own ("No hit application yet" / "China's industry
 * has yet to produce a hit application"). Such a text gives its place to the item's detail.
 */

/** Words that carry no point of their own, in the languages the shipped labels cover. */
const functionWords = new Set(
  'a an the of to in on for and or but is are be been has have had still yet not no its it this that these those with as by at from more many much very will can could should would than so'.split(' '),
);
const functionCharacters = /^[的了和与及并在是有也都还仍将把被对从等之而或其]+$/u;

/** Words this far apart in a few letters still count as one ("limits" / "limitations"). */
const stemLength = 5;
/** Words of its own a text may add and still only restate its title. */
const ownWords = 5;

function contentWords(text: string, lang: string): string[] {
  const segmenter = new Intl.Segmenter(lang, { granularity: 'word' });
  return [...segmenter.segment(text.toLowerCase())]
    .filter((s) => s.isWordLike && !functionWords.has(s.segment) && !functionCharacters.test(s.segment))
    .map((s) => (/^\p{Script=Latin}+$/u.test(s.segment) ? s.segment.replace(/'s$/, '').slice(0, stemLength) : s.segment));
}

export function restatesTitle(title: string, text: string, lang: string): boolean {
  const titleWords = contentWords(title, lang);
  if (titleWords.length === 0) return false;
  const textWords = contentWords(text, lang);
  const inText = new Set(textWords);
  if (!titleWords.every((w) => inText.has(w))) return false;
  const fromTitle = new Set(titleWords);
  return textWords.filter((w) => !fromTitle.has(w)).length <= ownWords;
}
