#!/usr/bin/env node
// Edit-to-updated-page latency of `briefgen dev`: a real page in headless Chromium, a real file
// write, timed until the page's DOM shows the edit (and until the frame after it is painted).
//
//   npm run bench:dev                         (builds dist/ first)
//   node bench/dev-latency.mjs --edits 9 --audience exec --lang en
//   node bench/dev-latency.mjs --no-measure    (without slide-fit measuring, for comparison)
//
// Works on copies of content/ and templates/ in a temporary folder; the project is never touched.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    edits: { type: 'string', default: '7' },
    warmup: { type: 'string', default: '2' },
    audience: { type: 'string', default: 'exec' },
    lang: { type: 'string', default: 'en' },
    'no-results': { type: 'boolean', default: false },
    'no-measure': { type: 'boolean', default: false },
  },
});
const edits = Number(args.edits);
const warmup = Number(args.warmup);

const serverModule = path.join(root, 'dist/dev/dev-server.js');
if (!existsSync(serverModule)) {
  console.error('dist/dev/dev-server.js is missing: run `npm run build` first (npm run bench:dev does).');
  process.exit(2);
}
const { startDevServer } = await import(serverModule);
const { chromiumArgs } = await import(path.join(root, 'dist/browser/session.js'));
const { createFitMeasure } = await import(path.join(root, 'dist/dev/fit-measure.js'));
const measuring = !args['no-measure'];

const work = mkdtempSync(path.join(os.tmpdir(), 'briefgen-bench-dev-'));
cpSync(path.join(root, 'content'), path.join(work, 'content'), { recursive: true });
cpSync(path.join(root, 'templates'), path.join(work, 'templates'), { recursive: true });

const reportDir = path.join(work, 'content', 'china-ai-2024');
const dataFile = path.join(reportDir, `${args.lang}.yaml`);
const templateFile = path.join(work, 'templates', 'decks', `${args.audience}.hbs`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

const server = await startDevServer({
  data: [path.join(work, 'content')],
  templatesDir: path.join(work, 'templates'),
  outDir: path.join(work, 'out'),
  audiences: [args.audience],
  languages: [args.lang],
  projectRoot: work,
  port: 0,
  // As `briefgen dev` runs: every rebuilt deck is measured and fitted in the warm browser.
  ...(measuring ? { measure: createFitMeasure() } : {}),
});
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...chromiumArgs] });

/** The edits: each writes a new, unique marker into the file and says what to look for. */
const kinds = {
  template: (marker) => {
    const text = readFileSync(templateFile, 'utf8').replace(/\n\nbench-marker-\d+\n$/, '\n');
    writeFileSync(templateFile, `${text.replace(/\n*$/, '\n')}\nbench-marker-${marker}\n`);
    return `bench-marker-${marker}`;
  },
  data: (marker) => {
    const text = readFileSync(dataFile, 'utf8');
    // The report title: on the title slide and in every footer.
    const next = text.replace(/^(meta:\n(?:[ \t]+.*\n)*?[ \t]+title: )(.*?)( ·bench\d+)?$/m, `$1$2 ·bench${marker}`);
    if (next === text) throw new Error(`no meta.title in ${dataFile}`);
    writeFileSync(dataFile, next);
    return `·bench${marker}`;
  },
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const results = {};
try {
  const page = await browser.newPage({ type: 'window' });
  await page.setViewport({ width: 1440, height: 810 });
  await page.goto(server.url);
  await page.waitForFunction(() => window.__briefgenDev?.frameLoads === 1, { timeout: 60_000 });
  let marker = 0;
  for (const [kind, edit] of Object.entries(kinds)) {
    const samples = [];
    for (let i = 0; i < warmup + edits; i += 1) {
      marker += 1;
      await server.idle();
      await sleep(250);
      const updatesBefore = await page.evaluate(() => window.__briefgenDev.updates);
      const written = now();
      const needle = edit(marker);
      await page.waitForFunction(
        (text, before) => {
          const state = window.__briefgenDev;
          const doc = document.getElementById('deck').contentDocument;
          return state.updates > before && state.paintedAt > state.patchedAt && doc.body.textContent.includes(text);
        },
        { polling: 'raf', timeout: 30_000 },
        needle,
        updatesBefore,
      );
      // Then until the frame shows this version's fit (its measurement done), when measuring.
      if (measuring) await page.waitForFunction(() => window.__briefgenDev.fitVersion >= window.__briefgenDev.version, { polling: 'raf', timeout: 30_000 });
      const { patchedAt, paintedAt, frameLoads, fitAt } = await page.evaluate(() => window.__briefgenDev);
      if (frameLoads !== 1) throw new Error('the page reloaded the deck instead of patching it');
      const state = await (await fetch(`${server.url}api/state`)).json();
      if (i >= warmup) samples.push({ dom: patchedAt - written, painted: paintedAt - written, fit: measuring ? fitAt - written : NaN, build: state.decks[0].buildMs });
    }
    results[kind] = samples;
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

const fmt = (ms) => `${Math.round(ms)} ms`;
const rows = Object.entries(results).map(([kind, samples]) => {
  const dom = samples.map((s) => s.dom);
  return {
    kind,
    median: median(dom),
    painted: median(samples.map((s) => s.painted)),
    min: Math.min(...dom),
    max: Math.max(...dom),
    build: median(samples.map((s) => s.build)),
    fit: median(samples.map((s) => s.fit)),
  };
});
const load = os.loadavg()[0].toFixed(1);
const table = [
  `Edit-to-updated-page latency, ${args.audience} deck (${args.lang}), median of ${edits} edits each after ${warmup} warm-up edits; ${os.availableParallelism()} cores, load average ${load}; slide-fit measuring ${measuring ? 'on (as `briefgen dev` runs)' : 'off (--no-measure)'}.`,
  '',
  `| edit | file written → DOM updated (median) | → painted (median) | min | max | compose + render on the server (median) |${measuring ? ' → fit measured and shown (median) |' : ''}`,
  `|---|---|---|---|---|---|${measuring ? '---|' : ''}`,
  ...rows.map((r) => `| ${r.kind} | ${fmt(r.median)} | ${fmt(r.painted)} | ${fmt(r.min)} | ${fmt(r.max)} | ${fmt(r.build)} |${measuring ? ` ${fmt(r.fit)} |` : ''}`),
  '',
  `Goal: under 300 ms. ${rows.every((r) => r.median < 300) ? 'Met.' : 'Not met on this run.'} Includes the 30 ms debounce of editor save bursts.`,
].join('\n');
console.log(table);

const resultsFile = path.join(root, 'bench', 'RESULTS.md');
if (!args['no-results'] && existsSync(resultsFile)) {
  // Our own section only: replaced on every run, the rest of the file left as it is.
  const heading = '## Live preview';
  const section = `${heading}\n\n\`npm run bench:dev\` (${new Date().toISOString().slice(0, 10)}):\n\n${table}\n`;
  const text = readFileSync(resultsFile, 'utf8');
  const start = text.indexOf(`${heading}\n`);
  let next;
  if (start < 0) next = `${text.replace(/\n*$/, '\n\n')}${section}`;
  else {
    const end = text.indexOf('\n## ', start + heading.length);
    next = `${text.slice(0, start)}${section}${end < 0 ? '' : text.slice(end)}`;
  }
  writeFileSync(resultsFile, next);
  console.log(`\n(written to ${path.relative(process.cwd(), resultsFile)} under "${heading}")`);
}
