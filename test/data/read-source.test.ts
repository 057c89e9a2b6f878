import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { dataBudget, decodeUtf8, invalidUtf8Offset, readDataFile, readStdinData } from '../../src/data/read-source.js';
import { BriefgenError, ErrorCode, ExitCode } from '../../src/errors.js';
import { testdir } from '../support/testdir.js';

const t = testdir({ 'ok.yaml': 'meta:\n  id: a\n' });
afterAll(() => t.cleanup());

async function errorOf(promise: Promise<unknown>): Promise<BriefgenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BriefgenError);
  return error as BriefgenError;
}

describe('readDataFile', () => {
  it('refuses what is not a regular file, by what it is, before reading a byte', async () => {
    execFileSync('mkfifo', [t.path('fifo')]);
    for (const [path, kind] of [
      ['/dev/zero', 'a character device'],
      ['/dev/null', 'a character device'],
      [t.path('fifo'), 'a pipe (FIFO)'],
    ] as const) {
      const error = await errorOf(readDataFile(path, dataBudget(1024)));
      expect(error.message, path).toBe(`${kind}, not a data file`);
      expect(error.exitCode).toBe(ExitCode.badInput);
      expect(error.location?.file).toBe(path);
      expect(error.hint).toMatch(/--data -/);
    }
  });

  it('refuses a file over the limit by its size, and counts every file against one budget', async () => {
    writeFileSync(t.path('big.yaml'), 'x'.repeat(2048));
    const big = await errorOf(readDataFile(t.path('big.yaml'), dataBudget(1024)));
    expect(big).toMatchObject({ code: ErrorCode.limit, exitCode: ExitCode.badInput, message: '2 KiB of data, over the 1 KiB data size limit' });
    expect(big.hint).toMatch(/--max-data-size/);

    const budget = dataBudget(3000);
    await readDataFile(t.path('big.yaml'), budget);
    expect(budget.used).toBe(2048);
    const second = await errorOf(readDataFile(t.path('big.yaml'), budget));
    expect(second.message).toMatch(/brings the run's data over the 2\.9 KiB data size limit \(4 KiB with the files before it\)/);
  });

  it('reads no further than the limit when the file holds more than its size said', async () => {
    // /proc files stat as 0 bytes and hold more: like a file that grew between stat and read.
    const error = await errorOf(readDataFile('/proc/self/status', dataBudget(100)));
    expect(error).toMatchObject({ code: ErrorCode.limit, message: 'more than 100 bytes of data, over the 100 bytes data size limit' });
  });

  it('drops a UTF-8 byte-order mark', async () => {
    writeFileSync(t.path('bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": 1}')]));
    expect(await readDataFile(t.path('bom.json'), dataBudget(1024))).toBe('{"a": 1}');
  });
});

describe('decodeUtf8', () => {
  it('names the first invalid byte, its offset, line and column, where a lenient decoder shows U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('meta:\n  title: Caf'), Buffer.from([0xe9]), Buffer.from(' noir\n')]);
    let error: BriefgenError | undefined;
    try {
      decodeUtf8('latin1.yaml', bytes);
    } catch (e) {
      error = e as BriefgenError;
    }
    expect(error).toMatchObject({ code: ErrorCode.dataParse, exitCode: ExitCode.badInput, message: 'not valid UTF-8: byte 0xe9 at byte offset 18' });
    expect(error!.location).toMatchObject({ file: 'latin1.yaml', line: 2, column: 13 });
    expect(error!.location!.excerpt).toBe('  title: Caf\uFFFD noir');
  });

  it('counts the offset in the file, byte-order mark included', () => {
    expect(() => decodeUtf8('f', Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xff]))).toThrow('byte 0xff at byte offset 4');
  });

  it.each([
    ['ASCII', [0x61, 0x62], 2],
    ['a whole 3-byte sequence', [0xe4, 0xb8, 0xad], 3],
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong encoding', [0xc0, 0xaf], 0],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['a truncated sequence at the end', [0x61, 0xe4, 0xb8], 1],
    ['a sequence cut by ASCII', [0xe9, 0x74], 0],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('invalidUtf8Offset: %s', (_name, bytes, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });
});

describe('readStdinData', () => {
  it('asks the reader for no more than the budget, and fails when it got more', async () => {
    const asked: number[] = [];
    const endless = async ({ maxBytes }: { maxBytes: number }) => {
      asked.push(maxBytes);
      return new Uint8Array(maxBytes + 1);
    };
    const error = await errorOf(readStdinData(endless, dataBudget(4096)));
    expect(asked).toEqual([4096]);
    expect(error).toMatchObject({ code: ErrorCode.limit, message: 'more than 4 KiB of data, over the 4 KiB data size limit', location: { file: '<stdin>' } });
  });

  it('accepts a string from a caller that reads stdin its own way, within the same limit', async () => {
    expect(await readStdinData(async () => '\uFEFFmeta: {}', dataBudget(100))).toBe('meta: {}');
    await expect(readStdinData(async () => 'x'.repeat(101), dataBudget(100))).rejects.toMatchObject({ code: ErrorCode.limit });
  });
});
