import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BriefgenError, ErrorCode } from '../errors.js';
import { mergeManifests, parseManifest, serializeManifest, writeManifest, type Manifest } from '../output/manifest.js';

/**
 * `briefgen merge-manifests`: reads the manifests of several runs (CI shards), named as the user
 * typed them (relative to `cwd`), and merges them; writes the result to `output` when given.
 */
export async function mergeManifestFiles(files: readonly string[], options: { cwd: string; output?: string }): Promise<{ manifest: Manifest; json: string }> {
  const manifests = [];
  for (const file of files) {
    const text = await readFile(resolve(options.cwd, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new BriefgenError(ErrorCode.usage, `cannot read ${file}: ${error.code ?? error.message}`);
    });
    manifests.push(parseManifest(text, file));
  }
  const manifest = mergeManifests(manifests, files);
  if (options.output) await writeManifest(resolve(options.cwd, options.output), manifest);
  return { manifest, json: serializeManifest(manifest) };
}
