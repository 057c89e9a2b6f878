import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** briefgen's own folder (the package root), for its bundled templates and content. */
export const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** briefgen's version, from package.json. */
export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
