import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('hostile input through the real bin: exit 2 with a clear message, before any work', () => {
  const shipped = readFileSync('content/china-ai-2024/en.yaml', 'utf8');
  const t = testdir({ 'out/keep/previous.pdf': 'previous build' });
  afterAll(() => t.cleanup());
  const out = t.path('out');
  /** The bin, as a user runs it; `stdin` a file to read from, `bash` runs the line through bash (for `<(…)`). */
  const bin = (args: string[], options: { stdin?: string; bash?: boolean } = {}) => {
    const command = options.bash ? ['bash', ['-c', `exec node bin/briefgen.js ${args.join(' ')}`]] as const : [process.execPath, ['bin/briefgen.js', ...args]] as const;
    const stdin = options.stdin ? openSync(options.stdin, 'r') : 'ignore';
    // A bounded wait: unbounded reading of /dev/zero used to grow by 450 MB/s until the kernel stepped in.
    const result = spawnSync(command[0], [...command[1]], { stdio: [stdin, 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', env: { ...process.env, CI: '1' } });
    if (typeof stdin === 'number') closeSync(stdin);
    return { code: result.status, stderr: result.stderr, stdout: result.stdout };
  };
  const untouched = () => {
    expect(readFileSync(join(out, 'keep', 'previous.pdf'), 'utf8')).toBe('previous build');
    expect(readdirSync(out).sort()).toEqual(['keep']);
  };
  const withData = (name: string, text: string | Buffer): string => {
    writeFileSync(t.path(name), text);
    return t.path(name);
  };

  it.each([
    ['--data - < /dev/zero', ['--data', '-'], { stdin: '/dev/zero' }, /<stdin>: more than 4 MiB of data, over the 4 MiB data size limit\n  hint: raise the limit with --max-data-size/],
    ['--data /dev/zero', ['--data', '/dev/zero'], {}, /\/dev\/zero: a character device, not a data file/],
    ['--data /dev/null', ['--data', '/dev/null'], {}, /\/dev\/null: a character device, not a data file/],
    ['--data <(cat file)', ['--data', '<(cat content/china-ai-2024/en.yaml)'], { bash: true }, /\/dev\/fd\/\d+: a pipe \(FIFO\), not a data file[\s\S]*--data -/],
  ])('%s', (_name, args, options, message) => {
    const { code, stderr } = bin([...args, '--out', out], options);
    expect(stderr).toMatch(message);
    expect(code, stderr).toBe(2);
    expect(stderr).not.toMatch(/internal error/);
    untouched();
  });

  it('a FIFO given as --data', () => {
    execFileSync('mkfifo', [t.path('fifo.yaml')]);
    const { code, stderr } = bin(['--data', t.path('fifo.yaml'), '--out', out]);
    expect(stderr).toMatch(/fifo\.yaml: a pipe \(FIFO\), not a data file/);
    expect(code).toBe(2);
    untouched();
  });

  it('a YAML alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
    const { code, stderr } = bin(['--data', withData('bomb.yaml', bomb), '--out', out]);
    expect(stderr).toMatch(/bomb\.yaml:2:8: YAML aliases expand past the limit of 100/);
    expect(code).toBe(2);
    untouched();
  });

  it('a meta.id so long its paths would be too long, found in the schema before any folder is made', () => {
    const { code, stderr } = bin(['--data', withData('long-id.yaml', shipped.replace('id: china-ai-2024', `id: ${'a'.repeat(230)}`)), '--out', out]);
    expect(stderr).toMatch(/long-id\.yaml:\d+:\d+: invalid briefing data at meta\.id: at most 80 characters/);
    expect(code).toBe(2);
    untouched();
  });

  it('100,000 list items, refused by the list limit instead of becoming 25,000 slides', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => `    - point ${i}`).join('\n');
    const { code, stderr } = bin(['--data', withData('long-list.yaml', shipped.replace(/^summary:\n  headline: (.*)\n  points:\n(    - .*\n)+/m, (_m, h: string) => `summary:\n  headline: ${h}\n  points:\n${items}\n`)), '--out', out]);
    expect(stderr).toMatch(/long-list\.yaml:\d+:\d+: summary\.points: a list of 100,000 entries, over the limit of 1,000[\s\S]*--max-list-items/);
    expect(code).toBe(2);
    untouched();
  });

  it('a 50 MB string, refused by the data size limit before it is read', () => {
    const { code, stderr } = bin(['--data', withData('huge.yaml', shipped.replace(/^  title: .*$/m, `  title: "${'x'.repeat(50_000_000)}"`)), '--out', out]);
    expect(stderr).toMatch(/huge\.yaml: 47\.7 MiB of data, over the 4 MiB data size limit/);
    expect(code).toBe(2);
    untouched();
  });

  it('a string over the string limit, with the flag that raises it', () => {
    const { code, stderr } = bin(['--data', withData('long-string.yaml', shipped.replace(/^  title: .*$/m, `  title: "${'x'.repeat(30_000)}"`)), '--out', out]);
    expect(stderr).toMatch(/long-string\.yaml:\d+:\d+: meta\.title: a string of 30,000 characters, over the limit of 20,000/);
    expect(stderr).toMatch(/--max-string-length/);
    // The excerpt is a window of the line, not 30,000 characters of it.
    expect(stderr.length).toBeLessThan(1000);
    expect(code).toBe(2);
    expect(bin(['--data', t.path('long-string.yaml'), '--max-string-length', '40000', '--format', 'md', '--out', t.path('out-raised'), '-a', 'exec']).code).toBe(0);
    untouched();
  });

  it('a deck over the slide limit, before the browser starts', () => {
    const { code, stderr } = bin(['--max-deck-slides', '3', '--out', out, '-a', 'exec', '--lang', 'en']);
    expect(stderr).toMatch(/china-ai-2024\/en\/exec has \d+ slides, over the limit of 3 slides per deck[\s\S]*--max-deck-slides/);
    expect(stderr).not.toMatch(/built /);
    expect(code).toBe(2);
    untouched();
  });

  it('data over a lowered --max-data-size, and a size that is not one', () => {
    const low = bin(['--max-data-size', '10KiB', '--out', out]);
    expect(low.stderr).toMatch(/en\.yaml: 1\d(\.\d)? KiB of data, over the 10 KiB data size limit/);
    expect(low.code).toBe(2);
    const bad = bin(['--max-data-size', 'lots', '--out', out]);
    expect(bad.stderr).toMatch(/--max-data-size must be a size such as 16MiB/);
    expect(bad.code).toBe(2);
    untouched();
  });

  it('invalid UTF-8, named by file, line and byte offset', () => {
    const text = Buffer.from(shipped);
    const at = text.indexOf('title:') + 7;
    const { code, stderr } = bin(['--data', withData('latin1.yaml', Buffer.concat([text.subarray(0, at), Buffer.from([0xe9]), text.subarray(at)])), '--out', out]);
    const before = text.subarray(0, at).toString().split('\n');
    expect(stderr).toMatch(`latin1.yaml:${before.length}:${before.at(-1)!.length + 1}: not valid UTF-8: byte 0xe9 at byte offset ${at}`);
    expect(code).toBe(2);
    untouched();
  });

  it('escapes control characters from the data in error excerpts: the terminal shows them, never obeys them', () => {
    const raw = '\u001b]0;pwned\u0007\u001b[2J\r';
    for (const [name, text] of [
      ['raw.json', `{"meta": {"id": "x", "title": "${raw}"}}`],
      ['raw.yaml', shipped.replace(/^  date: .*$/m, `  date: "2024-03-26${raw}" # ${raw}`)],
    ] as const) {
      const { code, stderr } = bin(['--data', withData(name, text), '--out', out]);
      expect(code, stderr).toBe(2);
      expect(stderr, name).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(stderr, name).toContain('\\x1B]0;pwned\\x07');
    }
    untouched();
  });

  it.each([
    ['--out naming a file', 'a-file', /the output folder .*a-file is a file\n  hint: pass --out a folder/],
    ['--out through a file', 'a-file/out', /the output folder .*a-file\/out cannot be made: .*a-file is a file/],
  ])('%s, before any browser work', (_name, target, message) => {
    writeFileSync(t.path('a-file'), 'not a folder');
    const { code, stderr } = bin(['-a', 'exec', '--lang', 'en', '--out', t.path(target)]);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/internal error|built /);
    expect(code).toBe(2);
    expect(readFileSync(t.path('a-file'), 'utf8')).toBe('not a folder');
  });

  it('accepts a JSON file that starts with a byte-order mark', () => {
    const json = JSON.stringify(JSON.parse(execFileSync(process.execPath, ['-e', "process.stdout.write(JSON.stringify(require('yaml').parse(require('fs').readFileSync('content/release-kestrel-3-0/en.yaml','utf8'))))"], { encoding: 'utf8' })), null, 2);
    const { code, stderr } = bin(['--data', withData('bom.json', `\uFEFF${json}`), '-a', 'release', '--format', 'md', '--out', t.path('out-bom')]);
    expect(stderr).not.toMatch(/error|invalid/);
    expect(code).toBe(0);
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
