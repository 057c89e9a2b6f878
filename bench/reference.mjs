// The naive floor: what anyone would write with the same parts. One browser; per deck: marp-core
// render, one page, setContent, one page.pdf() and one clipped page.screenshot() per slide. No
// validation, no fitting, no request guard, no metadata, no manifest, no parallelism.
//
//   node bench/reference.mjs --themes templates/themes --out DIR deck.md [deck.md ...]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Marp } from '@marp-team/marp-core';
import puppeteer from 'puppeteer-core';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    themes: { type: 'string' },
    out: { type: 'string', default: 'bench/.work/reference-out' },
    browser: { type: 'string', default: process.env.CHROME_PATH ?? '/usr/bin/chromium' },
  },
});

const marp = new Marp();
if (values.themes) {
  for (const name of readdirSync(values.themes).filter((f) => f.endsWith('.css'))) {
    marp.themeSet.add(readFileSync(path.join(values.themes, name), 'utf8'));
  }
}

const browser = await puppeteer.launch({
  executablePath: values.browser,
  headless: true,
  pipe: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});

try {
  for (const file of positionals) {
    const { html, css } = marp.render(readFileSync(file, 'utf8'));
    const [, width, height] = /viewBox="0 0 (\d+) (\d+)"/.exec(html).map(Number);
    const document = `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style><style>
@page { size: ${width}px ${height}px; margin: 0; }
html, body { margin: 0; }
svg[data-marpit-svg] { display: block; width: ${width}px; height: ${height}px; }
@media print { svg[data-marpit-svg] { break-after: page; } svg[data-marpit-svg]:last-of-type { break-after: auto; } }
</style></head><body>${html}</body></html>`;
    const dir = path.join(values.out, path.basename(file, '.md'));
    mkdirSync(dir, { recursive: true });

    const page = await browser.newPage();
    await page.setViewport({ width, height });
    await page.setContent(document, { waitUntil: 'load' });
    writeFileSync(path.join(dir, 'deck.pdf'), await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const boxes = await page.$$eval('svg[data-marpit-svg]', (svgs) =>
      svgs.map((svg) => {
        const r = svg.getBoundingClientRect();
        return { x: r.left + window.scrollX, y: r.top + window.scrollY };
      }),
    );
    for (const [index, box] of boxes.entries()) {
      const png = await page.screenshot({ type: 'png', clip: { x: box.x, y: box.y, width, height } });
      writeFileSync(path.join(dir, `slide-${String(index + 1).padStart(3, '0')}.png`), png);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
