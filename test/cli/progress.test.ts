import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createProgressReporter, deckLine, progressBar, progressMode, type ProgressEvent } from '../../src/cli/progress.js';
import { testdir } from '../support/testdir.js';

const done = (n: number, total: number, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({ type: 'deck-done', key: `r/en/a${n}`, done: n, total, cached: false, slides: 8, warnings: 0, ms: 1234, ...extra }) as ProgressEvent;

describe('progressMode', () => {
  it.each<[string, Parameters<typeof progressMode>[0], string]>([
    ['--json wins over everything', { json: true, quiet: true, isTTY: true, env: {} }, 'json'],
    ['--quiet turns it off', { quiet: true, isTTY: true, env: {} }, 'off'],
    ['a terminal gets the live line', { isTTY: true, env: {} }, 'live'],
    ['CI gets lines, even on a terminal', { isTTY: true, env: { CI: 'true' } }, 'lines'],
    ['CI=1 counts as CI', { isTTY: true, env: { CI: '1' } }, 'lines'],
    ['CI=false does not', { isTTY: true, env: { CI: 'false' } }, 'live'],
    ['a pipe or file gets lines', { isTTY: false, env: {} }, 'lines'],
  ])('%s', (_what, options, mode) => {
    expect(progressMode(options)).toBe(mode);
  });
});

describe('progress output', () => {
  it('draws a bar', () => {
    expect(progressBar(0, 4, 8)).toBe('[--------] 0/4');
    expect(progressBar(3, 4, 8)).toBe('[######--] 3/4');
    expect(progressBar(0, 0, 4)).toBe('[####] 0/0');
  });

  it('prints one plain line per finished deck in lines mode', () => {
    let out = '';
    const progress = createProgressReporter('lines', (text) => (out += text));
    progress.update({ type: 'deck-start', key: 'r/en/a1', total: 12 });
    progress.update(done(1, 12, { cached: true }));
    progress.update(done(2, 12, { warnings: 2 }));
    progress.finish();
    expect(out).toBe('[ 1/12] cached r/en/a1 (8 slides) 1.2 s\n[ 2/12] built  r/en/a2 (8 slides, 2 warnings) 1.2 s\n');
    expect(out).not.toMatch(/\r|\u001b/);
    expect(deckLine(done(3, 3) as Extract<ProgressEvent, { type: 'deck-done' }>)).toMatch(/^\[3\/3\] built {2}r\/en\/a3/);
  });

  it('prints one JSON object per event in json mode', () => {
    let out = '';
    const progress = createProgressReporter('json', (text) => (out += text));
    progress.update({ type: 'deck-start', key: 'r/en/a1', total: 1 });
    progress.update(done(1, 1, { ms: 12.6 }));
    const events = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toEqual([
      { event: 'deck-start', key: 'r/en/a1', total: 1 },
      { event: 'deck-done', key: 'r/en/a1', done: 1, total: 1, cached: false, slides: 8, warnings: 0, ms: 13 },
    ]);
  });

  it('redraws one line in live mode, keeps log lines above it, and clears it at the end', () => {
    const writes: string[] = [];
    const progress = createProgressReporter('live', (text) => writes.push(text), { columns: 40 });
    progress.update({ type: 'deck-start', key: 'a-very-long-report-name/en/executive-summary', total: 2 });
    progress.print('warning: something\n');
    progress.update(done(1, 2));
    progress.finish();
    for (const write of writes.filter((w) => w.startsWith('\r'))) {
      expect(write.startsWith('\r\u001b[2K')).toBe(true);
      expect(write).not.toContain('\n');
      expect(write.length - '\r\u001b[2K'.length).toBeLessThan(40);
    }
    // The log line lands on a cleared line and the bar comes back under it.
    const at = writes.indexOf('warning: something\n');
    expect(writes[at - 1]).toBe('\r\u001b[2K');
    expect(writes[at + 1]).toMatch(/^\r\u001b\[2K\[/);
    expect(writes.at(-1)).toBe('\r\u001b[2K');
  });

  it('escapes control characters in deck keys (a rendered file may be named anything), in lines and live mode', () => {
    const key = 'talk\u001b[2J\r.md';
    const finished = { type: 'deck-done', key, done: 1, total: 1, cached: false, slides: 1, warnings: 0, ms: 5 } as const;
    expect(deckLine(finished)).toContain('talk\\x1B[2J\\x0D.md');
    const writes: string[] = [];
    const progress = createProgressReporter('live', (text) => writes.push(text), { columns: 80 });
    progress.update({ type: 'deck-start', key, total: 1 });
    // The reporter's own escape (erase line) is the only control sequence on the line.
    expect(writes.at(-1)!.replace('\r\u001b[2K', '')).not.toMatch(/[\u0000-\u001f]/);
  });

  it('prints nothing when off', () => {
    let out = '';
    const progress = createProgressReporter('off', (text) => (out += text));
    progress.update(done(1, 1));
    progress.finish();
    expect(out).toBe('');
  });
});

describe('briefgen build progress (Markdown only, no browser)', () => {
  const t = testdir({});
  beforeAll(() => cpSync(join(import.meta.dirname, '..', 'fixtures', 'release'), t.dir, { recursive: true }));
  afterAll(() => t.cleanup());

  const run = async (args: string[], options: { env?: NodeJS.ProcessEnv; tty?: boolean } = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await main(['-a', 'all', '-d', 'data', '-t', 'templates', '-f', 'md', ...args], {
      cwd: t.dir,
      env: options.env ?? {},
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      readStdin: async () => '',
      stderrIsTTY: options.tty ?? false,
      columns: 80,
    });
    return { code, stdout, stderr };
  };

  it('logs a line per deck under CI', async () => {
    const { code, stderr } = await run(['-o', 'out-ci'], { env: { CI: 'true' }, tty: true });
    expect(code).toBe(0);
    // Decks finish in either order; the counter says how many are done.
    expect(stderr).toMatch(/^\[[12]\/2\] built {2}tiny-release\/en\/people \(2 slides\) [\d.]+ s$/m);
    expect(stderr).toMatch(/^\[[12]\/2\] built {2}tiny-release\/en\/review \(2 slides\) [\d.]+ s$/m);
    expect(stderr).toMatch(/^\[1\/2\][^]*^\[2\/2\]/m);
    expect(stderr).not.toMatch(/\u001b/);
  });

  it('draws a live line on a terminal and leaves the summary on a clean line', async () => {
    const { code, stderr } = await run(['-o', 'out-tty'], { tty: true });
    expect(code).toBe(0);
    expect(stderr).toContain('\r\u001b[2K[');
    expect(stderr).toMatch(/\r\u001b\[2K2 deck\(s\), 4 slides in [\d.]+ s; manifest: /);
  });

  it('keeps stdout to the JSON summary and streams JSON events on stderr with --json', async () => {
    const { code, stdout, stderr } = await run(['-o', 'out-json', '--json'], { tty: true });
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { decks: unknown[] }).decks).toHaveLength(2);
    const events = stderr.trim().split('\n').filter((line) => line.startsWith('{')).map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events.filter((e) => e === 'deck-done')).toHaveLength(2);
  });
});
