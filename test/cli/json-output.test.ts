import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { testdir } from '../support/testdir.js';

/**
 * The --json contract, checked against real runs: stdout is one object valid against
 * schema/cli-output.schema.json, and every line of stderr one object valid against
 * schema/cli-event.schema.json, for successes, warnings and each class of error.
 */
const schema = (name: string) => JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const checkOutput = ajv.compile(schema('cli-output.schema.json'));
const checkEvent = ajv.compile(schema('cli-event.schema.json'));
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));

type Run = Awaited<ReturnType<typeof runCli>>;

/** Checks both streams of a --json run against the published schemas and returns the summary. */
function contract(run: Run): Record<string, unknown> {
  const summary = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(checkOutput(summary), JSON.stringify(checkOutput.errors, null, 2)).toBe(true);
  for (const line of run.stderr.split('\n').filter(Boolean)) {
    let event: unknown;
    expect(() => (event = JSON.parse(line)), `stderr line is not JSON: ${line}`).not.toThrow();
    expect(checkEvent(event), `${line}\n${JSON.stringify(checkEvent.errors, null, 2)}`).toBe(true);
  }
  return summary;
}

describe('--json: one documented shape per command, stderr only JSON lines', () => {
  const t = testdir({ 'out-file': 'not a folder', 'bad.yaml': 'meta:\n  id: [unclosed\n' });
  const fitTemplates = t.path('fit-templates');
  beforeAll(() => {
    cpSync(join(fixtures, 'fit', 'templates'), fitTemplates, { recursive: true });
    mkdirSync(join(fitTemplates, 'themes'));
    cpSync(join(repo, 'templates', 'themes', 'briefing.css'), join(fitTemplates, 'themes', 'briefing.css'));
    writeFileSync(t.path('tiny.yaml'), readFileSync(join(fixtures, 'reports', 'minimal', 'en.yaml')));
  });
  afterAll(() => t.cleanup());

  it('build: success', async () => {
    const run = await runCli(['-a', 'exec', '-l', 'en', '-f', 'md', '--no-cache', '-o', t.path('out'), '--json'], { cwd: repo });
    expect(run.code, run.stderr).toBe(0);
    const summary = contract(run);
    expect(summary).toMatchObject({ command: 'build', ok: true });
    expect(run.stderr).toMatch(/"event":"deck-done"/);
    expect(run.stderr).not.toMatch(/^\d+ deck\(s\)/m);
  });

  it('build: warnings, and --strict turning them into exit 1 with ok false', async () => {
    const run = await runCli(['-a', 'rigid', '-l', 'en', '-d', join(fixtures, 'fit', 'data', 'hostile'), '-t', fitTemplates, '-f', 'pdf', '--no-cache', '-o', t.path('out-warn'), '--json', '--strict'], { cwd: t.dir });
    expect(run.code, run.stderr).toBe(1);
    const summary = contract(run);
    expect(summary).toMatchObject({ command: 'build', ok: false });
    expect((summary.warnings as Array<{ code: string }>).map((w) => w.code)).toContain('overflow');
    expect(run.stderr).toMatch(/"level":"warning"/);
  }, 120_000);

  it('validate, measured and not: the same shape (fit is null without the browser)', async () => {
    const measured = await runCli(['validate', '-a', 'rigid', '-l', 'en', '-d', join(fixtures, 'fit', 'data', 'hostile'), '-t', fitTemplates, '--json'], { cwd: t.dir });
    const unmeasured = await runCli(['validate', '-a', 'rigid', '-l', 'en', '-d', join(fixtures, 'fit', 'data', 'hostile'), '-t', fitTemplates, '--json', '--no-measure'], { cwd: t.dir });
    const a = contract(measured) as { measured: boolean; decks: Array<Record<string, unknown>> };
    const b = contract(unmeasured) as { measured: boolean; decks: Array<Record<string, unknown>> };
    expect([a.measured, b.measured]).toEqual([true, false]);
    expect(Object.keys(a.decks[0]!).sort()).toEqual(Object.keys(b.decks[0]!).sort());
    expect(a.decks[0]!.fit).not.toBeNull();
    expect(b.decks[0]!.fit).toBeNull();
  }, 120_000);

  it('list, config, init and eject', async () => {
    expect(contract(await runCli(['list', '--json'], { cwd: repo }))).toMatchObject({ command: 'list', ok: true });
    expect(contract(await runCli(['config', '--json'], { cwd: t.dir }))).toMatchObject({ command: 'config', ok: true, configFile: null });
    expect(contract(await runCli(['init', 'new', '--json'], { cwd: t.dir }))).toMatchObject({ command: 'init', ok: true, folder: 'new', files: ['content/new/en.yaml'] });
    expect(contract(await runCli(['eject', 'templates', 'mine', '--json'], { cwd: t.dir }))).toMatchObject({ command: 'eject', ok: true, folder: 'mine' });
    expect(contract(await runCli(['init', 'new', '--json'], { cwd: t.dir }))).toMatchObject({ command: 'init', ok: false, error: { code: 'E_OUTPUT', exitCode: 2 } });
  });

  it.each([
    ['a misspelt option', ['--audiance', 'x'], 'E_USAGE', 2],
    ['an unknown audience', ['-a', 'nope'], 'E_UNKNOWN_AUDIENCE', 2],
    ['an unknown language', ['-l', 'fr'], 'E_UNKNOWN_LANGUAGE', 2],
    ['a count that is not one', ['-j', 'abc'], 'E_USAGE', 2],
    ['data that does not parse', ['-d', 'bad.yaml'], 'E_DATA_PARSE', 2],
    ['data of the wrong shape', ['-d', join(fixtures, 'data', 'wrong-shape.yaml'), '-a', 'all'], 'E_DATA_SHAPE', 2],
    ['a limit exceeded', ['-d', 'tiny.yaml', '--max-data-size', '10'], 'E_LIMIT', 2],
    ['an unusable output folder', ['-d', 'tiny.yaml', '-o', 'out-file', '-f', 'md'], 'E_OUTPUT', 2],
    ['a template error', ['-d', 'tiny.yaml', '-t', join(fixtures, 'data')], 'E_PROFILE', 2],
  ] as const)('error: %s', async (_name, args, code, exitCode) => {
    const run = await runCli([...args, '--json'], { cwd: t.dir });
    expect(run.code, run.stderr).toBe(exitCode);
    const summary = contract(run) as { ok: boolean; error: { code: string; exitCode: number } };
    expect(summary).toMatchObject({ command: 'build', ok: false, error: { code, exitCode } });
    expect(run.stderr.trim().split('\n').map((l) => JSON.parse(l) as { event: string }).filter((e) => e.event === 'error')).toHaveLength(1);
  }, 60_000);

  it('error: a missing browser (exit 1), through the real bin, whose environment the browser lookup reads', () => {
    const child = spawnSync(process.execPath, [join(repo, 'bin', 'briefgen.js'), '-d', 'tiny.yaml', '-f', 'pdf', '--no-cache', '-o', 'out-nobrowser', '--json'], {
      cwd: t.dir,
      encoding: 'utf8',
      env: { ...process.env, BRIEFGEN_CHROME_PATH: '/nonexistent/chrome' },
    });
    expect(child.status, child.stderr).toBe(1);
    expect(contract({ code: child.status!, stdout: child.stdout, stderr: child.stderr })).toMatchObject({ ok: false, error: { code: 'E_BROWSER_MISSING', exitCode: 1 } });
  }, 60_000);

  it('error: interrupted (exit 130): the stopping notice and the error are JSON lines too', async () => {
    const child = spawn(process.execPath, [join(repo, 'bin', 'briefgen.js'), '-a', 'all', '-l', 'en', '-f', 'pdf', '--no-cache', '-o', t.path('out-int'), '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Interrupt once a deck is under way, i.e. with the browser busy.
    await new Promise<void>((ready) => {
      const check = setInterval(() => {
        if (stderr.includes('"event":"deck-start"')) {
          clearInterval(check);
          ready();
        }
      }, 20);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code, stderr).toBe(130);
    expect(contract({ code: code!, stdout, stderr })).toMatchObject({ ok: false, error: { code: 'E_INTERRUPTED', exitCode: 130 } });
    expect(stderr).toMatch(/"message":"stopping \(Ctrl-C again to force\)…"/);
  }, 120_000);

  it('an error of another command names that command', async () => {
    const run = await runCli(['validate', '--json', '-d', 'bad.yaml', '--no-measure'], { cwd: t.dir });
    expect(contract(run)).toMatchObject({ command: 'validate', ok: false, error: { code: 'E_DATA_PARSE' } });
  });
});
