import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

const pdfinfo = (file: string) => execFileSync('pdfinfo', [file], { encoding: 'utf8' });
const pdftext = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pages = (file: string) => Number(/Pages:\s+(\d+)/.exec(pdfinfo(file))?.[1]);

/** Distinct colours in a sample of pixels: a blank slide has one. */
function colourCount(png: PNG): number {
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
  return colours.size;
}

describe('briefgen build (real browser)', () => {
  const t = testdir({});
  const out = t.path('out');
  let result: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    result = await runCli(['--audience', 'exec', '--lang', 'zh', '--out', out, '--json', '--no-cache']);
  }, 120_000);
  afterAll(() => t.cleanup());

  it('exits 0 and writes md, html, pdf and one png per slide under report/lang/audience', () => {
    expect(result.code, result.stderr).toBe(0);
    const dir = join(out, 'china-ai-2024', 'zh', 'exec');
    const files = readdirSync(dir).sort();
    expect(files).toEqual(expect.arrayContaining(['china-ai-2024-zh-exec.md', 'china-ai-2024-zh-exec.html', 'china-ai-2024-zh-exec.pdf', 'slide-01.png']));
    const summary = JSON.parse(result.stdout) as { decks: Array<{ slides: number; key: string }> };
    expect(summary.decks.map((d) => d.key)).toEqual(['china-ai-2024/zh/exec']);
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(summary.decks[0]!.slides);
  });

  it('makes a PDF with one page per slide, the report text and its metadata', () => {
    const pdf = join(out, 'china-ai-2024', 'zh', 'exec', 'china-ai-2024-zh-exec.pdf');
    const summary = JSON.parse(result.stdout) as { decks: Array<{ slides: number }> };
    expect(pages(pdf)).toBe(summary.decks[0]!.slides);
    const text = pdftext(pdf);
    expect(text).toContain('开启智能新时代');
    expect(text).toMatch(/算力/);
    const info = pdfinfo(pdf);
    expect(info).toMatch(/Title:\s+开启智能新时代/);
    expect(info).toMatch(/Author:\s+人民网财经研究院/);
    expect(info).toMatch(/Page size:\s+960 x 540 pts/);
  });

  it('makes 16:9 PNGs that are not blank', () => {
    const dir = join(out, 'china-ai-2024', 'zh', 'exec');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.png'))) {
      const png = PNG.sync.read(readFileSync(join(dir, file)));
      expect([png.width, png.height]).toEqual([1280, 720]);
      expect(colourCount(png), file).toBeGreaterThan(3);
    }
  });

  it('writes a self-contained HTML deck and a manifest', () => {
    const html = readFileSync(join(out, 'china-ai-2024', 'zh', 'exec', 'china-ai-2024-zh-exec.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { decks: Array<{ artifacts: Array<{ path: string; sha256: string }> }> };
    expect(manifest.decks[0]!.artifacts.map((a) => a.path)).toContain(join('china-ai-2024', 'zh', 'exec', 'china-ai-2024-zh-exec.pdf'));
    expect(manifest.decks[0]!.artifacts.every((a) => /^[0-9a-f]{64}$/.test(a.sha256))).toBe(true);
  });
});

describe('bad input', () => {
  const t = testdir({ 'out/keep/previous.pdf': 'previous build' });
  afterAll(() => t.cleanup());
  const out = t.path('out');
  const untouched = () => {
    expect(readFileSync(join(out, 'keep', 'previous.pdf'), 'utf8')).toBe('previous build');
    expect(readdirSync(out).sort()).toEqual(['keep']);
  };

  it.each([
    ['invalid YAML', ['--data', 'test/fixtures/data/bad-yaml.yaml'], /bad-yaml\.yaml:3:10: invalid YAML/],
    ['invalid JSON', ['--data', 'test/fixtures/data/bad-json.json'], /bad-json\.json:4:\d+: invalid JSON/],
    ['data of the wrong shape', ['--data', 'test/fixtures/data/wrong-shape.yaml', '-a', 'all'], /wrong-shape\.yaml:14:16: .*sections\.trends\.items\[1\]\.title: expected string, got number/],
    ['an unknown audience', ['--audience', 'board'], /unknown audience "board"[\s\S]*audiences available/],
    ['an unknown language', ['--lang', 'fr'], /no data in language "fr"/],
    ['a missing data file', ['--data', 'nowhere.yaml'], /data not found: nowhere\.yaml/],
    ['an unknown format', ['--format', 'pdf,gif'], /unknown format "gif"/],
    ['an unknown option', ['--colour'], /Unknown argument: colour/],
  ])('%s exits 2 with a clear message and leaves out/ alone', async (_name, args, message) => {
    const { code, stderr } = await runCli([...args, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.match(/^briefgen:/gm)).toHaveLength(1);
    untouched();
  });

  it('a template error names the template file and line, exit 2', async () => {
    const templates = testdir({
      'audiences/exec.yaml': 'description: {en: x}\ntemplate: exec\ntheme: default\n',
      'decks/exec.hbs': '# {{meta.title}}\n\n{{> missing-partial}}\n',
    });
    try {
      const { code, stderr } = await runCli(['--templates', templates.dir, '--out', out]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/decks\/exec\.hbs:3: partial "missing-partial" not found/);
      untouched();
    } finally {
      templates.cleanup();
    }
  });
});

describe('data never becomes markup', () => {
  const t = testdir({});
  afterAll(() => t.cleanup());

  it('shows hostile strings as text on the slides, and blocks the remote image', async () => {
    const out = t.path('out');
    const templates = testdir({
      'audiences/plain.yaml': 'description: {en: plain}\ntemplate: plain\ntheme: default\n',
      'decks/plain.hbs': '# {{meta.title}}\n\n{{meta.publishers.[0]}}\n\n## {{summary.headline}}\n\n{{#each summary.points}}\n- {{this}}\n{{/each}}\n\n{{summary.soWhat}}\n\n---\n\n## {{sections.trends.title}}\n\n{{#each sections.trends.items}}\n- {{title}}: {{text}}\n{{/each}}\n',
    });
    try {
      const { code, stdout, stderr } = await runCli(['--data', 'test/fixtures/hostile/report.yaml', '--templates', templates.dir, '-a', 'plain', '--out', out, '--format', 'pdf,md', '--json', '--no-cache']);
      expect(code, stderr).toBe(0);
      const summary = JSON.parse(stdout) as { decks: Array<{ slides: number }> };
      expect(summary.decks[0]!.slides).toBe(2);
      const text = pdftext(join(out, 'hostile', 'en', 'plain', 'hostile-en-plain.pdf')).replace(/\s+/g, ' ');
      for (const literal of ['---', '<!-- theme: gaia -->', '# Not a heading', '<script>document.body.remove()</script>', '<!-- _class: lead -->', '$E=mc^2$', ':smile:', '**not bold**', '| a | b |', 'Trends --- # Injected slide']) {
        expect(text).toContain(literal);
      }
    } finally {
      templates.cleanup();
    }
  });

  it('reports a blocked remote request as a warning, and --strict turns it into exit 1', async () => {
    const out = t.path('out-strict');
    const templates = testdir({
      'audiences/remote.yaml': 'description: {en: remote}\ntemplate: remote\ntheme: default\n',
      'decks/remote.hbs': '# {{meta.title}}\n\n![logo](https://example.com/logo.png)\n',
    });
    try {
      const relaxed = await runCli(['--data', 'test/fixtures/data/minimal.yaml', '--templates', templates.dir, '-a', 'remote', '--out', out, '--format', 'pdf', '--no-cache']);
      expect(relaxed.code).toBe(0);
      expect(relaxed.stderr).toMatch(/warning: .*blocked a request to https:\/\/example\.com\/logo\.png/);
      const strict = await runCli(['--data', 'test/fixtures/data/minimal.yaml', '--templates', templates.dir, '-a', 'remote', '--out', out, '--format', 'pdf', '--strict', '--no-cache']);
      expect(strict.code).toBe(1);
      expect(strict.stderr).toMatch(/--strict: 1 warning/);
    } finally {
      templates.cleanup();
    }
  });
});

describe('the bin', () => {
  it('runs as npx briefgen inside the repo', () => {
    const output = execFileSync('npx', ['--no-install', 'briefgen', '--version'], { encoding: 'utf8' });
    expect(output.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('lists audiences with a description each', async () => {
    const { code, stdout } = await runCli(['list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Audiences:/);
    expect(stdout).toMatch(/exec\s+\S+/);
  });
});

// Keep imports used when a describe is skipped locally.
void existsSync;
void mkdirSync;
void writeFileSync;
