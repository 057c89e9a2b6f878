/**
 * The bounds on what one run reads and makes. Data is untrusted input: without them, a pipe from
 * /dev/zero, a list of 100,000 items or a YAML alias bomb would exhaust the machine before any
 * error could be shown. Each bound has a flag to raise it (`limitFlags`).
 */
export interface InputLimits {
  /** Bytes of data: each data file or standard input, and all of a run's data together. */
  dataBytes: number;
  /** Entries of any one list, or keys of any one mapping, in the data. */
  listItems: number;
  /** Characters of any one string in the data. */
  stringLength: number;
  /** Alias expansions in one YAML file (the `yaml` package's `maxAliasCount`). */
  yamlAliases: number;
  /** Slides of one deck, after lists are split onto follow-up slides. */
  deckSlides: number;
}

/**
 * Measured on a 2-core machine: the YAML parser needs 60–75 bytes of memory per byte of a list-heavy
 * file (4 MiB parse in about 300 MiB), and a deck of 300 slides peaks at about 830 MiB (PSS of Node
 * and every browser process), so the worst input the defaults let through stays under 1 GiB. The
 * shipped reports are 7–17 KiB, with lists of at most 12 entries and decks of at most 16 slides.
 */
export const defaultLimits: Readonly<InputLimits> = {
  dataBytes: 4 * 1024 * 1024,
  listItems: 1000,
  stringLength: 20_000,
  yamlAliases: 100,
  deckSlides: 300,
};

/** Nesting of lists and mappings; the briefing schema needs 6 levels. Not a flag: nothing legitimate comes near it. */
export const maxDataDepth = 32;

/** The command-line flag that raises each limit, named in the error that reports it. */
export const limitFlags: Readonly<Record<keyof InputLimits, string>> = {
  dataBytes: '--max-data-size',
  listItems: '--max-list-items',
  stringLength: '--max-string-length',
  yamlAliases: '--max-yaml-aliases',
  deckSlides: '--max-deck-slides',
};

/** The defaults with the caller's overrides. */
export const resolveLimits = (overrides: Partial<InputLimits> = {}): InputLimits => ({ ...defaultLimits, ...definedOnly(overrides) });

function definedOnly(values: Partial<InputLimits>): Partial<InputLimits> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** `4 MiB`, `1.5 KiB`, `12 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
