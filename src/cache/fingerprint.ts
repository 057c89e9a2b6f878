import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version } from '../version.js';

/** The folder of briefgen's running code: `dist/` when installed, `src/` under a test runner. */
const codeRoot = fileURLToPath(new URL('..', import.meta.url));

/** Packages whose version shapes an export beyond the HTML (which the key hashes itself). */
const exportPackages = ['puppeteer-core', 'pdf-lib'] as const;

async function codeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await codeFiles(full)));
    else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}

/** The `version` of an installed package, found from its entry point; `unknown` when absent. */
export async function packageVersion(name: string): Promise<string> {
  try {
    const require = createRequire(import.meta.url);
    let dir: string;
    try {
      dir = dirname(require.resolve(`${name}/package.json`));
    } catch {
      // Packages whose `exports` hide package.json: walk up from the entry point instead.
      dir = dirname(require.resolve(name));
    }
    for (let i = 0; i < 8; i += 1) {
      const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
      if (text) {
        const pkg = JSON.parse(text) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? 'unknown';
      }
      dir = dirname(dir);
    }
  } catch {
    // Not installed: the key records that as a value of its own.
  }
  return 'unknown';
}

/**
 * A hash of the code under `root` (`.js` and `.ts` files, not declarations) and of the versions of
 * the export-stage packages. Pure apart from reading the files.
 */
export async function codeFingerprint(root: string): Promise<string> {
  const hash = createHash('sha256').update(`briefgen ${version}\n`);
  const files = (await codeFiles(root)).map((file) => relative(root, file).split('\\').join('/')).sort();
  for (const file of files) {
    hash.update(`${file}\n`);
    hash.update(await readFile(join(root, file)));
    hash.update('\n');
  }
  for (const name of exportPackages) hash.update(`${name}@${await packageVersion(name)}\n`);
  return hash.digest('hex');
}

let cached: Promise<string> | undefined;

/**
 * What briefgen itself brings to an export: its version, the content of its own code files (so a
 * development build with an unchanged version number still invalidates the cache), and the
 * versions of the export-stage packages. Computed once per process.
 */
export function briefgenFingerprint(): Promise<string> {
  cached ??= codeFingerprint(codeRoot);
  return cached;
}
