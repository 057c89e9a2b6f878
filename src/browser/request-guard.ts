import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HTTPRequest, Page } from 'puppeteer-core';

/** The body served for the base document (see {@link RequestGuardOptions.baseDocumentDir}). */
const emptyDocument = '<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>';

export interface RequestGuardOptions {
  /**
   * A folder whose `file://` URL, when the page navigates to it, is answered with an empty
   * document instead of a directory listing. Loading the deck into that document gives it a
   * `file:` origin, without which Chromium refuses every `file://` image, whatever the guard says.
   */
  baseDocumentDir?: string;
}

export interface RequestGuard {
  /** URLs aborted so far: unique, in first-seen order. */
  blockedUrls(): string[];
  /** Stops intercepting. Skip it when the page is about to be thrown away anyway. */
  dispose(): Promise<void>;
}

function fileUrlPath(url: string): string | undefined {
  try {
    return path.resolve(fileURLToPath(url));
  } catch {
    // A file URL with a remote host, or otherwise malformed: never ours to load.
    return undefined;
  }
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Whether `url` may load: `data:` URIs, `about:blank`, and `file://` URLs at or below one of
 * `allowedRoots`. Lexical only; {@link installRequestGuard} also follows symlinks.
 */
export function isAllowedUrl(url: string, allowedRoots: readonly string[]): boolean {
  if (url === 'about:blank' || url.startsWith('data:')) return true;
  if (!url.startsWith('file:')) return false;
  const file = fileUrlPath(url);
  return file !== undefined && allowedRoots.some((root) => isInside(file, path.resolve(root)));
}

async function realpathOrSelf(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    return file;
  }
}

/**
 * Intercepts every request of `page`: allowed URLs continue, everything else is aborted and
 * remembered. A symlink under an allowed root that points outside every root is blocked too.
 */
export async function installRequestGuard(
  page: Page,
  allowedRoots: readonly string[],
  options: RequestGuardOptions = {},
): Promise<RequestGuard> {
  const roots = allowedRoots.map((root) => path.resolve(root));
  const realRoots = Promise.all(roots.map(realpathOrSelf));
  const baseDir = options.baseDocumentDir && path.resolve(options.baseDocumentDir);
  const blocked = new Set<string>();

  const block = (request: HTTPRequest): Promise<void> => {
    blocked.add(request.url());
    return request.abort('blockedbyclient');
  };

  /** Only file: URLs that passed the lexical check get here. */
  const answerFile = async (request: HTTPRequest, file: string): Promise<void> => {
    if (
      baseDir !== undefined &&
      request.isNavigationRequest() &&
      request.frame() === page.mainFrame() &&
      file === baseDir
    ) {
      return request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: emptyDocument });
    }
    const real = await realpathOrSelf(file);
    if ((await realRoots).some((root) => isInside(real, root))) return request.continue();
    return block(request);
  };

  const onRequest = (request: HTTPRequest): void => {
    const url = request.url();
    const file = url.startsWith('file:') ? fileUrlPath(url) : undefined;
    const answer = !isAllowedUrl(url, roots)
      ? block(request)
      : file !== undefined
        ? answerFile(request, file)
        : request.continue();
    // The page may have closed or navigated away meanwhile; then nothing is left to answer.
    answer.catch(() => {});
  };

  page.on('request', onRequest);
  await page.setRequestInterception(true);

  return {
    blockedUrls: () => [...blocked],
    dispose: async () => {
      // Interception off first: a request arriving in between would otherwise wait forever.
      if (!page.isClosed()) await page.setRequestInterception(false);
      page.off('request', onRequest);
    },
  };
}
