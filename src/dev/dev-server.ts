import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative, resolve, sep } from 'node:path';
import { leaseBrowser, type OpenBrowser } from '../build/browser-lease.js';
import { exportAndWriteDeck } from '../build/export.js';
import { openOutputSession } from '../output/output-session.js';
import { checkDataPaths } from '../build/inputs.js';
import { allFormats, type InputLimits, type AudienceProfile, type BrowserSession, type BrowserSessionOptions, type BuildWarning, type Format, type RenderedDeck, type Selection } from '../build/types.js';
import { BriefgenError, ErrorCode, formatError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { renderDevPage } from './client-page.js';
import type { FitNote } from './fit-notes.js';
import { createLiveBuild, type LiveDeck, type LiveProblem } from './live-build.js';
import { watchPaths, type PathWatcher } from './watch-paths.js';
import { defaultDevPort } from './dev-port.js';

/** The port `briefgen dev` listens on unless told otherwise. */
export { defaultDevPort };

/** What a slide-fit measurer gets: one rendered deck. It runs on the dev server's warm browser. */
export interface DeckMeasureInput {
  key: string;
  rendered: RenderedDeck;
  profile: AudienceProfile;
  /** The whole live deck (its job, templates, and a way to re-split its lists). */
  deck: LiveDeck;
  /** Folders the deck may load files from, as the export's request guard has them. */
  allowedRoots: string[];
  /** Aborted when a newer version of the deck makes this measurement moot. */
  signal: AbortSignal;
}

export interface DeckMeasureResult {
  /**
   * Everything a build would warn about the deck (overflow, slide budget, blocked requests). Once
   * measured, these replace the warnings known without a browser.
   */
  warnings: BuildWarning[];
  /** CSS that fits the slides (as the export will), applied to the preview too. */
  css?: string;
  /** What fitting changed, and what the export does that the preview does not (re-split lists). */
  notes?: FitNote[];
}

/** Measures a deck in the browser (slide fit): the slide-fit module plugs in here. */
export type DeckMeasure = (session: BrowserSession, input: DeckMeasureInput) => Promise<DeckMeasureResult>;

export interface DevServerOptions {
  data: readonly string[];
  templatesDir: string;
  /** Where the export button writes (the usual `out/` layout). */
  outDir: string;
  audiences: Selection | 'default';
  languages: Selection;
  projectRoot: string;
  /** Default 127.0.0.1: the preview is for this machine only. */
  host?: string;
  /** Default 4173; 0 picks any free port. */
  port?: number;
  browser?: BrowserSessionOptions;
  /** Supplies the warm browser session (tests share one); default: `createBrowserSession`. */
  openBrowser?: OpenBrowser;
  /** Slide-fit measuring; without it, decks carry only the warnings known without a browser. */
  measure?: DeckMeasure;
  /** See `LiveBuildOptions.helpersModule`. */
  helpersModule?: string;
  /** Formats the export button writes; default all of them. */
  exportFormats?: ReadonlySet<Format>;
  /** Slide fit of the export: `auto: false` (`--no-fit`) measures only. Default auto. */
  fit?: { auto: boolean };
  /** `SOURCE_DATE_EPOCH` in seconds: the exported PDFs' dates, as a build would set them. */
  sourceDateEpoch?: number;
  debounceMs?: number;
  logger?: Logger;
  /** The limits on data and slides (`--max-…` flags), as a build has them. */
  limits?: Partial<InputLimits>;
}

export interface DevServer {
  url: string;
  port: number;
  /** Resolves once the changes seen so far are rebuilt and pushed (for tests and benchmarks). */
  idle(): Promise<void>;
  /** Stops watching, ends every connection and closes the browser. Idempotent. */
  close(): Promise<void>;
}

/** A problem as the page shows it: a file path relative to the project when it lies inside. */
export interface ProblemView {
  source: string;
  code: string;
  message: string;
  hint?: string;
  file?: string;
  line?: number;
  column?: number;
  dataPath?: string;
  excerpt?: string;
  decks?: string[];
}

export interface DeckView {
  key: string;
  title: string;
  version: number;
  slideCount: number;
  width: number;
  height: number;
  notes: string[];
  warnings: BuildWarning[];
  measuring: boolean;
  /** The slide fit's CSS for this version, once measured. */
  fitCss?: string;
  /** What slide fit did to this version, once measured. */
  fitNotes: FitNote[];
  buildMs: number;
}

export interface DevSnapshot {
  decks: DeckView[];
  problems: ProblemView[];
  busy: boolean;
}

interface Measurement extends DeckMeasureResult {
  version: number;
  controller?: AbortController;
  /** Measuring failed: the warnings known without a browser stand. */
  failed?: boolean;
}

interface EventClient {
  response: ServerResponse;
  deck?: string;
}

/**
 * Content-Security-Policy of the deck frame: the export loads nothing from the network, so neither
 * does the preview; what the export would block stays blank here too.
 */
const frameCsp = "default-src 'none'; img-src data: blob:; font-src data:; media-src data: blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

function viewOfProblem(problem: LiveProblem, projectRoot: string): ProblemView {
  const { error } = problem;
  const loc = error.location;
  let file = loc?.file;
  if (file && (file === projectRoot || file.startsWith(projectRoot + sep))) file = relative(projectRoot, file) || file;
  return {
    source: problem.source,
    code: error.code,
    message: error.message,
    hint: error.hint,
    file,
    line: loc?.line,
    column: loc?.column,
    dataPath: loc?.dataPath,
    excerpt: loc?.excerpt,
    decks: problem.decks,
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new BriefgenError(ErrorCode.port, `port ${port} on ${host} is already in use`, {
          hint: 'stop the other server, pass another --port, or --port 0 for any free port',
        }));
      } else if (error.code === 'EACCES') {
        reject(new BriefgenError(ErrorCode.port, `no permission to listen on port ${port}`, { hint: 'pick a port above 1023' }));
      } else reject(new BriefgenError(ErrorCode.port, `cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
    };
    const onListening = () => {
      server.off('error', onError);
      resolvePort((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Starts `briefgen dev`: builds the decks in memory, serves a page that shows them, watches the
 * data, templates, themes and helpers, and pushes every rebuild to the open pages (server-sent
 * events). A broken file never stops it: the page shows the error over the last good deck.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const projectRoot = resolve(options.projectRoot);
  if (options.data.includes('-')) throw new BriefgenError(ErrorCode.usage, 'briefgen dev cannot read data from standard input', { hint: 'pass a data file or folder with --data' });
  // The same check, and the same message, as a build's.
  await checkDataPaths(options.data);
  const live = createLiveBuild({ ...options, fitAuto: options.fit?.auto ?? true });
  const clients = new Set<EventClient>();
  const measurements = new Map<string, Measurement>();
  const announced = new Map<string, string>();
  let closing: Promise<void> | undefined;
  let busy = true;
  let pending = new Set<string>();
  let running: Promise<void> | undefined;
  let exportQueue: Promise<unknown> = Promise.resolve();
  // One browser for everyone: the warm-up, the measurements and the exports share its start.
  const lease = leaseBrowser({ logger, poolSize: 2, ...options.browser }, options.openBrowser);
  const getSession = (): Promise<BrowserSession> => lease.get();

  const snapshot = (): DevSnapshot => ({
    decks: live.decks().map((deck) => {
      const measured = measurements.get(deck.key);
      const fresh = measured?.version === deck.version && !measured.controller;
      return {
        key: deck.key,
        title: deck.job.report.briefing.meta.title,
        version: deck.version,
        slideCount: deck.deck.rendered.slideCount,
        width: deck.deck.rendered.width,
        height: deck.deck.rendered.height,
        notes: deck.deck.rendered.notes,
        warnings: fresh && !measured.failed ? measured.warnings : deck.deck.warnings,
        measuring: Boolean(options.measure) && !fresh,
        ...(fresh && measured.css ? { fitCss: measured.css } : {}),
        fitNotes: fresh ? (measured.notes ?? []) : [],
        buildMs: Math.round(deck.buildMs * 10) / 10,
      };
    }),
    problems: live.problems().map((problem) => viewOfProblem(problem, projectRoot)),
    busy,
  });

  const broadcast = (): void => {
    if (clients.size === 0) return;
    const message = `event: state\ndata: ${JSON.stringify(snapshot())}\n\n`;
    for (const client of clients) client.response.write(message);
  };

  /** Problems go to the terminal once each, as the CLI would print them. */
  const logProblems = (): void => {
    const now = new Map(live.problems().map((p) => [p.source, formatError(p.error)]));
    for (const [source, text] of now) if (announced.get(source) !== text) logger.warn(text);
    for (const source of announced.keys()) if (!now.has(source)) logger.info(`fixed: ${source}`);
    announced.clear();
    for (const [source, text] of now) announced.set(source, text);
  };

  const measure = (deck: LiveDeck): void => {
    const measurer = options.measure;
    if (!measurer || closing) return;
    measurements.get(deck.key)?.controller?.abort();
    const controller = new AbortController();
    measurements.set(deck.key, { version: deck.version, warnings: [], controller });
    void (async () => {
      try {
        const result = await measurer(await getSession(), { key: deck.key, rendered: deck.deck.rendered, profile: deck.job.profile, deck, allowedRoots: live.allowedRoots(), signal: controller.signal });
        if (controller.signal.aborted) return;
        measurements.set(deck.key, { version: deck.version, warnings: result.warnings, css: result.css, notes: result.notes });
      } catch (error) {
        if (controller.signal.aborted) return;
        logger.warn(`measuring ${deck.key} failed: ${error instanceof BriefgenError ? formatError(error) : (error as Error).message}`);
        measurements.set(deck.key, { version: deck.version, warnings: [], failed: true });
      }
      broadcast();
    })();
  };

  const runUpdate = async (changed: ReadonlySet<string> | 'all'): Promise<void> => {
    busy = true;
    const started = performance.now();
    const first = [...new Set([...clients].map((c) => c.deck).filter((key): key is string => Boolean(key)))];
    const result = await live.update(changed, {
      first,
      onDeck: (deck) => {
        broadcast();
        measure(deck);
      },
    });
    for (const key of result.removed) measurements.delete(key);
    busy = false;
    logProblems();
    if (result.rebuilt.length > 0) logger.info(`rebuilt ${result.rebuilt.join(', ')} in ${Math.round(performance.now() - started)} ms`);
    broadcast();
  };

  /** One update at a time; changes that arrive meanwhile are merged into the next one. */
  const schedule = (changed: ReadonlySet<string> | 'all'): Promise<void> => {
    if (changed === 'all') pending.add('\0all');
    else for (const path of changed) pending.add(path);
    running ??= (async () => {
      try {
        while (pending.size > 0) {
          const batch = pending;
          pending = new Set();
          await runUpdate(batch.has('\0all') ? 'all' : batch).catch((error: unknown) => {
            logger.warn(`rebuild failed: ${(error as Error).stack ?? String(error)}`);
          });
        }
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };

  const handleExport = async (url: URL, response: ServerResponse): Promise<void> => {
    const key = url.searchParams.get('deck') ?? '';
    const deck = live.deck(key);
    if (!deck) {
      sendJson(response, 404, { ok: false, error: { message: `no deck "${key}"` } });
      return;
    }
    const formats = options.exportFormats ?? new Set(allFormats);
    const started = performance.now();
    const date = options.sourceDateEpoch !== undefined ? new Date(options.sourceDateEpoch * 1000) : undefined;
    // The build's own per-deck export and writer: the files are the ones `briefgen build` writes,
    // under the output folder's lock, and out/manifest.json lists the deck's new files (a build
    // running into the same folder makes the export fail rather than wait).
    const task = exportQueue.then(async () => {
      const output = await openOutputSession(options.outDir, { deckDirs: [deck.deck.outputDir], manifest: { sourceDateEpoch: options.sourceDateEpoch }, logger, wait: false });
      try {
        return await exportAndWriteDeck(deck.deck, options.outDir, { formats, allowedRoots: live.allowedRoots(), fitAuto: options.fit?.auto ?? true, ...(date ? { date } : {}) }, { session: getSession, journal: output.journal }, logger);
      } finally {
        await output.close();
      }
    });
    exportQueue = task.catch(() => undefined);
    try {
      const result = await task;
      const ms = Math.round(performance.now() - started);
      const dir = relative(projectRoot, deck.deck.outputDir) || '.';
      const files = result.artifacts.map((a) => relative(options.outDir, resolve(options.outDir, a.path)));
      logger.info(`exported ${key} (v${deck.version}): ${files.length} files in ${ms} ms`);
      sendJson(response, 200, { ok: true, key, version: deck.version, dir, files, slides: result.slides, warnings: result.warnings, ...(result.fit ? { fit: result.fit } : {}), ms });
    } catch (error) {
      const message = error instanceof BriefgenError ? formatError(error) : (error as Error).message;
      logger.warn(`export of ${key} failed: ${message}`);
      sendJson(response, 500, { ok: false, error: { message } });
    }
  };

  let port = options.port ?? defaultDevPort;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`]);

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    // A page on another site may point a request here (or rebind a name to 127.0.0.1): answer
    // only requests addressed to this server, and only this server's own page may export.
    if (!allowedHosts().has(request.headers.host ?? '')) {
      sendJson(response, 403, { ok: false, error: { message: 'unexpected Host header' } });
      return;
    }
    // The request target is the client's to choose: `//[` or `//%` make new URL() throw, and a
    // throw here would end the whole server.
    let url: URL;
    try {
      url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    } catch {
      sendJson(response, 400, { ok: false, error: { message: 'malformed request target' } });
      return;
    }
    if (request.method === 'POST' && url.pathname === '/api/export') {
      const origin = request.headers.origin;
      if (origin && !allowedHosts().has(origin.replace(/^https?:\/\//, ''))) {
        sendJson(response, 403, { ok: false, error: { message: 'cross-origin export refused' } });
        return;
      }
      void handleExport(url, response);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { ok: false, error: { message: 'method not allowed' } });
      return;
    }
    switch (url.pathname) {
      case '/': {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        response.end(renderDevPage());
        return;
      }
      case '/frame': {
        const deck = live.deck(url.searchParams.get('deck') ?? '');
        if (!deck) {
          response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('no such deck (yet)');
          return;
        }
        // The version on <html> tells the page which build the frame holds.
        const html = deck.deck.rendered.html.replace(/<html\b/i, `<html data-briefgen-version="${deck.version}"`);
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': frameCsp,
          'x-briefgen-version': String(deck.version),
        });
        response.end(html);
        return;
      }
      case '/favicon.ico':
        response.writeHead(204);
        response.end();
        return;
      case '/api/state':
        sendJson(response, 200, snapshot());
        return;
      case '/api/events': {
        response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
        const client: EventClient = { response, deck: url.searchParams.get('deck') || undefined };
        clients.add(client);
        response.write(`retry: 500\nevent: state\ndata: ${JSON.stringify(snapshot())}\n\n`);
        request.on('close', () => clients.delete(client));
        return;
      }
      default:
        sendJson(response, 404, { ok: false, error: { message: 'not found' } });
    }
  };

  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      // Whatever one request does wrong, the preview stays up for the others.
      logger.warn(`request ${JSON.stringify(request.url ?? '')} failed: ${(error as Error).message}`);
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: { message: 'internal error' } });
      else response.end();
    }
  });
  port = await listen(server, port, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  // Proxies and idle sockets must not keep the stream quiet long enough to be dropped.
  const heartbeat = setInterval(() => {
    for (const client of clients) client.response.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  let watcher: PathWatcher | undefined;
  try {
    watcher = watchPaths(live.watchTargets(), {
      debounceMs: options.debounceMs ?? 30,
      onChange: (paths) => {
        logger.debug('dev', `changed: ${[...paths].map((p) => relative(projectRoot, p)).join(', ')}`);
        void schedule(paths);
      },
      onError: (error) => logger.warn(`watching files: ${error.message}`),
    });
    await schedule('all');
  } catch (error) {
    watcher?.close();
    server.close();
    throw error;
  }
  if (options.measure) void getSession().then((s) => s.withPage(async () => {})).catch((error: unknown) => logger.warn(`starting the browser: ${(error as Error).message}`));

  return {
    url,
    port,
    idle: async () => {
      while (running) await running;
    },
    close() {
      closing ??= (async () => {
        watcher?.close();
        clearInterval(heartbeat);
        for (const m of measurements.values()) m.controller?.abort();
        for (const client of clients) client.response.end();
        clients.clear();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        await running?.catch(() => undefined);
        await exportQueue;
        await lease.close();
      })();
      return closing;
    },
  };
}
