import type { Argv } from 'yargs';
import { defaultFor, describeFor, optionsOf, type CommandName } from '../option-table.js';

/**
 * Declares one command's options from the option table. No yargs defaults: an option absent from
 * the command line must stay undefined, so the environment and the config file can set it (the
 * default is applied last, by `resolveSettings`, and only shown here). Every value but a boolean
 * is read as text, so `-j abc` reaches the checks as "abc" instead of yargs' NaN.
 */
export function declareOptions<T>(y: Argv<T>, command: CommandName): Argv<T> {
  let out = y as Argv<unknown>;
  for (const spec of optionsOf(command)) {
    const fallback = defaultFor(spec, command);
    const shown = fallback !== undefined ? String(fallback) : spec.describeDefault;
    out = out.option(spec.flag, {
      ...(spec.alias ? { alias: spec.alias } : {}),
      type: spec.kind === 'boolean' ? 'boolean' : 'string',
      ...(spec.kind === 'paths' ? { array: true } : {}),
      describe: describeFor(spec, command),
      ...(shown !== undefined ? { defaultDescription: shown } : {}),
    });
  }
  return out as Argv<T>;
}

/** `--config FILE`: the config file to use instead of searching for one (also `BRIEFGEN_CONFIG`). */
export function declareConfigOption<T>(y: Argv<T>): Argv<T> {
  return y.option('config', { type: 'string', describe: 'Config file to use instead of the one found by search (also BRIEFGEN_CONFIG)', defaultDescription: 'searched from here up' }) as Argv<T>;
}
