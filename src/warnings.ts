/** Things a run finishes with but a user should see; `--strict` turns any of them into exit 1. */
export const WarningCode = {
  overflow: 'overflow',
  budget: 'slide-budget',
  blockedRequest: 'blocked-request',
  /** Something the PPTX could only approximate (a CSS counter it cannot number, say). */
  pptx: 'pptx',
  /** A slide, heading, card or panel with nothing in it. */
  emptyContent: 'empty-content',
  /** Two slides (or a title and its lead) showing the same text. */
  repetition: 'repetition',
  /** Speaker notes about someone or something no slide shows. */
  notesReference: 'notes-reference',
  /** Data the deck's plan picked that no slide shows (a template left it out). */
  notShown: 'not-shown',
  /** A line break inside a word (measured in the browser). */
  lineBreak: 'line-break',
  /** A presenter's deck (`render`) names a local image that is missing or outside the allowed folders. */
  missingImage: 'missing-image',
  /** A presenter's deck has front matter or directives Marp would not apply as written. */
  directive: 'directive',
  /** A Marp config file option that `render` does not act on. */
  config: 'config',
} as const;
export type WarningCodeValue = (typeof WarningCode)[keyof typeof WarningCode];

export interface BuildWarning {
  code: WarningCodeValue;
  /** `report/lang/audience` or the Markdown file. */
  deck: string;
  /** 1-based slide number, where the warning belongs to one slide. */
  slide?: number;
  message: string;
}

/** The one way a warning is written for people: `deck slide N: message` (the logger adds `warning: `). */
export const formatWarning = (w: BuildWarning): string => `${w.deck}${w.slide !== undefined ? ` slide ${w.slide}` : ''}: ${w.message}`;
