import { symlinkSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { findDataFiles, loadReports } from '../../src/data/load-reports.js';
import { ErrorCode } from '../../src/errors.js';
import { testdir } from '../support/testdir.js';

const minimal = readFileSync(new URL('../fixtures/data/minimal.yaml', import.meta.url), 'utf8');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('findDataFiles', () => {
  it('counts a data file linked into a folder like any other, and refuses a link to a device', async () => {
    const t = testdir({ 'elsewhere/en.yaml': minimal, 'report/zh.yaml': minimal.replace('language: en', 'language: zh') });
    cleanup = t.cleanup;
    symlinkSync(t.path('elsewhere/en.yaml'), t.path('report/en.yaml'));
    expect(await findDataFiles(t.path('report'))).toEqual([t.path('report/en.yaml'), t.path('report/zh.yaml')]);
    symlinkSync('/dev/zero', t.path('report/zero.yaml'));
    await expect(findDataFiles(t.path('report'))).rejects.toMatchObject({ code: ErrorCode.usage, message: 'a character device, not a data file' });
  });
});

describe('loadReports', () => {
  it('refuses --data - twice: standard input can be read only once', async () => {
    await expect(loadReports(['-', '-'], async () => minimal)).rejects.toMatchObject({ code: ErrorCode.usage, exitCode: 2, message: expect.stringMatching(/given more than once/) });
  });

  it('counts every file against one data size budget', async () => {
    const t = testdir({ 'a/en.yaml': minimal, 'b/en.yaml': minimal.replace('id: minimal', 'id: other') });
    cleanup = t.cleanup;
    const size = Buffer.byteLength(minimal);
    expect(await loadReports([t.path('a'), t.path('b')], async () => '', { limits: { dataBytes: size * 2 + 10 } })).toHaveLength(2);
    await expect(loadReports([t.path('a'), t.path('b')], async () => '', { limits: { dataBytes: size + 10 } })).rejects.toMatchObject({ code: ErrorCode.limit, message: expect.stringMatching(/brings the run's data over/) });
  });

  it('calls empty data empty, naming where it came from', async () => {
    await expect(loadReports(['-'], async () => '  \n')).rejects.toMatchObject({ code: ErrorCode.dataShape, message: 'the data is empty', location: { file: '<stdin>' } });
  });
});
