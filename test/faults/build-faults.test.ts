import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../../src/build/inputs.js';
import { planRun } from '../../src/build/plan.js';
import { testdir } from '../support/testdir.js';

/**
 * The fault suite (`npm run test:faults`): real builds of the shipped decks (all of them),
 * interrupted with SIGINT and killed with SIGKILL at random moments, and run two at a time into one
 * output folder. After every run, everything in out/ is checked as a CI step would: the manifest's
 * sha256s, every PDF with pdfinfo, every PNG decoded. FAULT_SEED replays a run; FAULT_INTERRUPTS,
 * FAULT_KILLS and FAULT_PAIRS set how many of each.
 */
const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
const counts = {
  interrupts: Number(process.env.FAULT_INTERRUPTS ?? 8),
  kills: Number(process.env.FAULT_KILLS ?? 8),
  pairs: Number(process.env.FAULT_PAIRS ?? 2),
};
const bin = new URL('../../bin/briefgen.js', import.meta.url).pathname;
const repo = new URL('../..', import.meta.url).pathname;

/** mulberry32: a small seeded generator, so a failing run can be replayed with FAULT_SEED. */
function rng(start: number): () => number {
  let a = start >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ppidOf = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
};
/** Live descendants of `root`: the build's browser and its helpers. */
function descendants(root: number): number[] {
  const all = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const pid of all) if (!tree.has(pid) && tree.has(ppidOf(pid))) (tree.add(pid), (grew = true));
  }
  tree.delete(root);
  return [...tree];
}
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

interface Totals {
  checks: number;
  listed: number;
  pdfs: number;
  pngs: number;
  lies: string[];
  broken: string[];
  leftTemp: number;
  leftLocks: number;
  leftProfiles: number;
  orphans: number;
}
const totals: Totals = { checks: 0, listed: 0, pdfs: 0, pngs: 0, lies: [], broken: [], leftTemp: 0, leftLocks: 0, leftProfiles: 0, orphans: 0 };
/** Decoded PNGs and parsed PDFs, by path, size and mtime: a file unchanged since its last check is not decoded again. */
const checkedFiles = new Set<string>();

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Everything in out/, as CI would check it: the manifest true, every PDF parses, every PNG decodes. */
function checkOut(out: string, when: string): { decks: number; temp: string[]; lock: boolean } {
  totals.checks += 1;
  const files = walk(out);
  const manifestFile = join(out, 'manifest.json');
  let decks = 0;
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { decks: Array<{ key: string; slides: number; artifacts: Array<{ path: string; kind: string; size: number; sha256: string; pages: number }> }> };
    decks = manifest.decks.length;
    for (const deck of manifest.decks) {
      for (const artifact of deck.artifacts) {
        totals.listed += 1;
        const file = join(out, artifact.path);
        const bytes = existsSync(file) ? readFileSync(file) : undefined;
        if (!bytes || bytes.byteLength !== artifact.size || createHash('sha256').update(bytes).digest('hex') !== artifact.sha256) totals.lies.push(`${when}: ${artifact.path}`);
        if (artifact.kind === 'pdf' && bytes) {
          const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout)?.[1]);
          if (pages !== deck.slides) totals.broken.push(`${when}: ${artifact.path} has ${pages} pages for ${deck.slides} slides`);
        }
      }
    }
  }
  for (const file of files) {
    const info = statSync(file);
    const id = `${file}\0${info.size}\0${info.mtimeMs}`;
    if (checkedFiles.has(id)) continue;
    if (file.endsWith('.pdf')) {
      totals.pdfs += 1;
      const result = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
      if (result.status !== 0) totals.broken.push(`${when}: ${relative(out, file)}: pdfinfo: ${result.stderr.trim()}`);
    } else if (file.endsWith('.png')) {
      totals.pngs += 1;
      try {
        const png = PNG.sync.read(readFileSync(file));
        if (png.width !== 1280 || png.height !== 720) totals.broken.push(`${when}: ${relative(out, file)} is ${png.width}x${png.height}`);
      } catch (error) {
        totals.broken.push(`${when}: ${relative(out, file)}: ${(error as Error).message}`);
      }
    }
    checkedFiles.add(id);
  }
  return { decks, temp: files.filter((f) => f.endsWith('.tmp')), lock: existsSync(join(out, '.briefgen.lock')) };
}

interface Run {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
  flags: string[];
}

function start(out: string, cache: string, flags: string[]): Run {
  const child = spawn(process.execPath, [bin, ...flags, '--out', out, '--cache-dir', cache], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1', SOURCE_DATE_EPOCH: '' } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A SIGINT that lands before node runs any JavaScript ends it by the signal, as the shell reports
  // with 130 too: nothing had started.
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : signal ? -1 : null))));
  return { child, exit, stderr: () => stderr, flags };
}

/** A random build: all audiences mostly, sometimes a few; with the cache, forced, or without it. */
const randomFlags = (): string[] => [...pick([['-a', 'all'], ['-a', 'all'], ['-a', 'all'], ['-a', 'exec'], ['-a', 'policy,public']]), ...pick([[], ['--force'], ['--force'], ['--no-cache']])];

/** Waits for the run's browser to go; the number still alive after 10 s is counted (and ended). */
async function browserGone(pids: number[]): Promise<void> {
  for (let i = 0; i < 100 && pids.some(alive); i += 1) await sleep(100);
  const left = pids.filter(alive);
  totals.orphans += left.length;
  for (const pid of left) process.kill(pid, 'SIGKILL');
}

/** Waits `ms`, noting the run's descendants as late as possible before the signal. */
async function sampleUntil(run: Run, ms: number): Promise<{ pids: number[]; finished: boolean }> {
  const deadline = Date.now() + ms;
  let pids: number[] = [];
  while (Date.now() < deadline) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) return { pids, finished: true };
    pids = [...new Set([...pids, ...descendants(run.child.pid!)])];
    await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
  }
  return { pids, finished: run.child.exitCode !== null };
}

describe('fault suite: real builds of the shipped decks, interrupted, killed and run concurrently', () => {
  const t = testdir({});
  const out = t.path('out');
  const cache = t.path('cache');
  const spawned: number[] = [];
  const stopMs: number[] = [];
  const story = { interruptedMidway: 0, finishedFirst: 0, killedMidway: 0, killedLate: 0, pairs: 0, pairKills: 0 };
  afterAll(() => t.cleanup());

  it(`survives ${counts.interrupts} SIGINTs at random moments: exit 130, browser closed, nothing left behind, out/ true`, async () => {
    // First a complete build: from then on out/ has a manifest that every fault could make lie.
    const first = start(out, cache, ['-a', 'all']);
    expect(await first.exit, first.stderr()).toBe(0);
    checkOut(out, 'after the first build');
    for (let i = 0; i < counts.interrupts; i += 1) {
      const run = start(out, cache, randomFlags());
      spawned.push(run.child.pid!);
      const { pids, finished } = await sampleUntil(run, 150 + random() * 15_000);
      const signalled = Date.now();
      if (!finished) run.child.kill('SIGINT');
      const code = await run.exit;
      if (finished || code === 0) story.finishedFirst += 1;
      else {
        story.interruptedMidway += 1;
        stopMs.push(Date.now() - signalled);
      }
      expect([0, 130], `run ${i} (${run.flags.join(' ')}): ${run.stderr()}`).toContain(code);
      await browserGone(pids);
      const state = checkOut(out, `after SIGINT ${i}`);
      expect(state.temp, 'a clean exit leaves no temporary file').toEqual([]);
      expect(state.lock, 'a clean exit releases the lock').toBe(false);
      expect(totals.lies).toEqual([]);
      expect(totals.broken).toEqual([]);
    }
    expect(totals.orphans).toBe(0);
  }, 600_000);

  it(`survives ${counts.kills} SIGKILLs at random moments: out/ true, and the next run clears what the killed one left`, async () => {
    for (let i = 0; i < counts.kills; i += 1) {
      const run = start(out, cache, randomFlags());
      spawned.push(run.child.pid!);
      const { pids, finished } = await sampleUntil(run, 150 + random() * 15_000);
      run.child.kill('SIGKILL');
      const code = await run.exit;
      if (finished || code === 0) story.killedLate += 1;
      else story.killedMidway += 1;
      await browserGone(pids);
      const state = checkOut(out, `after SIGKILL ${i}`);
      if (state.lock) totals.leftLocks += 1;
      totals.leftTemp += state.temp.length;
      if (readdirSync(tmpdir()).some((name) => name.startsWith(`briefgen-chrome-${run.child.pid}-`))) totals.leftProfiles += 1;
      expect(totals.lies).toEqual([]);
      expect(totals.broken).toEqual([]);
    }
    expect(totals.orphans).toBe(0);
  }, 600_000);

  it(`serialises ${counts.pairs} pairs of concurrent builds into one out/, and one pair whose first run is killed`, async () => {
    for (let i = 0; i < counts.pairs; i += 1) {
      // The first of the pair has a whole export to do, so the second certainly finds the folder busy.
      const a = start(out, cache, ['-a', 'all', '--force']);
      await sleep(random() * 300);
      const b = start(out, cache, randomFlags());
      spawned.push(a.child.pid!, b.child.pid!);
      const [codeA, codeB] = await Promise.all([a.exit, b.exit]);
      expect(codeA, a.stderr()).toBe(0);
      expect(codeB, b.stderr()).toBe(0);
      expect(`${a.stderr()}${b.stderr()}`).toMatch(/waiting for the briefgen run in process \d+/);
      story.pairs += 1;
      checkOut(out, `after pair ${i}`);
      expect(totals.lies).toEqual([]);
      expect(totals.broken).toEqual([]);
    }
    // The first run of the pair holds the lock when it is killed: the second takes the stale lock over.
    const a = start(out, cache, ['-a', 'all', '--force']);
    await sleep(1500 + random() * 2000);
    const b = start(out, cache, randomFlags());
    spawned.push(a.child.pid!, b.child.pid!);
    await sleep(300);
    const pids = descendants(a.child.pid!);
    a.child.kill('SIGKILL');
    await a.exit;
    await browserGone(pids);
    expect(await b.exit, b.stderr()).toBe(0);
    story.pairKills += 1;
    checkOut(out, 'after the pair with a kill');
    expect(totals.lies).toEqual([]);
    expect(totals.broken).toEqual([]);
  }, 600_000);

  it('ends with a clean build: every deck listed and true, no lock, no temporary file, no profile of a killed run', async () => {
    const run = start(out, cache, ['-a', 'all']);
    expect(await run.exit, run.stderr()).toBe(0);
    const state = checkOut(out, 'after the final build');
    // Every deck of the shipped content, as many as `-a all` plans (reports × languages × audiences).
    const inputs = await loadInputs({ data: [join(repo, 'content')], templatesDir: join(repo, 'templates'), projectRoot: repo });
    expect(state.decks).toBe(planRun(inputs.reports, inputs.templates, 'all', 'all').jobs.length);
    expect(state.temp).toEqual([]);
    expect(state.lock).toBe(false);
    const profiles = readdirSync(tmpdir()).filter((name) => spawned.some((pid) => name.startsWith(`briefgen-chrome-${pid}-`)));
    expect(profiles).toEqual([]);
    expect(totals.lies).toEqual([]);
    expect(totals.broken).toEqual([]);
    expect(totals.orphans).toBe(0);

    const sorted = [...stopMs].sort((x, y) => x - y);
    const s = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
    console.log(
      [
        `fault suite, seed ${seed} (FAULT_SEED=${seed} replays it):`,
        `  SIGINT: ${counts.interrupts} runs, ${story.interruptedMidway} stopped mid-build (exit 130 after ${s(sorted[0])} to ${s(sorted.at(-1))}, median ${s(sorted[Math.floor(sorted.length / 2)])}), ${story.finishedFirst} finished first`,
        `  SIGKILL: ${counts.kills} runs, ${story.killedMidway} killed mid-build, ${story.killedLate} after finishing; left behind: ${totals.leftProfiles} browser profiles, ${totals.leftLocks} locks, ${totals.leftTemp} temporary files, all cleared by later runs`,
        `  concurrent: ${story.pairs} pairs serialised by the lock, ${story.pairKills} pair whose lock holder was killed and taken over`,
        `  checked out/ ${totals.checks} times: ${totals.listed} manifest entries against their sha256, ${totals.pdfs} PDFs parsed, ${totals.pngs} PNGs decoded; ${totals.lies.length} lies, ${totals.broken.length} broken files, ${totals.orphans} browser processes outliving their run`,
      ].join('\n'),
    );
  }, 300_000);
});
