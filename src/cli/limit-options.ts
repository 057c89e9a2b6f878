import type { Argv } from 'yargs';
import { defaultLimits, formatBytes } from '../config.js';

/**
 * The bounds on untrusted input (README "Limits"); each exceeded one is an exit-2 error before any
 * browser work. Shared by every command that reads data or decks.
 */
export function limitOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('max-data-size', { type: 'string', describe: `Most data read per run: each data file or stdin, and all together (default ${formatBytes(defaultLimits.dataBytes).replace(' ', '')})` })
    .option('max-list-items', { type: 'number', describe: `Most entries in one list or mapping of the data (default ${defaultLimits.listItems})` })
    .option('max-string-length', { type: 'number', describe: `Most characters in one string of the data (default ${defaultLimits.stringLength})` })
    .option('max-yaml-aliases', { type: 'number', describe: `Most YAML alias expansions in one file (default ${defaultLimits.yamlAliases})` })
    .option('max-deck-slides', { type: 'number', describe: `Most slides in one deck, after lists are split (default ${defaultLimits.deckSlides})` }) as unknown as Argv<T>;
}
