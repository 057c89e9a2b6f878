import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testdir } from './support/testdir.js';

/**
 * First contact, as a newcomer meets briefgen: the README's Quick start typed into a fresh clone
 * (not this working tree, which has node_modules and dist already), and the npm package installed
 * from its tarball into an empty folder with no network.
 */
const run = promisify(execFile);
const repo = new URL('..', import.meta.url).pathname;
const minutes = 60_000;

/** The shell commands of the README's Quick start block, comments stripped. */
export function quickStartCommands(readme: string): string[] {
  const section = /\n## Quick start\n([\s\S]*?)(?=\n## )/.exec(readme)?.[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

const sh = async (command: string, cwd: string, env: NodeJS.ProcessEnv = {}) => {
  try {
    return await run('bash', ['-c', command], { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
};

/**
 * npm honours a package's npm-shrinkwrap.json when it installs the package from a registry, placing
 * the locked dependencies under the package's own folder; from a tarball it resolves afresh, which
 * needs the registry. This writes, for an empty project that depends on the tarball, the lock such
 * a registry install arrives at, so the install can run offline from npm's cache.
 */
function writeRegistryLikeLock(project: string, tarball: string, shrinkwrapFile: string): void {
  const shrinkwrap = JSON.parse(readFileSync(shrinkwrapFile, 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const { dependencies, version, name, bin, engines, license } = shrinkwrap.packages['']! as Record<string, unknown>;
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'user', version: '1.0.0', dependencies: { [name as string]: spec } },
    [`node_modules/${name as string}`]: { version, resolved: spec, dependencies, bin, engines, license },
  };
  for (const [path, entry] of Object.entries(shrinkwrap.packages)) {
    if (path === '' || entry.dev) continue;
    packages[`node_modules/${name as string}/${path}`] = entry;
  }
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'user', version: '1.0.0', private: true, dependencies: { [name as string]: spec } }, null, 2)}\n`);
  writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify({ name: 'user', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
}

describe('first contact', () => {
  const work = testdir({});
  const clone = work.path('clone');
  afterAll(() => work.cleanup());

  beforeAll(async () => {
    await sh(`git clone --quiet ${JSON.stringify(repo)} ${JSON.stringify(clone)}`, tmpdir());
    // The clone is HEAD; bring over uncommitted edits of tracked files too, so the test sees the
    // tree under test. Untracked files stay behind, as they would in a real clone.
    const { stdout: diff } = await sh('git diff HEAD --binary', repo);
    if (diff.trim()) {
      writeFileSync(work.path('changes.patch'), diff);
      await sh(`git apply --whitespace=nowarn ${JSON.stringify(work.path('changes.patch'))}`, clone);
    }
  }, 2 * minutes);

  it('the README Quick start names exactly the set-up and test commands package.json has', () => {
    const commands = quickStartCommands(readFileSync(join(repo, 'README.md'), 'utf8'));
    expect(commands).toEqual(['npm run setup', 'npm test']);
    const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.setup).toBeDefined();
    expect(scripts.test).toBeDefined();
    // CI runs the same two commands, so they cannot drift apart unnoticed.
    const ci = readFileSync(join(repo, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm run setup\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  it('runs in a fresh clone: set-up builds the exec deck, then the test command runs', async () => {
    const [setup, test] = quickStartCommands(readFileSync(join(clone, 'README.md'), 'utf8'));
    expect(existsSync(join(clone, 'node_modules'))).toBe(false);
    await sh(setup!, clone);
    for (const lang of ['en', 'zh']) {
      const dir = join(clone, 'out', 'china-ai-2024', lang, 'exec');
      expect(readdirSync(dir)).toContain(`china-ai-2024-${lang}-exec.pdf`);
    }
    // The whole suite is what CI runs; here two quick files show that the command, its pretest
    // type-check and the test runner all work in the clone (and this file does not run itself).
    const { stdout } = await sh(`${test} -- test/compose/format.test.ts test/data/parse-source.test.ts`, clone);
    expect(stdout).toMatch(/Test Files\s+.*2 passed/);
  }, 6 * minutes);

  it('packs, installs from the tarball into an empty folder offline, and builds decks there', async () => {
    // Needs the clone's node_modules (the previous test installed them); dist is removed first so
    // the package must build it itself.
    if (!existsSync(join(clone, 'node_modules'))) await sh('npm ci --prefer-offline --no-audit --no-fund', clone);
    await sh('rm -rf dist', clone);
    const { stdout: packed } = await sh(`npm pack --json --pack-destination ${JSON.stringify(work.dir)}`, clone);
    const [info] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path);
    for (const needed of ['LICENSE', 'npm-shrinkwrap.json', 'NOTICE.md', 'README.md', 'package.json', 'bin/briefgen.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'schema/briefing.schema.json', 'templates/audiences/exec.yaml', 'content/china-ai-2024/en.yaml']) {
      expect(files, needed).toContain(needed);
    }
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^(scripts|test|src|bench|\.ci|\.github)\//.test(f))).toEqual([]);

    const user = work.path('user');
    mkdirSync(user);
    writeRegistryLikeLock(user, join(work.dir, info!.filename), join(clone, 'npm-shrinkwrap.json'));
    await sh('npm ci --offline --no-audit --no-fund', user);
    const exec = await sh('npx briefgen --audience exec --lang en', user);
    expect(exec.stderr).toMatch(/\d+ deck\(s\)/);
    expect(existsSync(join(user, 'out/china-ai-2024/en/exec/china-ai-2024-en-exec.pdf'))).toBe(true);
    // The programmatic API through the package's exports map, as `import 'briefgen'` sees it.
    const api = await sh(`node --input-type=module -e "const m = await import('briefgen'); console.log(typeof m.build, typeof m.briefingSchema)"`, user);
    expect(api.stdout.trim()).toBe('function object');
    const list = await sh('npx briefgen list', user);
    expect(list.stdout).toMatch(/exec/);
    const validate = await sh('npx briefgen validate --lang en', user);
    expect(validate.stderr).toMatch(/ok china-ai-2024\/en\/exec/);

    writeFileSync(join(user, 'mine.yaml'), [
      'meta: {id: mine, language: en, title: Harbour freight review, publishers: [Port Office], date: "2025-06"}',
      'summary: {headline: Volumes held up, points: [Throughput steady]}',
      'sections:',
      '  challenges: {title: Challenges, items: [{title: Berth congestion, text: Ships wait two days.}]}',
      '  trends: {title: Trends, items: [{title: Automation, text: Cranes go remote.}]}',
      '',
    ].join('\n'));
    await sh('npx briefgen --data mine.yaml --format pdf', user);
    const pdf = join(user, 'out/mine/en/exec/mine-en-exec.pdf');
    const { stdout: pdfInfo } = await sh(`pdfinfo ${JSON.stringify(pdf)}`, user);
    expect(Number(/Pages:\s+(\d+)/.exec(pdfInfo)?.[1])).toBeGreaterThan(1);
    const { stdout: text } = await sh(`pdftotext -enc UTF-8 ${JSON.stringify(pdf)} -`, user);
    // Reading order and spacing of the text layer are another test's business; the words are here.
    for (const word of ['Harbour', 'freight', 'review', 'Berth', 'congestion', 'Cranes']) expect(text).toContain(word);
  }, 8 * minutes);
});
