import { open, stat } from 'node:fs/promises';
import { BriefgenError, ErrorCode } from '../errors.js';
import { formatBytes, limitFlags } from './limits.js';

/** What the caller's standard-input reader is asked for: stop after `maxBytes` (+1, to tell), or on abort. */
export interface StdinRequest {
  maxBytes: number;
  signal?: AbortSignal;
}

/** Reads standard input: the CLI's bounded reader, or a test's string. */
export type StdinReader = (request: StdinRequest) => Promise<string | Uint8Array>;

/**
 * What a run may still read: the data-size limit applies to each source and to all of them
 * together, so a folder of many big files is bounded like one.
 */
export interface DataBudget {
  readonly limit: number;
  used: number;
}

export const dataBudget = (limit: number): DataBudget => ({ limit, used: 0 });

const kindOf = (info: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string =>
  info.isFIFO() ? 'a pipe (FIFO)' : info.isCharacterDevice() ? 'a character device' : info.isBlockDevice() ? 'a block device' : info.isSocket() ? 'a socket' : 'not a regular file';

/** The error for a data path that is neither a file nor a folder: /dev/zero, a FIFO, `<(cmd)`. */
export function notRegularFile(file: string, info: Parameters<typeof kindOf>[0], what = 'data file'): BriefgenError {
  const kind = kindOf(info);
  return new BriefgenError(ErrorCode.usage, `${kind}, not a ${what}`, {
    location: { file },
    hint:
      what === 'data file'
        ? 'pass a YAML or JSON file or a folder; to stream data from a command, pipe it to --data - (cmd | briefgen --data -)'
        : `pass a ${what} saved on disk`,
  });
}

function overLimit(label: string, size: string, budget: DataBudget, together: boolean): BriefgenError {
  return new BriefgenError(
    ErrorCode.limit,
    together
      ? `this file brings the run's data over the ${formatBytes(budget.limit)} data size limit (${size} with the files before it)`
      : `${size} of data, over the ${formatBytes(budget.limit)} data size limit`,
    { location: { file: label }, hint: `raise the limit with ${limitFlags.dataBytes} (e.g. ${limitFlags.dataBytes} 64MiB)` },
  );
}

/** Charges `bytes` to the budget, or fails naming the source. */
function charge(label: string, bytes: number, budget: DataBudget, exact: boolean): void {
  if (bytes > budget.limit) throw overLimit(label, exact ? formatBytes(bytes) : `more than ${formatBytes(budget.limit)}`, budget, false);
  if (budget.used + bytes > budget.limit) throw overLimit(label, formatBytes(budget.used + bytes), budget, true);
  budget.used += bytes;
}

/**
 * A data file's text: a regular file only (never a device or a pipe, which may never end), no
 * bigger than what is left of the budget, read no further than that even if it grows meanwhile,
 * and valid UTF-8 (a byte-order mark is dropped).
 */
export async function readDataFile(file: string, budget: DataBudget, what = 'data file'): Promise<string> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new BriefgenError(ErrorCode.usage, `cannot read the ${what}: ${error.code ?? error.message}`, { location: { file }, cause: error });
  });
  if (!info.isFile()) throw notRegularFile(file, info, what);
  const room = budget.limit - budget.used;
  if (info.size > room) charge(file, info.size, budget, true);
  const handle = await open(file, 'r');
  try {
    // The size stat gave is a hint: the file may grow meanwhile, and /proc or FUSE files say 0.
    // Read until the end or one byte past what the budget allows, whichever comes first.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= room) {
      const chunk = Buffer.alloc(Math.min(Math.max(info.size - length, 64 * 1024), room + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, length);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    charge(file, length, budget, length <= room);
    return decodeUtf8(file, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length));
  } finally {
    await handle.close();
  }
}

/** Standard input, read through the caller's reader up to what is left of the budget. */
export async function readStdinData(read: StdinReader, budget: DataBudget, signal?: AbortSignal): Promise<string> {
  const label = '<stdin>';
  const room = budget.limit - budget.used;
  const data = await read({ maxBytes: room, ...(signal ? { signal } : {}) });
  if (typeof data === 'string') {
    charge(label, Buffer.byteLength(data), budget, true);
    return data.replace(/^\uFEFF/, '');
  }
  charge(label, data.byteLength, budget, data.byteLength <= room);
  return decodeUtf8(label, data);
}

/**
 * Strict UTF-8: an invalid byte is an error naming the byte offset, line and column, where a
 * lenient decoder would silently show U+FFFD on the slide.
 */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const offset = invalidUtf8Offset(body);
    const before = new TextDecoder('utf-8').decode(body.subarray(0, offset));
    const lines = before.split('\n');
    const line = lines.length;
    const lineStart = offset - Buffer.byteLength(lines.at(-1) ?? '');
    const lineEnd = body.indexOf(0x0a, offset);
    const excerpt = new TextDecoder('utf-8').decode(body.subarray(lineStart, lineEnd < 0 ? Math.min(body.length, lineStart + 200) : lineEnd));
    const byte = body[offset]!;
    throw new BriefgenError(ErrorCode.dataParse, `not valid UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} at byte offset ${offset + start}`, {
      location: { file, line, column: (lines.at(-1)?.length ?? 0) + 1, excerpt },
      hint: 'save the file as UTF-8 (most editors have an "encoding" menu; iconv -f <encoding> -t UTF-8 converts it)',
    });
  }
}

/** Byte offset of the first byte that does not begin a well-formed UTF-8 sequence. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // Lead byte ranges and the allowed range of the first continuation byte (RFC 3629 table).
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
