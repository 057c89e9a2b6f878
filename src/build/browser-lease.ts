import type { BrowserSession, BrowserSessionOptions } from './types.js';

/** The run's one browser: started on first use, shared by every caller, closed once. */
export interface BrowserLease {
  /** The session; the first call starts it, callers meanwhile share that start. */
  get(): Promise<BrowserSession>;
  /** Whether a browser was started (or connected) through this lease. */
  readonly started: boolean;
  /** Closes the session if one was opened; safe to call on every exit path. */
  close(): Promise<void>;
}

export type OpenBrowser = (options?: BrowserSessionOptions) => BrowserSession | Promise<BrowserSession>;

const defaultOpenBrowser: OpenBrowser = async (options) => {
  const { createBrowserSession } = await import('../browser/session.js');
  return createBrowserSession(options);
};

/**
 * A lazily opened browser session. Nothing starts until `get()`, so a run the cache serves never
 * launches Chromium; a failed start is forgotten, so the next `get()` may try again.
 */
export function leaseBrowser(options: BrowserSessionOptions = {}, open: OpenBrowser = defaultOpenBrowser): BrowserLease {
  let opening: Promise<BrowserSession> | undefined;
  let session: BrowserSession | undefined;
  return {
    get() {
      opening ??= Promise.resolve(open(options)).then(
        (opened) => (session = opened),
        (error: unknown) => {
          opening = undefined;
          throw error;
        },
      );
      return opening;
    },
    get started() {
      return session?.started ?? false;
    },
    async close() {
      await opening?.catch(() => undefined);
      await session?.close();
    },
  };
}
