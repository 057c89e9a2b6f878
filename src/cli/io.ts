import type { StdinReader } from '../build/types.js';
import { debugEnabled, type Logger } from '../log.js';
import { printable } from '../util/printable.js';

/** What the CLI needs from its process; tests pass their own. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input, read no further than `maxBytes` + 1 and given up on abort (the bin's reader is bounded). */
  readStdin: StdinReader;
  /** Called with an abort function; returns an unsubscribe. The bin wires SIGINT/SIGTERM here. */
  onInterrupt?: (abort: () => void) => () => void;
  /** stderr is a terminal: progress is one live line instead of a line per deck. */
  stderrIsTTY?: boolean;
  /** Width of that terminal. */
  columns?: number;
}

/** One line of stderr in `--json` mode (schema/cli-event.schema.json). */
export const jsonLine = (event: Record<string, unknown>): string => `${JSON.stringify(event)}\n`;

/**
 * The CLI's logger: everything on stderr (stdout stays for `--json` and piped output). Messages
 * carry data (titles, keys, excerpts, URLs), so their control characters are escaped. In `--json`
 * mode each message is one JSON object, so a machine reading stderr never meets plain text.
 */
export function createLogger(io: CliIo, quiet: boolean, write: (text: string) => void = io.stderr, json = false): Logger {
  if (json) {
    return {
      info: (message) => {
        if (!quiet) write(jsonLine({ event: 'log', level: 'info', message }));
      },
      warn: (message) => write(jsonLine({ event: 'log', level: 'warning', message })),
      debug: (scope, message) => {
        if (debugEnabled(io.env.DEBUG, scope)) write(jsonLine({ event: 'log', level: 'debug', scope, message }));
      },
    };
  }
  return {
    info: (message) => {
      if (!quiet) write(`${printable(message)}\n`);
    },
    warn: (message) => write(`warning: ${printable(message)}\n`),
    debug: (scope, message) => {
      if (debugEnabled(io.env.DEBUG, scope)) write(`briefgen:${scope} ${printable(message)}\n`);
    },
  };
}

/** Runs `fn` with a signal that the process's interrupt (Ctrl-C, SIGTERM) aborts. */
export async function withInterrupt<T>(io: CliIo, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const unsubscribe = io.onInterrupt?.(() => controller.abort(new DOMException('interrupted', 'AbortError'))) ?? (() => {});
  try {
    return await fn(controller.signal);
  } finally {
    unsubscribe();
  }
}
