import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { parse } from 'yaml';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const marpCliDir = dirname(require.resolve('@marp-team/marp-cli/package.json'));

/** The real-deck fixtures: the folder a presenter runs the command in, and the deck inside it. */
export interface FixtureDeck {
  name: string;
  /** The deck's project folder (where its `.marprc.yml` is), under {@link fixtureRoot} or absolute; both tools run in it. */
  project: string;
  /** The deck, relative to `project`. */
  deck: string;
}

export const fixtureRoot = resolve('test/fixtures/marp-decks');

export const fixtureDecks: FixtureDeck[] = [
  { name: 'marp-cli-example', project: 'marp-cli-example', deck: 'PITCHME.md' },
  { name: 'pwr-template', project: 'pwr-template', deck: 'slides/slide-deck.md' },
  { name: 'graph-paper', project: 'graph-paper', deck: 'template.md' },
  { name: 'hoishing-astrology', project: 'hoishing-astrology', deck: 'astrology.md' },
  { name: 'hoishing-marp', project: 'hoishing-marp', deck: 'marp.md' },
  { name: 'gs-mark2slides', project: 'gs-mark2slides', deck: 'example.md' },
  { name: 'marp-core-example', project: 'marp-core-example', deck: 'example.md' },
  { name: 'sui-marp-template', project: 'sui-marp-template', deck: 'src/demo/index.md' },
];

/** A package folder as Marp CLI's own engine resolves it (its nested copies first). */
function marpCliPackage(name: string): string {
  return dirname(require.resolve(`${name}/package.json`, { paths: [join(marpCliDir, 'node_modules', '@marp-team', 'marp-core'), marpCliDir] }));
}

/**
 * Marp CLI 4.5 as its users run it, made to work offline the way the issue asks: its own engine
 * (marp-core 4.4), with Twemoji and KaTeX's fonts served from local packages instead of CDNs. The
 * deck's own `.marprc.yml` is kept (paths made absolute, since the config we write lives elsewhere).
 */
export async function renderWithMarpCli(fixture: FixtureDeck, outDir: string, browserPath: string): Promise<string[]> {
  const project = resolve(fixtureRoot, fixture.project);
  const rcFile = join(project, '.marprc.yml');
  const rc = existsSync(rcFile) ? (parse(readFileSync(rcFile, 'utf8')) as Record<string, unknown>) : {};
  const absolute = (p: unknown) => (typeof p === 'string' && !isAbsolute(p) ? resolve(project, p) : p);
  const twemoji = `${pathToFileURL(dirname(dirname(require.resolve('@twemoji/svg/package.json')))).href}/`;
  const katexFonts = `${pathToFileURL(join(marpCliPackage('katex'), 'dist', 'fonts')).href}/`;
  const options = (rc.options ?? {}) as Record<string, unknown>;
  const config = {
    ...rc,
    ...(rc.themeSet ? { themeSet: Array.isArray(rc.themeSet) ? rc.themeSet.map(absolute) : absolute(rc.themeSet) } : {}),
    ...(rc.theme ? { theme: existsSync(resolve(project, String(rc.theme))) ? absolute(rc.theme) : rc.theme } : {}),
    output: undefined,
    allowLocalFiles: true,
    // Marp CLI prefers a marp-core installed beside the deck (here: briefgen's marp-core 5); its users
    // get the one it ships, so name that one.
    engine: join(marpCliPackage('@marp-team/marp-core'), 'lib', 'marp.js'),
    options: { ...options, emoji: { twemoji: { base: twemoji, ext: 'svg' } }, math: { katexFontPath: katexFonts } },
  };
  mkdirSync(outDir, { recursive: true });
  const configFile = join(outDir, 'marp-oracle.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const args = [join(marpCliDir, 'marp-cli.js'), '--config-file', configFile, '--no-stdin', '--images', 'png', '--parallel', '1', '--browser-path', browserPath, fixture.deck, '-o', join(outDir, 'slide.png')];
  await run(process.execPath, args, { cwd: project, env: { ...process.env, CHROME_NO_SANDBOX: '1' }, timeout: 120_000 }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`Marp CLI failed on ${fixture.name}: ${error.stderr ?? error.message}`);
  });
  return pngsIn(outDir);
}

/** PNG files of a folder in slide order (both tools number them with zero padding). */
export function pngsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => join(dir, f));
}

export interface SlideDifference {
  slide: number;
  size: [number, number];
  otherSize: [number, number];
  /** Share of pixels that differ (pixelmatch, threshold 0.1), 1 when the sizes differ. */
  ratio: number;
}

export function compareSlides(ours: readonly string[], theirs: readonly string[]): SlideDifference[] {
  return ours.map((file, index) => {
    const a = PNG.sync.read(readFileSync(file));
    const other = theirs[index];
    if (!other) return { slide: index + 1, size: [a.width, a.height], otherSize: [0, 0], ratio: 1 };
    const b = PNG.sync.read(readFileSync(other));
    if (a.width !== b.width || a.height !== b.height) return { slide: index + 1, size: [a.width, a.height], otherSize: [b.width, b.height], ratio: 1 };
    const differing = pixelmatch(a.data, b.data, undefined, a.width, a.height, { threshold: 0.1 });
    return { slide: index + 1, size: [a.width, a.height], otherSize: [b.width, b.height], ratio: differing / (a.width * a.height) };
  });
}
