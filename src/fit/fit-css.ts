/** How one slide was fitted: its content scale and whether long strings may break anywhere. */
export interface SlideFit {
  /** 1-based slide number. */
  slide: number;
  /** 1 = as designed; 0.8 = the slide's content drawn at 80 %. */
  scale: number;
  /** Long unbreakable strings (URLs, identifiers) may wrap at any character. */
  wrap: boolean;
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
    if (fit.wrap) rules.push(`${children}, ${children} * { overflow-wrap: anywhere; word-break: normal; }`);
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
