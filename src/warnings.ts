/** Things a run finishes with but a user should see; `--strict` turns any of them into exit 1. */
export const WarningCode = {
  overflow: 'overflow',
  budget: 'slide-budget',
  blockedRequest: 'blocked-request',
  /** Something the PPTX could only approximate (a CSS counter it cannot number, say). */
  pptx: 'pptx',
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
