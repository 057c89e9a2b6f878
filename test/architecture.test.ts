import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house as drawn from the code's own imports: the build's stages in layers, each importing only
 * from the layers below it, no circles, one writer. A new import that breaks the drawing fails here.
 */
const src = resolve(new URL('../src', import.meta.url).pathname);

/** Layers from the bottom; a module is in the first layer whose pattern matches its path. */
const layers: Array<[string, RegExp]> = [
  ['foundation', /^(errors|log|warnings|version|shard)\.ts$|^util\//],
  ['schema', /^(schema|json-schema)\.ts$/],
  ['data', /^data\//],
  ['templates', /^templates\//],
  ['compose', /^compose\//],
  ['render', /^render\//],
  ['browser', /^browser\//],
  ['fit', /^fit\//],
  // Like fit, the PPTX export is page work handed to the browser's export as a hook (it reads the
  // fitted slides and takes pictures with the browser's PNG encoder), plus a pure writer of bytes:
  // above the browser, below output (it writes no file) and below the cache and build that call it.
  ['pptx', /^pptx\//],
  ['output', /^output\//],
  ['cache', /^cache\//],
  ['build types', /^build\/types\.ts$/],
  ['config', /^(option-table|settings|config-file|config)\.ts$/],
  ['build', /^build\//],
  ['dev', /^dev\//],
  ['cli', /^cli\//],
  ['api', /^index\.ts$/],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const modules = sourceFiles(src).map((file) => relative(src, file).split('\\').join('/')).sort();
const text = new Map(modules.map((m) => [m, readFileSync(join(src, m), 'utf8')]));
const layerOf = (module: string): number => {
  const index = layers.findIndex(([, pattern]) => pattern.test(module));
  if (index < 0) throw new Error(`src/${module} is in no layer of the drawing`);
  return index;
};

/** Relative imports of a module (static, type-only and dynamic), as module paths under src/. */
function importsOf(module: string): string[] {
  const found = new Set<string>();
  for (const match of text.get(module)!.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = relative(src, resolve(dirname(join(src, module)), match[1]!)).split('\\').join('/').replace(/\.js$/, '.ts');
    found.add(target);
  }
  return [...found].sort();
}

const graph = new Map(modules.map((m) => [m, importsOf(m)]));

describe('the drawn house (src/ imports)', () => {
  it('every module is in a layer, and every import names a module that exists', () => {
    for (const [module, targets] of graph) {
      layerOf(module);
      for (const target of targets) expect(modules, `${module} imports ${target}`).toContain(target);
    }
  });

  it('has no import circles', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (module: string, path: string[]): void => {
      if (state.get(module) === 'done') return;
      if (state.get(module) === 'open') {
        circles.push([...path.slice(path.indexOf(module)), module].join(' → '));
        return;
      }
      state.set(module, 'open');
      for (const target of graph.get(module) ?? []) visit(target, [...path, module]);
      state.set(module, 'done');
    };
    for (const module of modules) visit(module, []);
    expect(circles).toEqual([]);
  });

  it('has no upward arrows: a module imports only from its own layer or below', () => {
    const upward = [...graph].flatMap(([module, targets]) =>
      targets.filter((t) => layerOf(t) > layerOf(module)).map((t) => `${module} (${layers[layerOf(module)]![0]}) → ${t} (${layers[layerOf(t)]![0]})`),
    );
    expect(upward).toEqual([]);
  });

  it('only src/output/ writes files (the browser session only its temporary profile)', () => {
    const writes = /\b(writeFile|writeFileSync|appendFile|rename|renameSync|rm|rmSync|unlink|mkdir|mkdirSync|copyFile|createWriteStream|mkdtemp)\b\s*[,}(]/;
    const writers = modules.filter((m) => /from ['"]node:fs(\/promises)?['"]/.test(text.get(m)!) && text.get(m)!.split('\n').some((line) => /^import\b/.test(line) && /node:fs/.test(line) && writes.test(line)));
    expect(writers.filter((m) => !m.startsWith('output/') && m !== 'browser/session.ts')).toEqual([]);
  });

  it('the CLI only parses flags and calls the build; dev reaches data, compose and render only through build/', () => {
    const reaches = (prefix: string, banned: RegExp) => modules.filter((m) => m.startsWith(prefix)).flatMap((m) => graph.get(m)!.filter((t) => banned.test(t)).map((t) => `${m} → ${t}`));
    expect(reaches('cli/', /^(data|templates|compose|render|browser|fit|cache|output)\//)).toEqual([]);
    expect(reaches('dev/', /^(data|compose|render)\//)).toEqual([]);
  });
});
