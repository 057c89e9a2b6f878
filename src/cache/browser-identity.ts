import { stat } from 'node:fs/promises';
import type { BrowserSessionOptions } from '../browser/session.js';

/**
 * Which browser would export, for cache keys, found without starting it: the executable's path,
 * size and modification time (an upgrade in place changes them), or `remote` for a browser
 * service, whose version cannot be known without connecting. `none` when no browser is installed:
 * a later run with one then misses the cache rather than reusing files it did not make.
 */
export async function browserIdentity(options: BrowserSessionOptions = {}): Promise<string> {
  if (options.browserWSEndpoint) return 'remote';
  try {
    const path = options.executablePath ?? (await (await import('../browser/resolve-executable.js')).resolveExecutable()).path;
    const info = await stat(path);
    return `${path}:${info.size}:${Math.round(info.mtimeMs)}`;
  } catch {
    return 'none';
  }
}
