import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, ExitCode } from '../../src/errors.js';
import { loadTemplateSet } from '../../src/templates/load-template-set.js';
import { minimalTemplates, testdir } from '../support/testdir.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function project() {
  const t = testdir({ ...minimalTemplates, 'secret.txt': 'password=hunter2' });
  cleanup = t.cleanup;
  return t;
}

describe('loadTemplateSet and files linked from elsewhere', () => {
  it('refuses a partial that is a symlink out of the templates folder, naming it and where it leads', async () => {
    const t = project();
    symlinkSync(t.path('secret.txt'), t.path('templates/partials/leak.hbs'));
    const error = await loadTemplateSet(t.path('templates')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.template, exitCode: ExitCode.badInput, location: { file: t.path('templates/partials/leak.hbs') } });
    expect((error as Error).message).toBe(`${t.path('templates/partials/leak.hbs')} is a symlink to ${t.path('secret.txt')}, outside the templates folder`);
  });

  it('refuses a folder of partials linked from outside, and a dangling link', async () => {
    const t = project();
    mkdirSync(t.path('elsewhere'));
    writeFileSync(t.path('elsewhere/x.hbs'), 'x');
    symlinkSync(t.path('elsewhere'), t.path('templates/partials/shared'));
    await expect(loadTemplateSet(t.path('templates'))).rejects.toMatchObject({ message: expect.stringMatching(/partials\/shared is a symlink to .*elsewhere, outside the templates folder$/) });
    const u = project();
    symlinkSync(u.path('nowhere.hbs'), u.path('templates/partials/gone.hbs'));
    await expect(loadTemplateSet(u.path('templates'))).rejects.toMatchObject({ message: expect.stringMatching(/gone\.hbs is a symlink to nothing/) });
  });

  it('follows links within the folder, and a templates folder that is itself a link', async () => {
    const t = project();
    mkdirSync(t.path('templates/partials/layouts'));
    writeFileSync(t.path('templates/partials/layouts/cover.hbs'), '# cover');
    symlinkSync(t.path('templates/partials/layouts/cover.hbs'), t.path('templates/partials/alias.hbs'));
    // A link back up the tree is walked once, not forever.
    symlinkSync(t.path('templates/partials'), t.path('templates/partials/layouts/loop'));
    symlinkSync(t.path('templates'), t.path('linked-templates'));
    const set = await loadTemplateSet(t.path('linked-templates'));
    expect(set.partials.get('alias')?.source).toBe('# cover');
    expect(set.partials.get('layouts/cover')?.source).toBe('# cover');
    expect([...set.partials.keys()].filter((name) => name.includes('loop'))).toEqual([]);
  });

  it('refuses a FIFO named like a template instead of blocking on it', async () => {
    const t = project();
    execFileSync('mkfifo', [t.path('templates/partials/pipe.hbs')]);
    await expect(loadTemplateSet(t.path('templates'))).rejects.toMatchObject({ code: ErrorCode.template, message: expect.stringMatching(/pipe\.hbs is not a regular file$/) });
  });
});
