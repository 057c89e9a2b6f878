import { resolve } from 'node:path';
import { resolveLimits, type InputLimits } from '../data/limits.js';
import { dataBudget, readDataFile } from '../data/read-source.js';
import { mergeManifests, parseManifest, serializeManifest, writeManifest, type Manifest } from '../output/manifest.js';

/**
 * `briefgen merge-manifests`: reads the manifests of several runs (CI shards), named as the user
 * typed them (relative to `cwd`), and merges them; writes the result to `output` when given.
 */
export async function mergeManifestFiles(files: readonly string[], options: { cwd: string; output?: string; limits?: Partial<InputLimits> }): Promise<{ manifest: Manifest; json: string }> {
  const manifests = [];
  // Bounded like data: a manifest "file" that is /dev/zero or a pipe must not fill the memory.
  const budget = dataBudget(resolveLimits(options.limits).dataBytes);
  for (const file of files) {
    const text = await readDataFile(resolve(options.cwd, file), budget, 'manifest');
    manifests.push(parseManifest(text, file));
  }
  const manifest = mergeManifests(manifests, files);
  if (options.output) await writeManifest(resolve(options.cwd, options.output), manifest);
  return { manifest, json: serializeManifest(manifest) };
}
