import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './io.js';
import { resolveBuildOptions, type BuildFlags } from '../config.js';
import { BriefgenError, ErrorCode, ExitCode } from '../errors.js';
import type { Logger } from '../log.js';
import { defaultDevPort } from '../dev/dev-port.js';
import { openUrl } from '../dev/open-url.js';

/**
 * briefgen's own compiled helper registry. It changes only while someone works on briefgen itself
 * (`tsc --watch` rewriting dist/), and then the preview follows it like any template.
 */
const builtInHelpers = fileURLToPath(new URL('../compose/helpers.js', import.meta.url));

/** The flags `briefgen dev` takes. */
export interface DevFlags extends Pick<BuildFlags, 'maxDataSize' | 'maxListItems' | 'maxStringLength' | 'maxYamlAliases' | 'maxDeckSlides'> {
  audience?: string;
  data?: string[];
  templates?: string;
  out?: string;
  lang?: string;
  port?: number;
  open?: boolean;
  browserWs?: string;
  /** `--no-fit`: measure and warn, shrink and re-split nothing (in the preview and its export). */
  fit?: boolean;
}

/** `briefgen dev`: serves the live preview until Ctrl-C, then closes the browser and exits 0. */
export async function runDev(flags: DevFlags, io: CliIo, logger: Logger): Promise<number> {
  const port = flags.port ?? defaultDevPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BriefgenError(ErrorCode.usage, `--port must be a whole number from 0 to 65535, not ${String(port)}`);
  }
  const options = resolveBuildOptions(flags, io.cwd, io.env);
  const [{ startDevServer }, { createFitMeasure }] = await Promise.all([import('../dev/dev-server.js'), import('../dev/fit-measure.js')]);
  const fitAuto = flags.fit !== false;
  const server = await startDevServer({
    data: options.data,
    templatesDir: options.templatesDir,
    outDir: options.outDir,
    audiences: options.audiences,
    languages: options.languages,
    projectRoot: options.projectRoot,
    browser: options.browser,
    helpersModule: existsSync(builtInHelpers) ? builtInHelpers : undefined,
    // Every rebuilt deck is measured and fitted as a build would; its export is a build's too.
    measure: createFitMeasure({ fitAuto, logger }),
    fit: { auto: fitAuto },
    ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
    port,
    logger,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  // The URL alone on stdout, so scripts can read it; everything else goes to the log (stderr).
  io.stdout(`${server.url}\n`);
  logger.info(`briefgen dev: watching ${options.templatesDir} and ${options.data.join(', ')}; Ctrl-C to stop`);
  if (flags.open) openUrl(server.url, (message) => logger.warn(message));
  await new Promise<void>((stop) => {
    const unsubscribe = io.onInterrupt?.(() => {
      unsubscribe?.();
      stop();
    });
  });
  await server.close();
  logger.info('briefgen dev: stopped');
  return ExitCode.ok;
}
