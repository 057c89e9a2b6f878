import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

/**
 * The GitHub workflow, checked offline: first by action-validator (the npm package
 * @action-validator/core: the workflow JSON Schema compiled to WebAssembly, no network), then for
 * what this project needs of it, which no schema can say.
 */
const require = createRequire(import.meta.url);
const { validateWorkflow } = require('@action-validator/core') as { validateWorkflow: (text: string) => { errors: unknown[] } };
const text = readFileSync(new URL('../.github/workflows/decks.yml', import.meta.url), 'utf8');

interface Step { uses?: string; run?: string; if?: string; name?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { needs?: string | string[]; if?: string; steps: Step[]; permissions?: Record<string, string>; strategy?: { matrix?: Record<string, unknown[]> } }
const workflow = parse(text) as { on: Record<string, unknown>; env?: Record<string, string>; permissions: Record<string, string>; jobs: Record<string, Job> };
const jobs = workflow.jobs;
const steps = (job: string) => jobs[job]!.steps;
const runs = (job: string) => steps(job).map((s) => s.run ?? '').join('\n');

/** The first major of each action that runs on the Node.js 24 action runtime (Node 20's is deprecated). */
const node24Majors: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/cache': 5,
  'actions/cache/restore': 5,
  'actions/cache/save': 5,
  'actions/upload-artifact': 6,
  'actions/download-artifact': 7,
};

describe('.github/workflows/decks.yml', () => {
  it('passes action-validator', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  it('action-validator does find mistakes (a misspelt key, a job without runs-on)', () => {
    expect(validateWorkflow(text.replace('runs-on: ubuntu-24.04', 'run-on: ubuntu-24.04')).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow(text.replace('    steps:\n', '    stepz:\n')).errors.length).toBeGreaterThan(0);
  });

  it('uses only actions at majors on the Node.js 24 runtime, and nothing unpinned to a major', () => {
    const used = Object.values(jobs).flatMap((job) => job.steps.filter((s) => s.uses).map((s) => s.uses!));
    expect(used.length).toBeGreaterThan(0);
    for (const uses of used) {
      const [name, ref] = uses.split('@') as [string, string];
      expect(Object.keys(node24Majors), uses).toContain(name);
      expect(Number(/^v(\d+)$/.exec(ref)?.[1]), uses).toBeGreaterThanOrEqual(node24Majors[name]!);
    }
  });

  it('sets up a supported Node.js (22 or later) everywhere', () => {
    const versions = Object.values(jobs).flatMap((job) => job.steps.filter((s) => s.uses?.startsWith('actions/setup-node')).map((s) => String(s.with?.['node-version'])));
    const resolved = versions.flatMap((v) => (v === '${{ matrix.node }}' ? (jobs.test!.strategy!.matrix!.node as string[]) : v === '${{ env.NODE_VERSION }}' ? [workflow.env!.NODE_VERSION!] : [v]));
    expect(resolved.length).toBeGreaterThan(0);
    for (const v of resolved) expect(Number(v), v).toBeGreaterThanOrEqual(22);
  });

  it('runs the tests, on pushes, pull requests and tags', () => {
    expect(runs('test')).toMatch(/^npm test$/m);
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(workflow.on.push).toMatchObject({ branches: ['main'], tags: ['v*'] });
  });

  it('restores the build cache everywhere but saves it only from the default branch, so tag runs find it', () => {
    const restore = steps('build').find((s) => s.uses?.startsWith('actions/cache/restore'));
    const save = steps('build').find((s) => s.uses?.startsWith('actions/cache/save'));
    expect(restore?.if).toBeUndefined();
    expect(save?.if).toBe("github.ref == format('refs/heads/{0}', github.event.repository.default_branch)");
    expect(String(save!.with!.key).startsWith(String(restore!.with!['restore-keys']).split('\n')[0]!)).toBe(true);
    // The combined actions/cache would save on every ref, tags included, where no later run finds it.
    expect(steps('build').some((s) => /^actions\/cache@/.test(s.uses ?? ''))).toBe(false);
  });

  it('installs and checks the browser and the CJK fonts before building', () => {
    const build = runs('build');
    expect(build).toMatch(/browsers install chrome-headless-shell@stable/);
    expect(build).toMatch(/test -x "\$path"/);
    expect(build).toMatch(/BRIEFGEN_CHROME_PATH=\$path/);
    expect(build).toMatch(/fonts-noto-cjk/);
    expect(build).toMatch(/fc-list :lang=zh/);
    const order = steps('build').map((s) => s.name ?? s.uses ?? s.run ?? '');
    expect(order.findIndex((n) => n.startsWith('Browser'))).toBeLessThan(order.findIndex((n) => n.startsWith('Build shard')));
  });

  it('attaches the PDFs and PPTX files to the GitHub release of a tag, with write access only there', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const release = jobs.release!;
    expect(release.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(release.permissions).toEqual({ contents: 'write' });
    expect(release.needs).toEqual(expect.arrayContaining(['test', 'merge']));
    const script = runs('release');
    expect(script).toMatch(/gh release create "\$TAG"/);
    expect(script).toMatch(/-name '\*\.pdf' -o -name '\*\.pptx'/);
    expect(script).toMatch(/gh release upload "\$TAG"/);
    const uploaded = steps('merge').find((s) => s.uses?.startsWith('actions/upload-artifact') && String(s.with?.name).startsWith('release-decks'));
    expect(String(uploaded!.with!.path)).toMatch(/\*\.pdf[\s\S]*\*\.pptx/);
  });
});
