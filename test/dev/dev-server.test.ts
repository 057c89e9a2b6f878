import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveExecutable } from '../../src/browser/resolve-executable.js';
import { chromiumArgs, createBrowserSession, type BrowserSession } from '../../src/browser/session.js';
import { main } from '../../src/cli/main.js';
import { startDevServer, type DevServer } from '../../src/dev/dev-server.js';
import { lockOutputFolder } from '../../src/output/output-lock.js';
import { BriefgenError, ErrorCode, ExitCode } from '../../src/errors.js';
import { devProject, enKey } from './dev-project.js';

// One Chromium for everything: the page under test, and (connected to it) the server's warm session.
let browser: Browser;
let page: Page;
let server: DevServer;
let session: BrowserSession | undefined;
let sessions = 0;
let project: ReturnType<typeof devProject>;
const binPath = fileURLToPath(new URL('../../bin/briefgen.js', import.meta.url));

const frameText = (): Promise<string> => page.evaluate(() => (document.getElementById('deck') as HTMLIFrameElement).contentDocument?.body.textContent ?? '');
const waitForFrameText = (text: string) =>
  page.waitForFunction((t) => (document.getElementById('deck') as HTMLIFrameElement).contentDocument?.body.textContent?.includes(t), { polling: 20, timeout: 10_000 }, text);
const overlayVisible = () => page.$eval('#overlay', (el) => !(el as HTMLElement).hidden);
const devState = () => page.evaluate(() => (window as unknown as { __briefgenDev: { frameLoads: number; updates: number; version: number } }).__briefgenDev);

beforeAll(async () => {
  project = devProject();
  const { path } = await resolveExecutable();
  browser = await puppeteer.launch({ executablePath: path, headless: true, args: [...chromiumArgs], protocolTimeout: 20_000 });
  server = await startDevServer({
    data: [project.path('content')],
    templatesDir: project.path('templates'),
    outDir: project.path('out'),
    audiences: ['brief'],
    languages: 'all',
    projectRoot: project.dir,
    port: 0,
    // A stand-in for the slide-fit module: it really measures, in the server's warm browser.
    measure: async (warm, { key, rendered }) => {
      const slides = await warm.withPage(async (p) => {
        await p.setContent(rendered.html);
        return p.evaluate(() => document.querySelectorAll('svg[data-marpit-svg]').length);
      });
      return { warnings: [{ code: 'overflow', deck: key, slide: 1, message: `measured ${slides} slides in the browser` }], css: 'section h1 { color: rgb(200, 0, 0) !important; }' };
    },
    openBrowser: (options) => {
      sessions += 1;
      session = createBrowserSession({ ...options, browserWSEndpoint: browser.wsEndpoint() });
      return session;
    },
  });
  page = await browser.newPage({ type: 'window' });
  await page.setViewport({ width: 1200, height: 700 });
  await page.goto(`${server.url}?deck=${encodeURIComponent(enKey)}#2`);
  await page.waitForFunction(() => (window as unknown as { __briefgenDev?: { frameLoads: number } }).__briefgenDev?.frameLoads === 1, { timeout: 15_000 });
});

afterAll(async () => {
  await server?.close();
  await browser?.close();
  project?.cleanup();
});

describe('briefgen dev in a real browser', { timeout: 30_000 }, () => {
  it('shows the deck one slide at a time, with the slide number in the URL', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await page.$eval('#counter', (el) => el.textContent)).toBe('2 / 2');
    expect(await frameText()).toContain('Models go open.');
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => location.hash)).toBe('#1');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => location.hash)).toBe('#2');
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __briefgenDev?: { frameLoads: number } }).__briefgenDev?.frameLoads === 1);
    expect(await page.$eval('#counter', (el) => el.textContent)).toBe('2 / 2');
    const shown = await page.evaluate(() => {
      const doc = (document.getElementById('deck') as HTMLIFrameElement).contentDocument!;
      return Array.from(doc.querySelectorAll('div.marpit > svg'), (svg) => getComputedStyle(svg).display);
    });
    expect(shown).toEqual(['none', 'block']);
    expect(await page.$eval('#notes', (el) => el.textContent)).toBe('Say the trends slowly.');
    await page.keyboard.press('o');
    expect(await page.evaluate(() => (document.getElementById('deck') as HTMLIFrameElement).contentDocument!.documentElement.dataset.devView)).toBe('overview');
    await page.keyboard.press('o');
  });

  it('shows what the plugged-in measurer found, and applies its fit CSS to the preview', async () => {
    await page.waitForFunction(() => document.getElementById('warnings')?.textContent?.includes('measured 2 slides in the browser'), { polling: 50, timeout: 15_000 });
    const color = await page.evaluate(() => {
      const doc = (document.getElementById('deck') as HTMLIFrameElement).contentDocument!;
      return getComputedStyle(doc.querySelector('section h1')!).color;
    });
    expect(color).toBe('rgb(200, 0, 0)');
    // A warning that names a slide opens it.
    await page.click('#warnings li[data-slide="1"]');
    expect(await page.evaluate(() => location.hash)).toBe('#1');
    await page.keyboard.press('End');
    expect(await page.evaluate(() => location.hash)).toBe('#2');
  });

  it('follows a data edit and a template edit without reloading, on the same slide', async () => {
    await page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 1;
      ((document.getElementById('deck') as HTMLIFrameElement).contentWindow as unknown as { __marker: number }).__marker = 1;
    });
    const before = await devState();
    project.edit('content/minimal/en.yaml', 'Models go open.', 'Models go open, live.');
    await waitForFrameText('Models go open, live.');
    project.edit('templates/partials/cover.hbs', '# {{meta.title}}', '# {{meta.title}}, edited');
    await waitForFrameText('Minimal report, edited');
    const markers = await page.evaluate(() => [
      (window as unknown as { __marker?: number }).__marker,
      ((document.getElementById('deck') as HTMLIFrameElement).contentWindow as unknown as { __marker?: number }).__marker,
    ]);
    expect(markers).toEqual([1, 1]);
    const after = await devState();
    expect(after.frameLoads).toBe(before.frameLoads);
    expect(after.updates).toBeGreaterThanOrEqual(before.updates + 2);
    expect(await page.evaluate(() => location.hash)).toBe('#2');
    expect(await page.$eval('#counter', (el) => el.textContent)).toBe('2 / 2');
  });

  it('shows a broken data file over the last good deck, survives it, and clears when fixed', async () => {
    project.edit('content/minimal/en.yaml', '    title: Trends', '    title: [Trends');
    await page.waitForFunction(() => !(document.getElementById('overlay') as HTMLElement).hidden, { polling: 20, timeout: 10_000 });
    const overlay = await page.$eval('#overlay', (el) => el.textContent ?? '');
    const [, line] = /content\/minimal\/en\.yaml:(\d+):\d+/.exec(overlay) ?? [];
    expect(line).toBeDefined();
    expect(overlay).toContain('E_DATA_PARSE');
    // The offending line itself, as the file has it, under its number.
    expect(overlay).toContain(`${line} | ${project.read('content/minimal/en.yaml').split('\n')[Number(line) - 1]}`);
    expect(await frameText()).toContain('Models go open, live.');
    const state = (await (await fetch(`${server.url}api/state`)).json()) as { problems: unknown[] };
    expect(state.problems).toHaveLength(1);

    project.edit('content/minimal/en.yaml', '    title: [Trends', '    title: Trends, fixed');
    await waitForFrameText('Trends, fixed');
    await page.waitForFunction(() => (document.getElementById('overlay') as HTMLElement).hidden, { timeout: 5_000 });
    expect(await overlayVisible()).toBe(false);
  });

  it('shows a missing partial with the template file and line, and clears when fixed', async () => {
    project.edit('templates/decks/brief.hbs', '{{> cover}}', '{{> cover}}\n\n{{> nowhere}}');
    await page.waitForFunction(() => !(document.getElementById('overlay') as HTMLElement).hidden, { polling: 20, timeout: 10_000 });
    const overlay = await page.$eval('#overlay', (el) => el.textContent ?? '');
    expect(overlay).toContain('templates/decks/brief.hbs:3');
    expect(overlay).toContain('partial "nowhere" not found');
    project.edit('templates/decks/brief.hbs', '\n\n{{> nowhere}}', '');
    await page.waitForFunction(() => (document.getElementById('overlay') as HTMLElement).hidden, { polling: 20, timeout: 10_000 });
  });

  it('exports PDF, PNGs and PPTX from the page on the warm browser, into the out/ layout', async () => {
    await page.keyboard.press('e');
    await page.waitForFunction(() => /exported|failed/.test(document.getElementById('status')?.textContent ?? ''), { polling: 50, timeout: 20_000 });
    expect(await page.$eval('#status', (el) => el.textContent)).toMatch(/exported 6 files to out\/minimal\/en\/brief/);
    for (const file of ['minimal-en-brief.pdf', 'minimal-en-brief.pptx', 'minimal-en-brief.html', 'minimal-en-brief.md', 'slide-01.png', 'slide-02.png']) {
      expect(existsSync(project.path(`out/minimal/en/brief/${file}`)), file).toBe(true);
    }
    // A second export reuses the same session: the browser stays warm for the server's lifetime.
    const response = await page.evaluate(async (key) => (await fetch(`/api/export?deck=${encodeURIComponent(key)}`, { method: 'POST' })).json(), enKey);
    expect(response).toMatchObject({ ok: true, key: enKey });
    expect(sessions).toBe(1);
    expect(session?.started).toBe(true);
  });

  it('lists the exported deck in out/manifest.json, every file with its true sha256', () => {
    const manifest = JSON.parse(readFileSync(project.path('out/manifest.json'), 'utf8')) as { decks: Array<{ key: string; artifacts: Array<{ path: string; sha256: string }> }> };
    const deck = manifest.decks.find((d) => d.key === enKey)!;
    // The PDF, the PPTX, the HTML, the Markdown and the two slide PNGs.
    expect(deck.artifacts).toHaveLength(6);
    for (const a of deck.artifacts) expect(createHash('sha256').update(readFileSync(project.path(`out/${a.path}`))).digest('hex'), a.path).toBe(a.sha256);
  });

  it('refuses to export while another run is writing out/, saying so, and exports again once it is done', async () => {
    const build = await lockOutputFolder(project.path('out'));
    try {
      const response = await fetch(`${server.url}api/export?deck=${encodeURIComponent(enKey)}`, { method: 'POST' });
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/out is being written by another briefgen run \(process \d+/);
    } finally {
      await build.release();
    }
    const again = await fetch(`${server.url}api/export?deck=${encodeURIComponent(enKey)}`, { method: 'POST' });
    expect(again.status).toBe(200);
  });

  it('refuses an export posted from another origin', async () => {
    const response = await fetch(`${server.url}api/export?deck=${encodeURIComponent(enKey)}`, { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(response.status).toBe(403);
  });

  it('fails clearly when the port is taken, from the API and from the CLI', async () => {
    const taken = startDevServer({
      data: [project.path('content')],
      templatesDir: project.path('templates'),
      outDir: project.path('out'),
      audiences: ['brief'],
      languages: 'all',
      projectRoot: project.dir,
      port: server.port,
    });
    await expect(taken).rejects.toBeInstanceOf(BriefgenError);
    await expect(taken).rejects.toMatchObject({ code: ErrorCode.port, exitCode: ExitCode.badInput, message: expect.stringContaining(`port ${server.port}`) });

    let stderr = '';
    const code = await main(['dev', '--port', String(server.port), '--data', project.path('content'), '--templates', project.path('templates'), '--audience', 'brief'], {
      cwd: project.dir,
      env: {},
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      readStdin: async () => '',
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`port ${server.port} on 127.0.0.1 is already in use`);
    expect(stderr).toContain('--port 0');
  });

  it('runs from the CLI until interrupted, prints its URL, then closes and exits 0', async () => {
    let interrupt: (() => void) | undefined;
    let printed = '';
    let exitCode: Promise<number> | undefined;
    const urlPrinted = new Promise<string>((resolve) => {
      const exit = main(['dev', '--port', '0', '--data', project.path('content'), '--templates', project.path('templates'), '--audience', 'brief', '--quiet'], {
        cwd: project.dir,
        env: {},
        stdout: (text) => {
          printed += text;
          resolve(text.trim());
        },
        stderr: () => {},
        readStdin: async () => '',
        onInterrupt: (abort) => {
          interrupt = abort;
          return () => {
            interrupt = undefined;
          };
        },
      });
      exitCode = exit;
    });
    const url = await urlPrinted;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const state = (await (await fetch(`${url}api/state`)).json()) as { decks: Array<{ key: string }> };
    expect(state.decks.map((d) => d.key).sort()).toEqual([enKey, 'minimal/zh/brief']);
    interrupt!();
    expect(await exitCode).toBe(0);
    expect(printed).toBe(`${url}\n`);
    await expect(fetch(`${url}api/state`)).rejects.toThrow();
  });
});

describe('briefgen dev against hostile requests (the real server, over a raw socket)', { timeout: 60_000 }, () => {
  /** Sends `request` as raw bytes and returns whatever comes back before the server closes or answers. */
  const rawRequest = (port: number, request: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString('latin1');
        if (/\r\n\r\n/.test(answer)) socket.end();
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(answer));
      socket.write(request);
    });

  it('answers a request line new URL() cannot parse with 400 and keeps serving', async () => {
    const child = spawn(process.execPath, [binPath, 'dev', '--port', '0', '--data', project.path('content'), '--templates', project.path('templates'), '--audience', 'brief', '--out', project.path('out-raw')], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      void exited.then((code) => reject(new Error(`briefgen dev exited with ${code}: ${stderr}`)));
    });
    const port = Number(new URL(url).port);
    try {
      for (const target of ['//[', '//[::1', 'http://[', '//%']) {
        const answer = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
        expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
      }
      expect(child.exitCode, stderr).toBeNull();
      const state = (await (await fetch(`${url}api/state`)).json()) as { decks: Array<{ key: string }> };
      expect(state.decks.map((d) => d.key)).toContain(enKey);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, stderr).toBe(0);
    expect(stderr).not.toMatch(/ERR_INVALID_URL|internal error/);
  });
});
