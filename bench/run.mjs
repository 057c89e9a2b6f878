// npm run bench [-- --quick] [-- --rounds N] [-- --browser PATH]
//
// Builds the shipped decks with briefgen (cold), and in the same run, alternating, converts the
// very same Marp Markdown with Marp CLI and with a naive reference script, all on one browser
// binary. Then: warm rebuild, cost per deck at 5/20/60 decks, one 240-slide deck, peak memory and
// where the time goes. Writes bench/RESULTS.md (--quick: bench/.work/run/RESULTS-quick.md, one
// round, no Marp CLI on the long deck) and prints it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findFiles, longDeck, reportCopies, snapshot, totalBytes } from './lib/fixtures.mjs';
import { measure, median } from './lib/measure.mjs';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    browser: { type: 'string' },
  },
});
const quick = flags.quick;
const rounds = Number(flags.rounds ?? (quick ? 1 : 3));
const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const work = path.join(root, 'bench', '.work', 'run');
if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first (npm run bench does)');
  process.exit(2);
}

const browserPath = await (async () => {
  if (flags.browser) return flags.browser;
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  // The browser briefgen itself would pick; every tool then runs on that one binary.
  const { resolveExecutable } = await import(new URL('../dist/browser/resolve-executable.js', import.meta.url).href);
  return (await resolveExecutable()).path;
})();
const node = process.execPath;
const briefgenBin = path.join(root, 'bin', 'briefgen.js');
const marpBin = path.join(root, 'node_modules', '@marp-team', 'marp-cli', 'marp-cli.js');
const marpConfig = path.join(root, 'bench', 'marp-cli.config.mjs');
const referenceScript = path.join(root, 'bench', 'reference.mjs');
const startedAt = performance.now();
const loadBefore = os.loadavg();

const log = (message) => console.error(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${message}`);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const inputs = path.join(work, 'inputs');
const templates = snapshot(path.join(root, 'templates'), path.join(inputs, 'templates'));
const content = snapshot(path.join(root, 'content'), path.join(inputs, 'content'));
const themes = path.join(templates, 'themes');

const baseEnv = { ...process.env, CI: '1', NO_COLOR: '1' };
delete baseEnv.BRIEFGEN_BROWSER_WS;
const briefgenEnv = { ...baseEnv, BRIEFGEN_CHROME_PATH: browserPath, DEBUG: 'briefgen:timing,briefgen:browser' };
// Marp CLI: same browser, no sandbox (we may be root), no GPU, as briefgen launches it.
const marpEnv = { ...baseEnv, CHROME_PATH: browserPath, CHROME_NO_SANDBOX: '1', CHROME_DISABLE_GPU: '1' };

const results = { runs: [] };

async function run(label, command, args, options = {}) {
  const outcome = await measure(command, args, { cwd: work, env: baseEnv, timeoutMs: 600_000, ...options });
  const status = outcome.ok ? 'ok' : outcome.timedOut ? 'TIMED OUT' : `exit ${outcome.code}`;
  log(`${label}: ${(outcome.wallMs / 1000).toFixed(1)} s wall, ${(outcome.cpuMs / 1000).toFixed(1)} s CPU, peak ${mib(outcome.peakPssBytes)} MiB PSS / ${mib(outcome.peakRssBytes)} MiB RSS (${status})`);
  if (!outcome.ok && !options.mayFail) {
    console.error(outcome.stderr.slice(-3000));
    throw new Error(`${label} failed (${status})`);
  }
  results.runs.push({ label, ...outcome, stdout: undefined, stderr: undefined });
  return outcome;
}

const mib = (bytes) => Math.round(bytes / 1024 / 1024);
const seconds = (ms) => (ms === null || ms === undefined ? 'n/a' : (ms / 1000).toFixed(2));

/** `DEBUG=briefgen:timing` lines → { stage: ms } (export stages summed over decks). */
function parseTimings(stderr) {
  const stages = {};
  for (const match of stderr.matchAll(/^briefgen:timing (\w+) (\{.*\})$/gm)) {
    const data = JSON.parse(match[2]);
    if (match[1] === 'export') {
      for (const [k, v] of Object.entries(data)) if (k.endsWith('Ms')) stages[k.slice(0, -2)] = v;
    } else {
      stages[match[1]] = data.ms;
    }
  }
  const ready = /^briefgen:browser browser ready in (\d+) ms/m.exec(stderr);
  if (ready) stages.launch = Number(ready[1]);
  return stages;
}

function briefgenBuild(label, { data, out, cache, extra = [] }) {
  return run(label, node, [briefgenBin, 'build', '--json', '-a', 'all', '-l', 'all', '-d', data, '-t', templates, '-o', out, '--cache-dir', cache, ...extra], { env: briefgenEnv });
}

const summaryOf = (outcome) => JSON.parse(outcome.stdout);
const slidesOf = (outcome) => summaryOf(outcome).decks.reduce((n, d) => n + d.slides, 0);

// 1. The Markdown every tool converts: briefgen's own output (after fitting), collected flat.
log(`inputs frozen in ${path.relative(root, inputs)}; ${rounds} round(s)${quick ? ' (quick)' : ''}`);
const prep = await briefgenBuild('prepare (briefgen, cold, untimed)', { data: content, out: path.join(work, 'prep', 'out'), cache: path.join(work, 'prep', 'cache') });
const shipped = summaryOf(prep).decks;
const shippedSlides = slidesOf(prep);
const mdDir = path.join(work, 'md');
mkdirSync(mdDir, { recursive: true });
for (const file of findFiles(path.join(work, 'prep', 'out'), '.md')) cpSync(file, path.join(mdDir, path.basename(file)));
const mdFiles = findFiles(mdDir, '.md');
log(`shipped: ${shipped.length} decks, ${shippedSlides} slides`);

const marpArgs = (format, out, extra = []) => [marpBin, '--config', marpConfig, '--theme-set', themes, '--browser-path', browserPath, ...format, ...extra, '-I', mdDir, '-o', out];

const tools = {
  async briefgen(r) {
    const dir = path.join(work, `r${r}`, 'briefgen');
    const cold = await briefgenBuild(`round ${r} briefgen cold`, { data: content, out: path.join(dir, 'out'), cache: path.join(dir, 'cache') });
    const warm = await briefgenBuild(`round ${r} briefgen warm`, { data: content, out: path.join(dir, 'out'), cache: path.join(dir, 'cache') });
    const restored = summaryOf(warm).decks.filter((d) => d.cached).length;
    // The same cold build without the PPTX: what the PowerPoint files cost (issue 16: at most 15 %).
    const noPptx = await briefgenBuild(`round ${r} briefgen cold, no PPTX`, { data: content, out: path.join(dir, 'out-no-pptx'), cache: path.join(dir, 'cache-no-pptx'), extra: ['-f', 'pdf,png,html,md'] });
    return { cold, warm, noPptx, restored, timings: parseTimings(cold.stderr), pngBytes: totalBytes(findFiles(path.join(dir, 'out'), '.png')), pptxBytes: totalBytes(findFiles(path.join(dir, 'out'), '.pptx')) };
  },
  async marp(r) {
    const out = path.join(work, `r${r}`, 'marp');
    const pdf = await run(`round ${r} Marp CLI --pdf`, node, marpArgs(['--pdf'], out), { env: marpEnv });
    // Marp CLI's default of 5 parallel conversions stalls on image export in headless Chromium
    // (background tabs get no frames); one at a time is the setting that completes.
    const png = await run(`round ${r} Marp CLI --images png -P 1`, node, marpArgs(['--images', 'png'], out, ['--parallel', '1']), { env: marpEnv });
    const pngs = findFiles(out, '.png').length;
    if (pngs !== shippedSlides) throw new Error(`Marp CLI wrote ${pngs} PNGs, expected ${shippedSlides}`);
    return { pdf, png, pngBytes: totalBytes(findFiles(out, '.png')) };
  },
  async reference(r) {
    const out = path.join(work, `r${r}`, 'reference');
    const ref = await run(`round ${r} reference`, node, [referenceScript, '--themes', themes, '--out', out, '--browser', browserPath, ...mdFiles]);
    const pngs = findFiles(out, '.png').length;
    if (pngs !== shippedSlides) throw new Error(`the reference wrote ${pngs} PNGs, expected ${shippedSlides}`);
    return { ref, pngBytes: totalBytes(findFiles(out, '.png')) };
  },
};

// 2. Rounds, alternating the order so no tool always runs first (or last) on a busy machine.
const order = Object.keys(tools);
const perRound = [];
for (let r = 1; r <= rounds; r += 1) {
  const round = {};
  const rotated = order.map((_, i) => order[(i + r - 1) % order.length]);
  for (const name of rotated) round[name] = await tools[name](r);
  perRound.push(round);
}

// 3. Marp CLI with its defaults for images, once, bounded: does it finish at all?
let marpDefaultPng;
if (!quick) {
  marpDefaultPng = await run('Marp CLI --images png (default -P 5), bounded at 90 s', node, marpArgs(['--images', 'png'], path.join(work, 'marp-default')), { env: marpEnv, timeoutMs: 90_000, mayFail: true });
}

// 4. Cost per deck as decks grow: copies of one report in one language, every audience.
const englishReport = path.join(content, 'china-ai-2024', 'en.yaml');
const scale = [];
for (const copies of quick ? [1, 4] : [1, 4, 12]) {
  const data = reportCopies(englishReport, copies, path.join(work, 'scale', `c${copies}`, 'content'));
  const outcome = await briefgenBuild(`scale: ${copies} report(s)`, { data, out: path.join(work, 'scale', `c${copies}`, 'out'), cache: path.join(work, 'scale', `c${copies}`, 'cache') });
  scale.push({ decks: summaryOf(outcome).decks.length, slides: slidesOf(outcome), outcome });
}

// 5. One 240-slide deck.
const longSlides = 240;
const longFile = longDeck(mdFiles, longSlides, path.join(work, 'long', `long-${longSlides}.md`));
const long = {};
long.briefgen = await run(`${longSlides}-slide deck: briefgen render`, node, [briefgenBin, 'render', '--json', '-t', templates, '-o', path.join(work, 'long', 'briefgen'), longFile], { env: briefgenEnv, mayFail: true });
if (!quick) {
  const longMd = path.join(work, 'long', 'md');
  mkdirSync(longMd, { recursive: true });
  cpSync(longFile, path.join(longMd, path.basename(longFile)));
  const longMarp = (format, extra = []) => [marpBin, '--config', marpConfig, '--theme-set', themes, '--browser-path', browserPath, ...format, ...extra, '-I', longMd, '-o', path.join(work, 'long', 'marp')];
  long.marpPdf = await run(`${longSlides}-slide deck: Marp CLI --pdf`, node, longMarp(['--pdf']), { env: marpEnv, mayFail: true, timeoutMs: 300_000 });
  long.marpPng = await run(`${longSlides}-slide deck: Marp CLI --images png`, node, longMarp(['--images', 'png']), { env: marpEnv, mayFail: true, timeoutMs: 300_000 });
  long.reference = await run(`${longSlides}-slide deck: reference`, node, [referenceScript, '--themes', themes, '--out', path.join(work, 'long', 'reference'), '--browser', browserPath, longFile], { mayFail: true, timeoutMs: 300_000 });
}
const longBriefgenSlides = long.briefgen.ok ? slidesOf(long.briefgen) : null;

// 6. The report.
const loadAfter = os.loadavg();
const version = (name) => JSON.parse(readFileSync(path.join(root, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version;
const chromium = (() => {
  try {
    return execFileSync(browserPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
  } catch {
    return browserPath;
  }
})();

const col = (runs, pick) => runs.map(pick);
const briefgenCold = col(perRound, (r) => r.briefgen.cold);
const briefgenWarm = col(perRound, (r) => r.briefgen.warm);
const briefgenNoPptx = col(perRound, (r) => r.briefgen.noPptx);
const marpPdf = col(perRound, (r) => r.marp.pdf);
const marpPng = col(perRound, (r) => r.marp.png);
const reference = col(perRound, (r) => r.reference.ref);
const marpBoth = perRound.map((r) => ({
  wallMs: r.marp.pdf.wallMs + r.marp.png.wallMs,
  cpuMs: r.marp.pdf.cpuMs + r.marp.png.cpuMs,
  peakRssBytes: Math.max(r.marp.pdf.peakRssBytes, r.marp.png.peakRssBytes),
  peakPssBytes: Math.max(r.marp.pdf.peakPssBytes, r.marp.png.peakPssBytes),
}));
const pngMib = (tool) => (perRound[0][tool].pngBytes / 1024 / 1024).toFixed(1);
const ratio = (a, b) => median(a.map((x, i) => x.wallMs / b[i].wallMs));
const ratios = {
  marp: ratio(briefgenCold, marpBoth),
  reference: ratio(briefgenCold, reference),
  warm: ratio(briefgenWarm, briefgenCold),
  pptx: ratio(briefgenCold, briefgenNoPptx),
};
const cpuRatio = (a, b) => median(a.map((x, i) => x.cpuMs / b[i].cpuMs));

const range = (runs) => {
  const walls = runs.map((r) => r.wallMs);
  return runs.length > 1 ? `${seconds(Math.min(...walls))}–${seconds(Math.max(...walls))}` : '';
};
const row = (name, runs, note = '') =>
  `| ${name} | ${seconds(median(runs.map((r) => r.wallMs)))} | ${range(runs)} | ${seconds(median(runs.map((r) => r.cpuMs)))} | ${mib(median(runs.map((r) => r.peakPssBytes)))} | ${mib(median(runs.map((r) => r.peakRssBytes)))} | ${note} |`;
const verdict = (value, target) => (value === null ? 'n/a' : `${value.toFixed(2)}× (target ≤ ${target}×: ${value <= target ? 'met' : 'NOT met'})`);

const timingsByRound = perRound.map((r) => r.briefgen.timings);
const stageNames = [
  ['data', 'data: templates, load, validate, plan'],
  ['compose', 'compose (Handlebars → Markdown)'],
  ['render', 'marp render (Markdown → HTML)'],
  ['launch', 'browser launch'],
  ['wait', 'waiting for a pooled page'],
  ['load', 'page load (HTML, fonts, images)'],
  ['fit', 'overflow measurement and fitting'],
  ['pdf', 'PDF (print + metadata)'],
  ['png', 'screenshots (PNG)'],
  ['pptx', 'PPTX (reading the slides, pictures, writing)'],
  ['write', 'write (hash + atomic write)'],
];
const stageMedian = (key) => median(timingsByRound.map((t) => t[key]));
const stageTotal = stageNames.filter(([k]) => k !== 'launch' && k !== 'wait').reduce((sum, [k]) => sum + (stageMedian(k) ?? 0), 0);

const scaleBase = scale[0];
const scaleRows = scale.map(({ decks, slides, outcome }) => {
  const perDeck = outcome.wallMs / decks;
  const growth = perDeck / (scaleBase.outcome.wallMs / scaleBase.decks);
  return `| ${decks} | ${slides} | ${seconds(outcome.wallMs)} | ${seconds(perDeck)} | ${(outcome.wallMs / slides).toFixed(0)} | ${seconds(outcome.cpuMs)} | ${seconds(outcome.cpuMs / decks)} | ${mib(outcome.peakPssBytes)} | ${growth.toFixed(2)} |`;
});
const marginal = scale.length > 1 ? (scale.at(-1).outcome.wallMs - scale[0].outcome.wallMs) / (scale.at(-1).decks - scale[0].decks) : null;

const longRow = (name, outcome, note = '') =>
  outcome ? `| ${name} | ${outcome.ok ? seconds(outcome.wallMs) : outcome.timedOut ? `timed out (${seconds(outcome.wallMs)})` : `failed, exit ${outcome.code} (${seconds(outcome.wallMs)})`} | ${seconds(outcome.cpuMs)} | ${mib(outcome.peakPssBytes)} | ${mib(outcome.peakRssBytes)} | ${note} |` : undefined;

const totalMinutes = ((performance.now() - startedAt) / 60_000).toFixed(1);
const lines = [
  '# Benchmark results',
  '',
  `Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${rounds} round(s), tools alternating in each round; medians.`,
  `Machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM, load average ${loadBefore[0].toFixed(1)} at the start and ${loadAfter[0].toFixed(1)} at the end (the machine is shared: wall times are noisy, CPU seconds less so).`,
  `Versions: Node ${process.version}, ${chromium}, puppeteer-core ${version('puppeteer-core')}, @marp-team/marp-core ${version('@marp-team/marp-core')}, @marp-team/marp-cli ${version('@marp-team/marp-cli')}.`,
  `The whole benchmark took ${totalMinutes} min.`,
  '',
  `## Shipped decks: ${shipped.length} decks, ${shippedSlides} slides (every audience, both languages)`,
  '',
  'Same browser binary for all; Marp CLI and the reference convert the Markdown briefgen generated. briefgen writes PDF + PNG + PPTX + HTML + MD, validates the data, measures every slide for overflow and writes a manifest; the others write PDF + PNG only.',
  '',
  '| Run | Wall s (median) | Wall range | CPU s | Peak PSS MiB | Peak RSS sum MiB | Notes |',
  '|---|---:|---:|---:|---:|---:|---|',
  row('briefgen, cold (empty cache)', briefgenCold, `all five formats; PNGs ${pngMib('briefgen')} MiB, PPTX ${(perRound[0].briefgen.pptxBytes / 1024 / 1024).toFixed(1)} MiB`),
  row('briefgen, cold, without the PPTX', briefgenNoPptx, '`-f pdf,png,html,md`'),
  row('briefgen, warm rebuild (nothing changed)', briefgenWarm, `${perRound.at(-1).briefgen.restored}/${shipped.length} decks from the build cache, no browser`),
  row('Marp CLI `--pdf`', marpPdf, 'default parallelism (5)'),
  row('Marp CLI `--images png`', marpPng, '`--parallel 1`'),
  row('Marp CLI, PDF + PNG', marpBoth, `the two runs added; PNGs ${pngMib('marp')} MiB`),
  row('reference script (naive floor)', reference, `one browser, one page per deck, sequential; PNGs ${pngMib('reference')} MiB`),
  ...(marpDefaultPng ? [`| Marp CLI \`--images png\` with its default \`--parallel 5\` | ${marpDefaultPng.ok ? seconds(marpDefaultPng.wallMs) : marpDefaultPng.timedOut ? 'did not finish in 90 s (killed)' : `failed (exit ${marpDefaultPng.code}) after ${seconds(marpDefaultPng.wallMs)} s`} | | ${seconds(marpDefaultPng.cpuMs)} | ${mib(marpDefaultPng.peakPssBytes)} | ${mib(marpDefaultPng.peakRssBytes)} | once, bounded |`] : []),
  '',
  '| Ratio (median of per-round ratios, wall time) | Value |',
  '|---|---|',
  `| briefgen cold ÷ Marp CLI PDF + PNG | ${verdict(ratios.marp, 0.5)} |`,
  `| briefgen cold ÷ reference script | ${verdict(ratios.reference, 1.0)} |`,
  `| briefgen warm ÷ briefgen cold | ${verdict(ratios.warm, 0.05)} |`,
  `| briefgen cold ÷ briefgen cold without the PPTX (what the PPTX adds) | ${verdict(ratios.pptx, 1.15)}; CPU ${cpuRatio(briefgenCold, briefgenNoPptx).toFixed(2)}× |`,
  `| CPU seconds, same ratios: ÷ Marp CLI PDF + PNG, ÷ reference, warm ÷ cold | ${cpuRatio(briefgenCold, marpBoth).toFixed(2)}×, ${cpuRatio(briefgenCold, reference).toFixed(2)}×, ${cpuRatio(briefgenWarm, briefgenCold).toFixed(2)}× |`,
  '',
  '## Where the time goes (briefgen, cold, shipped decks)',
  '',
  'From `DEBUG=briefgen:timing`. Data, compose and render run once for all decks; the browser stages are summed over decks, which run in parallel on the page pool, so they add up to more than the wall time.',
  '',
  '| Stage | ms (median) | Share of stage time |',
  '|---|---:|---:|',
  ...stageNames.map(([key, name]) => {
    const ms = stageMedian(key);
    const share = key === 'launch' || key === 'wait' || ms === null ? '' : `${((ms / stageTotal) * 100).toFixed(0)}%`;
    return `| ${name} | ${ms === null ? 'n/a' : Math.round(ms)} | ${share} |`;
  }),
  '',
  '## Cost per deck as decks grow (briefgen, cold)',
  '',
  'Copies of the China AI report (English) under different ids, every audience: 5 decks per copy.',
  '',
  '| Decks | Slides | Wall s | s per deck | ms per slide | CPU s | CPU s per deck | Peak PSS MiB | wall per deck vs the first row |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...scaleRows,
  '',
  marginal === null ? '' : `Marginal cost from ${scale[0].decks} to ${scale.at(-1).decks} decks: ${seconds(marginal)} s per added deck (the first row also pays the browser launch).`,
  '',
  `## One ${longSlides}-slide deck`,
  '',
  `The shipped slides, cycled into one deck of ${longSlides} slides (${longBriefgenSlides ?? '?'} after briefgen's fitting), PDF + PNG (+ HTML for briefgen).`,
  '',
  '| Run | Wall s | CPU s | Peak PSS MiB | Peak RSS sum MiB | Notes |',
  '|---|---:|---:|---:|---:|---|',
  longRow('briefgen render', long.briefgen, `memory target < 1536 MiB: ${long.briefgen.peakPssBytes < 1.5 * 1024 ** 3 ? 'met' : 'NOT met'} by PSS, ${long.briefgen.peakRssBytes < 1.5 * 1024 ** 3 ? 'met' : 'not met'} by the RSS sum`),
  longRow('Marp CLI `--pdf`', long.marpPdf, 'default browser timeout (30 s per operation)'),
  longRow('Marp CLI `--images png`', long.marpPng),
  longRow('reference script', long.reference),
  '',
  'Memory covers the command and every process it started (the browser and its helpers), sampled from /proc: "RSS sum" adds up resident sets every 100 ms, counting the pages Chromium\'s processes share (its binary, fonts) once per process, so it overstates; "PSS" (proportional set size, every 500 ms) shares those pages out and is the honest total. CPU seconds are user + system time summed over the same process tree.',
  '',
].filter((line) => line !== undefined);

// The dev-server benchmark (bench/dev-latency.mjs) keeps its own section in the same file. A quick
// smoke run does not replace the full results.
const resultsFile = quick ? path.join(work, 'RESULTS-quick.md') : path.join(root, 'bench', 'RESULTS.md');
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
const livePreview = /^## Live preview[\s\S]*?(?=^## (?!Live preview)|(?![\s\S]))/m.exec(previous)?.[0].trimEnd();
const markdown = `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n${livePreview ? `\n${livePreview}\n` : ''}`;
writeFileSync(resultsFile, markdown);
writeFileSync(path.join(work, 'results.json'), JSON.stringify({ ratios, perRound: perRound.map((r) => ({ briefgen: { cold: r.briefgen.cold.wallMs, warm: r.briefgen.warm.wallMs, timings: r.briefgen.timings }, marp: { pdf: r.marp.pdf.wallMs, png: r.marp.png.wallMs }, reference: r.reference.ref.wallMs })), runs: results.runs }, null, 2));
console.log(markdown);
log(`wrote ${path.relative(root, resultsFile)} in ${totalMinutes} min`);
