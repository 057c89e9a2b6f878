/**
 * Where long unbreakable strings may wrap at any character: 0 nowhere (as designed), 1 in links
 * and code (URLs, identifiers), 2 in all text but table headings. Each level is only used when the
 * one before left the slide too wide: breaking words anywhere in a table's text also lets its
 * columns squeeze each other.
 */
export type WrapLevel = 0 | 1 | 2;

/** How one slide was fitted: its content scale and where long strings may break. */
export interface SlideFit {
  /** 1-based slide number. */
  slide: number;
  /** 1 = as designed; 0.8 = the slide's content drawn at 80 %. */
  scale: number;
  wrap: WrapLevel;
}

/** `data-` attribute of the `<style>` element that carries the fit, in the page and in the HTML. */
export const fitStyleAttribute = 'data-briefgen-fit';

const contentOf = (slide: number): string =>
  `svg[data-marpit-svg]:nth-of-type(${slide}) > foreignObject > section:not([data-marpit-advanced-background="background"]):not([data-marpit-advanced-background="pseudo"])`;

/**
 * CSS that applies the fits. `zoom` on the slide's content blocks (never the section, header or
 * footer) shrinks text, spacing and images alike while the blocks still span the full width, so
 * a smaller slide simply fits more words per line; whatever units the theme uses.
 */
export function fitCss(fits: readonly SlideFit[]): string {
  const rules: string[] = [];
  for (const fit of [...fits].sort((a, b) => a.slide - b.slide)) {
    const children = `${contentOf(fit.slide)} > :not(header):not(footer)`;
    if (fit.scale < 1) rules.push(`${children} { zoom: ${fit.scale}; }`);
    const anywhere = 'overflow-wrap: anywhere; word-break: normal;';
    if (fit.wrap >= 1) rules.push(`${children} a, ${children} code { ${anywhere} }`);
    if (fit.wrap >= 2) rules.push(`${children}, ${children} *:not(th) { ${anywhere} }`);
  }
  return rules.join('\n');
}

/** The deck HTML with the fit's `<style>` added at the end of `<head>` (unchanged when there is none). */
export function injectFitCss(html: string, css: string): string {
  if (css.trim() === '') return html;
  const style = `<style ${fitStyleAttribute}>\n${css.replace(/<\/(style)/gi, '<\\/$1')}\n</style>\n`;
  const at = html.search(/<\/head>/i);
  return at < 0 ? `${style}${html}` : `${html.slice(0, at)}${style}${html.slice(at)}`;
}
