import type { ProgressEvent } from '../build/types.js';
import { printableLine } from '../util/printable.js';

export type { ProgressEvent };

/**
 * How progress is shown: `live`, one redrawn status line (a terminal); `lines`, one line per deck
 * (CI logs, pipes); `json`, one JSON object per event (machines); `off`.
 */
export const ProgressMode = { live: 'live', lines: 'lines', json: 'json', off: 'off' } as const;
export type ProgressModeValue = (typeof ProgressMode)[keyof typeof ProgressMode];

/** `CI=true`, `CI=1`… count; `CI=false`, `CI=0` and empty do not. */
const isCi = (env: NodeJS.ProcessEnv): boolean => {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
};

/** Pure: the mode for a run: `--json` wins, then `--quiet`, then a TTY outside CI gets the live line. */
export function progressMode(options: { json?: boolean; quiet?: boolean; isTTY?: boolean; env: NodeJS.ProcessEnv }): ProgressModeValue {
  if (options.json) return ProgressMode.json;
  if (options.quiet) return ProgressMode.off;
  if (isCi(options.env) || !options.isTTY) return ProgressMode.lines;
  return ProgressMode.live;
}

export interface ProgressReporter {
  /** Feeds an event from the pipeline. */
  update(event: ProgressEvent): void;
  /** Prints a log line without tearing the live status line. */
  print(text: string): void;
  /** Clears the live line; later output starts on a clean line. */
  finish(): void;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Pure: `[######------] 3/8` at `width` cells for the bar. */
export function progressBar(done: number, total: number, width = 24): string {
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

/** Pure: the one-line report of a finished deck, as `lines` mode prints it. */
export function deckLine(event: Extract<ProgressEvent, { type: 'deck-done' }>): string {
  const counter = `[${String(event.done).padStart(String(event.total).length)}/${event.total}]`;
  const what = event.cached ? 'cached' : 'built ';
  const warnings = event.warnings > 0 ? `, ${event.warnings} warning${event.warnings > 1 ? 's' : ''}` : '';
  return `${counter} ${what} ${printableLine(event.key)} (${event.slides} slides${warnings}) ${seconds(event.ms)}`;
}

/**
 * Progress output on `write` (stderr). `columns` bounds the live line, which is redrawn in place
 * with a carriage return and an erase-line escape, so it never wraps into a second line.
 */
export function createProgressReporter(mode: ProgressModeValue, write: (text: string) => void, options: { columns?: number } = {}): ProgressReporter {
  const running = new Set<string>();
  let done = 0;
  let total = 0;
  let cached = 0;
  let shown = false;
  const columns = Math.max(20, options.columns ?? 80);
  const clear = () => {
    if (shown) write('\r\u001b[2K');
    shown = false;
  };
  const draw = () => {
    const now = [...running].map(printableLine);
    const status = `${progressBar(done, total)}${cached ? ` (${cached} cached)` : ''}${now.length ? `  ${now[0]}${now.length > 1 ? ` +${now.length - 1}` : ''}` : ''}`;
    const line = status.length > columns - 1 ? `${status.slice(0, columns - 2)}…` : status;
    write(`\r\u001b[2K${line}`);
    shown = true;
  };
  return {
    update(event) {
      total = event.total;
      if (event.type === 'deck-start') running.add(event.key);
      else {
        running.delete(event.key);
        done = event.done;
        if (event.cached) cached += 1;
      }
      switch (mode) {
        case ProgressMode.json: {
          const { type, ...fields } = event;
          write(`${JSON.stringify({ event: type, ...fields, ...('ms' in fields ? { ms: Math.round(fields.ms) } : {}) })}\n`);
          break;
        }
        case ProgressMode.lines:
          if (event.type === 'deck-done') write(`${deckLine(event)}\n`);
          break;
        case ProgressMode.live:
          draw();
          break;
        default:
          break;
      }
    },
    print(text) {
      if (mode !== ProgressMode.live || !shown) {
        write(text);
        return;
      }
      clear();
      write(text);
      if (total > 0 && done < total) draw();
    },
    finish() {
      if (mode === ProgressMode.live) clear();
    },
  };
}
