/**
 * The pipeline never prints: it reports through a `Logger` the caller provides. The CLI's logger
 * writes to stderr so stdout stays clean for `--json`.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Traces, shown when `DEBUG` names the scope (`DEBUG=briefgen:*` or `DEBUG=briefgen:export`). */
  debug(scope: string, message: string): void;
}

export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  debug: () => {},
};

/** True when a `DEBUG` pattern list such as `briefgen:*,other` enables `briefgen:<scope>`. */
export function debugEnabled(pattern: string | undefined, scope: string): boolean {
  if (!pattern) return false;
  const name = `briefgen:${scope}`;
  return pattern
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((p) => {
      const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      return re.test(name);
    });
}
