import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { audienceProfileSchema } from '../src/templates/profile-schema.js';
import { runCli } from './support/run-cli.js';
import { testdir } from './support/testdir.js';

/** The README's examples must run: its fenced blocks are read from the file itself. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocksUnder = (heading: string, lang: string): string[] => {
  const start = readme.indexOf(`\n## ${heading}\n`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
};

describe('README examples', () => {
  const t = testdir({});
  afterAll(() => t.cleanup());

  it('the data format example validates and builds the exec deck as Markdown', async () => {
    const [example] = blocksUnder('Data format', 'yaml');
    expect(example).toBeDefined();
    const file = t.path('acme.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, example!);
    const validate = await runCli(['validate', '--data', file]);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stderr).toMatch(/ok acme-q3\/en\/exec/);
    const build = await runCli(['--data', file, '--format', 'md', '--out', t.path('out')]);
    expect(build.code, build.stderr).toBe(0);
    const markdown = readFileSync(t.path('out/acme-q3/en/exec/acme-q3-en-exec.md'), 'utf8');
    expect(markdown).toContain('Acme in Q3');
  });

  it('the render example exports a real Marp deck with its theme set', async () => {
    const [block] = blocksUnder('Rendering Marp decks (briefgen render)', 'sh');
    const line = block!.split('\n').find((l) => l.startsWith('npx briefgen render '))!;
    const args = line.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
    const result = await runCli([...args, '--out', t.path('render-out'), '--strict']);
    // The graph_paper theme imports a web font: the only warning is that blocked request.
    expect(result.code).toBe(1);
    expect(result.stderr.match(/^warning: .*$/gm)).toEqual([expect.stringMatching(/blocked a request to https:\/\/fonts\.googleapis\.com\//)]);
    expect(readFileSync(t.path('render-out/template/slide-09.png')).length).toBeGreaterThan(0);
    expect(readFileSync(t.path('render-out/template/template.html'), 'utf8')).toContain('data-theme="graph_paper"');
  }, 60_000);

  it('the config file example is one briefgen reads, with the values it says', async () => {
    const [example] = blocksUnder('CLI reference', 'yaml');
    const dir = t.path('configured');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/briefgen.config.yaml`, example!);
    const result = await runCli(['config', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const { options } = JSON.parse(result.stdout) as { options: Record<string, { value: unknown; from?: string }> };
    expect(options.audience).toEqual({ value: 'exec,public', source: 'file', from: 'briefgen.config.yaml:2' });
    expect(options.out!.value).toBe(`${dir}/decks`);
    expect(options.maxListItems!.value).toBe(200);
  });

  it('the audience profile example is a valid profile', () => {
    const profile = blocksUnder('Audiences, templates and themes', 'yaml')[0];
    expect(audienceProfileSchema.safeParse(parse(profile!)).success).toBe(true);
  });
});
