import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { BriefgenError, ErrorCode } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { processAlive } from '../util/processes.js';
import { browserMissingHint, resolveExecutable } from './resolve-executable.js';

export interface BrowserSessionOptions {
  /** Skip resolution and launch this executable. */
  executablePath?: string;
  /** Connect to an existing browser instead of launching; `close()` then disconnects, never kills it. */
  browserWSEndpoint?: string;
  /** Max pages open at once; default `min(4, max(1, os.availableParallelism()))`. */
  poolSize?: number;
  /** Upper bound for any single browser call; default 60 000. */
  protocolTimeoutMs?: number;
  logger?: Logger;
}

export interface BrowserSession {
  /**
   * Lazily launches on first use, borrows a pooled page, runs `fn`, and returns the page to the
   * pool (or closes it if `fn` threw).
   */
  withPage<T>(fn: (page: Page) => Promise<T>): Promise<T>;
  /** True once a browser has been launched or connected. */
  readonly started: boolean;
  /** Closes pages and the browser; idempotent; safe to call on every exit path. */
  close(): Promise<void>;
}

/**
 * Flags for a headless, offline, reproducible renderer. Network-ish background services are off
 * because the machine may have no network and we never want Chromium phoning home mid-export;
 * hinting off keeps glyph metrics the same across hosts, so PDFs and PNGs line up. The disabled
 * features are renderer processes an export never uses: the omnibox popups Chromium prewarms for
 * every window (a WebUI renderer of ~180 MB resident) and the spare renderer it keeps ready for
 * the next navigation. Puppeteer merges these with its own `--disable-features`.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--font-render-hinting=none',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess',
] as const;

export const defaultProtocolTimeoutMs = 60_000;

/** Default page-pool size: one page per core, at most four. */
export function defaultPoolSize(): number {
  return Math.min(4, Math.max(1, os.availableParallelism()));
}

/** How long a graceful browser shutdown may take before the process group is killed. */
const gracefulCloseMs = 5_000;

const debugScope = 'browser';

class PooledBrowserSession implements BrowserSession {
  readonly #options: BrowserSessionOptions;
  readonly #logger: Logger;
  readonly #poolSize: number;
  readonly #timeoutMs: number;

  #browser: Browser | undefined;
  #launching: Promise<Browser> | undefined;
  #userDataDir: string | undefined;
  #closing: Promise<void> | undefined;
  #everStarted = false;
  #lostBrowser = false;

  /** Pages that exist, idle or lent out. */
  readonly #pages = new Set<Page>();
  /** Pages whose renderer crashed: never lent out again (they would hang every call until the protocol timeout). */
  readonly #crashed = new WeakSet<Page>();
  readonly #idle: Page[] = [];
  /** Slots claimed by pages that are being created; they count against the pool size. */
  #pending = 0;
  readonly #waiters: Array<() => void> = [];

  constructor(options: BrowserSessionOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#poolSize = Math.max(1, Math.floor(options.poolSize ?? defaultPoolSize()));
    this.#timeoutMs = options.protocolTimeoutMs ?? defaultProtocolTimeoutMs;
  }

  get started(): boolean {
    return this.#everStarted;
  }

  async withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    const browser = await this.#ensureBrowser();
    const page = await this.#acquire(browser);
    let ok = false;
    try {
      const result = await fn(page);
      ok = true;
      return result;
    } finally {
      if (ok) this.#release(page);
      else this.#discard(page);
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  #assertUsable(): void {
    if (this.#closing) {
      throw new BriefgenError(ErrorCode.browser, 'The browser session is already closed');
    }
    if (this.#lostBrowser) {
      throw new BriefgenError(ErrorCode.browser, 'The browser exited or disconnected unexpectedly', {
        hint: 'run again with DEBUG=briefgen:browser for details; low memory can kill Chromium',
      });
    }
  }

  #ensureBrowser(): Promise<Browser> {
    this.#assertUsable();
    if (this.#browser) return Promise.resolve(this.#browser);
    this.#launching ??= this.#start().finally(() => {
      this.#launching = undefined;
    });
    return this.#launching;
  }

  async #start(): Promise<Browser> {
    const startedAt = performance.now();
    const browser = this.#options.browserWSEndpoint
      ? await this.#connect(this.#options.browserWSEndpoint)
      : await this.#launch();
    if (this.#closing) {
      // close() ran while we were starting: it cannot see this browser, so shut it here.
      await this.#closeBrowser(browser);
      this.#assertUsable();
    }
    this.#browser = browser;
    this.#everStarted = true;
    browser.once('disconnected', () => {
      if (this.#closing) return;
      this.#lostBrowser = true;
      this.#logger.warn('The browser exited or disconnected unexpectedly');
      this.#wakeAll();
    });
    this.#logger.debug(
      debugScope,
      `browser ready in ${Math.round(performance.now() - startedAt)} ms (${await browser.version()})`,
    );
    return browser;
  }

  async #connect(browserWSEndpoint: string): Promise<Browser> {
    const { default: puppeteer } = await import('puppeteer-core');
    try {
      return await puppeteer.connect({ browserWSEndpoint, protocolTimeout: this.#timeoutMs });
    } catch (error) {
      throw new BriefgenError(
        ErrorCode.browser,
        `Could not connect to the browser at ${browserWSEndpoint}: ${messageOf(error)}`,
        { cause: error, hint: 'check that the browser is running and the endpoint is current' },
      );
    }
  }

  async #launch(): Promise<Browser> {
    const executablePath = this.#options.executablePath ?? (await this.#resolve());
    const { default: puppeteer } = await import('puppeteer-core');
    // Profiles of runs that were killed (kill -9 skips every clean-up) are removed by the next launch.
    await removeStaleProfiles(os.tmpdir(), this.#logger);
    // The pid in the name says whose profile it is, so the next run can tell a stale one.
    const userDataDir = await mkdtemp(path.join(os.tmpdir(), `${profilePrefix}${process.pid}-`));
    this.#userDataDir = userDataDir;
    // If the process exits without close() (an uncaught error, a bare process.exit), Puppeteer's
    // own exit hook kills Chromium; this one, registered after it, removes the profile.
    process.on('exit', this.#removeUserDataDirSync);
    this.#logger.debug(debugScope, `launching ${executablePath} (profile ${userDataDir})`);
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath,
        headless: true,
        args: [...chromiumArgs],
        userDataDir,
        protocolTimeout: this.#timeoutMs,
        timeout: this.#timeoutMs,
        // A pipe instead of a debugging port: nothing else on the machine can attach to it.
        pipe: true,
        // The CLI owns signal handling; Puppeteer's own SIGINT handler would exit the process
        // before the CLI can report the interruption and clean up.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      await this.#removeUserDataDir();
      throw new BriefgenError(
        ErrorCode.browser,
        `Could not start the browser at ${executablePath}: ${messageOf(error)}`,
        {
          cause: error,
          hint: `check that this is a working Chromium or Chrome; otherwise ${browserMissingHint}`,
        },
      );
    }
    // The launch opens a blank tab the pool never uses (it opens windows): one renderer less.
    // Not awaited: nothing depends on it, and the first deck need not wait for it.
    void browser
      .pages()
      .then((pages) => Promise.all(pages.map((page) => page.close())))
      .catch((error: unknown) => {
        this.#logger.debug(debugScope, `closing the initial blank page: ${messageOf(error)}`);
      });
    return browser;
  }

  async #resolve(): Promise<string> {
    const resolved = await resolveExecutable();
    this.#logger.debug(debugScope, `using ${resolved.source} browser ${resolved.path}`);
    return resolved.path;
  }

  async #acquire(browser: Browser): Promise<Page> {
    for (;;) {
      this.#assertUsable();
      const idle = this.#idle.pop();
      if (idle) {
        if (!idle.isClosed() && !this.#crashed.has(idle)) return idle;
        this.#discard(idle);
        continue;
      }
      if (this.#pages.size + this.#pending < this.#poolSize) return this.#openPage(browser);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  async #openPage(browser: Browser): Promise<Page> {
    this.#pending += 1;
    try {
      // A window of its own: a background tab gets no animation frames and would stall while
      // another page of the pool is in front.
      const page = await browser.newPage({ type: 'window' });
      page.once('error', (error: Error) => {
        this.#crashed.add(page);
        this.#logger.debug(debugScope, `a page's renderer crashed: ${error.message}`);
      });
      page.setDefaultTimeout(this.#timeoutMs);
      page.setDefaultNavigationTimeout(this.#timeoutMs);
      this.#pages.add(page);
      return page;
    } catch (error) {
      this.#wakeOne();
      if (error instanceof BriefgenError) throw error;
      throw new BriefgenError(ErrorCode.browser, `Could not open a browser page: ${messageOf(error)}`, {
        cause: error,
      });
    } finally {
      this.#pending -= 1;
    }
  }

  #release(page: Page): void {
    if (this.#closing || page.isClosed() || this.#crashed.has(page)) {
      this.#discard(page);
      return;
    }
    this.#idle.push(page);
    this.#wakeOne();
  }

  /** A page whose user failed may be mid-navigation or hung: never hand it out again. */
  #discard(page: Page): void {
    this.#pages.delete(page);
    this.#wakeOne();
    if (!page.isClosed()) {
      page.close({ runBeforeUnload: false }).catch((error: unknown) => {
        this.#logger.debug(debugScope, `closing a failed page: ${messageOf(error)}`);
      });
    }
  }

  #wakeOne(): void {
    this.#waiters.shift()?.();
  }

  #wakeAll(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async #shutdown(): Promise<void> {
    this.#wakeAll();
    const browser = this.#browser ?? (await this.#launching?.catch(() => undefined));
    this.#browser = undefined;
    this.#idle.length = 0;
    if (browser) await this.#closeBrowser(browser);
    this.#pages.clear();
    await this.#removeUserDataDir();
  }

  async #closeBrowser(browser: Browser): Promise<void> {
    if (this.#options.browserWSEndpoint) {
      // Not ours to kill: close only the pages we opened, then let go.
      await Promise.allSettled(
        [...this.#pages].map((page) => withTimeout(page.close(), gracefulCloseMs)),
      );
      await browser.disconnect().catch(() => {});
      this.#logger.debug(debugScope, 'disconnected from the browser');
      return;
    }
    const child = browser.process();
    try {
      // Puppeteer asks politely, waits for the process to exit, and kills the process group if
      // it must; the outer timeout guards against a wedged pipe.
      await withTimeout(browser.close(), gracefulCloseMs * 2);
    } catch (error) {
      this.#logger.debug(debugScope, `graceful close failed: ${messageOf(error)}`);
    }
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        killProcessGroup(child.pid);
        setTimeout(resolve, gracefulCloseMs).unref();
      });
    } else {
      // The main process is gone, but a helper it started a moment ago (a renderer still being
      // spawned when close() came mid-launch) can outlive it in the same process group.
      killProcessGroup(child?.pid);
    }
    this.#logger.debug(debugScope, `browser closed (pid ${child?.pid ?? '?'})`);
  }

  readonly #removeUserDataDirSync = (): void => {
    try {
      if (this.#userDataDir) rmSync(this.#userDataDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Exiting anyway; a stray temp folder is not worth a crash report.
    }
  };

  async #removeUserDataDir(): Promise<void> {
    const dir = this.#userDataDir;
    if (!dir) return;
    this.#userDataDir = undefined;
    process.off('exit', this.#removeUserDataDirSync);
    // Chromium's helpers may still be flushing files for a moment after the main process exits.
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(
      (error: unknown) => {
        this.#logger.debug(debugScope, `could not remove ${dir}: ${messageOf(error)}`);
      },
    );
  }
}

/** Temporary browser profiles are `briefgen-chrome-<pid>-<random>` in the temp folder. */
const profilePrefix = 'briefgen-chrome-';
const profilePattern = /^briefgen-chrome-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * Removes the browser profiles that runs killed with SIGKILL left in `dir` (about 2.4 MB each):
 * only those whose owning process is gone. Profiles without a pid in the name (older briefgen
 * versions) are left alone: there is no telling whose they are.
 */
export async function removeStaleProfiles(dir: string, logger: Logger = silentLogger): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const owner = profilePattern.exec(name)?.[1];
    if (owner === undefined || Number(owner) === process.pid || processAlive(Number(owner))) continue;
    const full = path.join(dir, name);
    await rm(full, { recursive: true, force: true, maxRetries: 2 }).then(
      () => removed.push(full),
      (error: unknown) => logger.debug(debugScope, `could not remove the stale profile ${full}: ${messageOf(error)}`),
    );
  }
  if (removed.length > 0) logger.debug(debugScope, `removed ${removed.length} browser profile(s) left by runs that were killed`);
  return removed;
}

function killProcessGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    // Puppeteer starts Chromium as a process-group leader on POSIX, so -pid reaches its helpers.
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One headless Chromium for a run, with a small pool of pages. Nothing starts until first use. */
export function createBrowserSession(options: BrowserSessionOptions = {}): BrowserSession {
  return new PooledBrowserSession(options);
}
