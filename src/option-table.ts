import { defaultLimits, formatBytes } from './data/limits.js';

/**
 * Every option briefgen takes, once: its flag, alias, kind, help text, default and the commands
 * that take it. The CLI declares flags from it, the config file and `BRIEFGEN_*` variables are
 * checked against it, and `briefgen config` lists it, so the four can never disagree.
 */

/**
 * How a value is read and how repeats combine:
 * - `list`: a comma list (`-f pdf,png`); repeated flags accumulate (`-f pdf -f png`).
 * - `paths`: file or folder paths; repeated flags accumulate (`-d a.yaml -d b.yaml`).
 * - `string`, `path`, `count`, `size`: one value; a repeated flag's last value wins.
 * - `boolean`: on or off (`--fit` / `--no-fit`); the last one given wins.
 */
export type OptionKind = 'list' | 'paths' | 'string' | 'path' | 'count' | 'size' | 'boolean';

export const commandNames = ['build', 'validate', 'list', 'render', 'merge-manifests', 'dev', 'init', 'eject', 'config'] as const;
export type CommandName = (typeof commandNames)[number];

export interface OptionSpec {
  /** camelCase: the key in a config file and in the resolved options. */
  key: string;
  /** kebab-case flag name without dashes. */
  flag: string;
  alias?: string;
  kind: OptionKind;
  describe: string;
  /** The value when no source sets it; absent: unset (the stage picks, as `describeDefault` says). */
  default?: string | number | boolean;
  /** Shown in help and in `briefgen config` when there is no fixed default. */
  describeDefault?: string;
  /** Smallest whole number a `count` takes. */
  min?: number;
  /** Largest whole number a `count` takes. */
  max?: number;
  commands: readonly CommandName[];
  /** A `path` that `--no-<flag>` turns off (the value is then `false`). */
  negatable?: boolean;
  /** Command-specific help text or default, where one command means something else by it. */
  per?: Partial<Record<CommandName, { describe?: string; default?: string | number | boolean }>>;
}

const building = ['build', 'validate', 'dev', 'config'] as const;
const readingData = ['build', 'validate', 'list', 'dev', 'config'] as const;
const browsing = ['build', 'validate', 'render', 'dev', 'config'] as const;
const limitCommands = ['build', 'validate', 'list', 'render', 'merge-manifests', 'dev', 'config'] as const;

export const optionTable: readonly OptionSpec[] = [
  { key: 'audience', flag: 'audience', alias: 'a', kind: 'list', describe: 'Audience name, a comma list, or all', describeDefault: 'the audiences marked default in their profile', commands: building },
  { key: 'data', flag: 'data', alias: 'd', kind: 'paths', describe: 'YAML/JSON report file, report folder or folder of reports (- for stdin); repeatable', describeDefault: 'content/', commands: readingData },
  { key: 'templates', flag: 'templates', alias: 't', kind: 'path', describe: 'Templates folder', describeDefault: 'templates/ (or the bundled one)', commands: [...readingData, 'render'], per: { render: { describe: 'Templates folder whose themes to register' } } },
  { key: 'out', flag: 'out', alias: 'o', kind: 'path', describe: 'Output folder', default: 'out', commands: ['build', 'render', 'dev', 'config'], per: { dev: { describe: 'Where the export button writes' } } },
  { key: 'format', flag: 'format', alias: 'f', kind: 'list', describe: 'Comma list of pdf,png,pptx,html,md; repeatable', default: 'pdf,png,pptx,html,md', commands: ['build', 'render', 'config'], per: { render: { default: 'pdf,png,pptx,html' } } },
  { key: 'lang', flag: 'lang', alias: 'l', kind: 'list', describe: 'Language code(s) of the data, a comma list, or all', default: 'all', commands: [...building, 'init'], per: { init: { describe: 'Languages of the new report: en, zh or en,zh', default: 'en' } } },
  { key: 'concurrency', flag: 'concurrency', alias: 'j', kind: 'count', min: 1, max: 64, describe: 'Browser pages working at once', describeDefault: 'up to 4, by CPU count', commands: browsing },
  { key: 'browserWs', flag: 'browser-ws', kind: 'string', describe: 'Connect to a running browser at this WebSocket URL instead of launching one', commands: browsing },
  { key: 'fit', flag: 'fit', kind: 'boolean', default: true, describe: "Shrink overflowing slides down to the audience's floor and re-split long lists (--no-fit: only report overflow)", commands: browsing, per: { render: { default: false, describe: 'Shrink slides whose content overflows (default: measure and warn, change nothing)' } } },
  { key: 'measure', flag: 'measure', kind: 'boolean', default: true, describe: 'Measure slides for overflow in the browser (--no-measure: data and templates only, no browser)', commands: ['validate', 'config'] },
  { key: 'shard', flag: 'shard', kind: 'string', describe: 'Build only part K of N of the decks, e.g. 2/3 (for CI matrices)', commands: ['build', 'config'] },
  { key: 'cache', flag: 'cache', kind: 'boolean', default: true, describe: 'Reuse PDFs and PNGs of unchanged decks from the build cache (--no-cache: off)', commands: ['build', 'config'] },
  { key: 'cacheDir', flag: 'cache-dir', kind: 'path', describe: 'Build cache folder', default: '.briefgen-cache', commands: ['build', 'config'] },
  { key: 'force', flag: 'force', kind: 'boolean', default: false, describe: 'Rebuild every deck, ignoring the build cache (it is still refreshed)', commands: ['build', 'config'] },
  { key: 'port', flag: 'port', alias: 'p', kind: 'count', min: 0, max: 65535, default: 4173, describe: 'Port on 127.0.0.1 (0: any free port)', commands: ['dev', 'config'] },
  { key: 'open', flag: 'open', kind: 'boolean', default: false, describe: 'Open the page in the default browser', commands: ['dev', 'config'] },
  { key: 'strict', flag: 'strict', kind: 'boolean', default: false, describe: 'Exit 1 on any warning (overflow, slide budget, blocked request, …)', commands: ['build', 'validate', 'render', 'config'] },
  { key: 'json', flag: 'json', kind: 'boolean', default: false, describe: 'Print one JSON object on stdout (schema/cli-output.schema.json); stderr has only JSON lines', commands: ['build', 'validate', 'list', 'render', 'init', 'eject', 'config'] },
  { key: 'quiet', flag: 'quiet', alias: 'q', kind: 'boolean', default: false, describe: 'Print only warnings and errors', commands: ['build', 'validate', 'list', 'render', 'merge-manifests', 'dev', 'init', 'eject', 'config'] },
  { key: 'theme', flag: 'theme', kind: 'string', describe: 'Theme of decks that name none: a theme name or a CSS file (as Marp CLI)', commands: ['render'] },
  { key: 'themeSet', flag: 'theme-set', kind: 'paths', describe: 'Theme CSS files, or folders of them, to register (as Marp CLI); repeatable', commands: ['render'] },
  { key: 'html', flag: 'html', kind: 'boolean', describe: "Allow any HTML in the decks (--no-html: none)", describeDefault: "marp-core's allowlist", commands: ['render'] },
  { key: 'allowLocalFiles', flag: 'allow-local-files', kind: 'boolean', describe: 'Let decks load local files from anywhere, not only their own and the working folder', commands: ['render'] },
  { key: 'configFile', flag: 'config-file', kind: 'path', negatable: true, describe: 'Marp config file (--no-config-file: none)', describeDefault: '.marprc*, marp.config.* or package.json "marp" in the working folder', commands: ['render'] },
  { key: 'notes', flag: 'notes', kind: 'boolean', describe: "Also write each deck's speaker notes as <name>.txt", commands: ['render'] },
  { key: 'maxDataSize', flag: 'max-data-size', kind: 'size', describe: 'Most data read per run: each data file or stdin, and all together', describeDefault: formatBytes(defaultLimits.dataBytes).replace(' ', ''), commands: limitCommands },
  { key: 'maxListItems', flag: 'max-list-items', kind: 'count', min: 1, describe: 'Most entries in one list or mapping of the data', describeDefault: String(defaultLimits.listItems), commands: limitCommands },
  { key: 'maxStringLength', flag: 'max-string-length', kind: 'count', min: 1, describe: 'Most characters in one string of the data', describeDefault: String(defaultLimits.stringLength), commands: limitCommands },
  { key: 'maxYamlAliases', flag: 'max-yaml-aliases', kind: 'count', min: 0, describe: 'Most YAML alias expansions in one file', describeDefault: String(defaultLimits.yamlAliases), commands: limitCommands },
  { key: 'maxDeckSlides', flag: 'max-deck-slides', kind: 'count', min: 1, describe: 'Most slides in one deck, after lists are split', describeDefault: String(defaultLimits.deckSlides), commands: limitCommands },
];

/** `browser-ws` → `BRIEFGEN_BROWSER_WS`. */
export const envName = (spec: OptionSpec): string => `BRIEFGEN_${spec.flag.replace(/-/g, '_').toUpperCase()}`;

export const optionsOf = (command: CommandName): OptionSpec[] => optionTable.filter((o) => o.commands.includes(command));

export const specByKey = (key: string): OptionSpec | undefined => optionTable.find((o) => o.key === key);

/** The default one command uses, after its own override. */
export const defaultFor = (spec: OptionSpec, command: CommandName): string | number | boolean | undefined =>
  spec.per?.[command] && 'default' in spec.per[command]! ? spec.per[command]!.default : spec.default;

export const describeFor = (spec: OptionSpec, command: CommandName): string => spec.per?.[command]?.describe ?? spec.describe;
