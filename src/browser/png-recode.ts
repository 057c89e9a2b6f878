import { promisify } from 'node:util';
import zlib from 'node:zlib';

const inflate = promisify(zlib.inflate);
const deflate = promisify(zlib.deflate);

const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/**
 * zlib level for the re-encoded image data. On the shipped slides, Sub at level 4 comes to 98% of
 * the bytes Chromium's own adaptive encoder writes (median slide 1.08×) for about a third of its
 * CPU time; level 3 switches to zlib's greedy matcher and grows text slides by a quarter.
 */
const deflateLevel = 4;

interface Chunk {
  type: string;
  data: Uint8Array;
  /** Length, type, data and CRC, as read. */
  raw: Uint8Array;
}

function readChunks(png: Uint8Array): Chunk[] | undefined {
  if (png.length < 8 || signature.some((byte, i) => png[i] !== byte)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  for (let offset = 8; offset + 12 <= png.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > png.length) return undefined;
    chunks.push({ type, data: png.subarray(offset + 8, offset + 8 + length), raw: png.subarray(offset, offset + 12 + length) });
    offset += 12 + length;
    if (type === 'IEND') return chunks;
  }
  return undefined;
}

const crcTable = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

// zlib.crc32 arrived in Node 20.15; the table is for older 20.x.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

function crc32(bytes: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(bytes);
  let c = -1;
  for (let i = 0; i < bytes.length; i += 1) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function writeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i += 1) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Undoes whatever filter each scanline carries and writes the row again with the Sub filter, in
 * place. Slides are mostly flat colour and horizontal gradients, where Sub leaves long runs of
 * zeros for zlib.
 */
function refilterWithSub(f: Uint8Array, width: number, height: number, bpp: number): Uint8Array | undefined {
  const rowLength = width * bpp;
  const stride = rowLength + 1;
  if (f.length !== stride * height) return undefined;
  // Plain pixels of the row above (zeros above the first row): the row itself is about to be
  // overwritten with its Sub differences.
  const above = new Uint8Array(rowLength);
  for (let y = 0; y < height; y += 1) {
    const start = y * stride + 1;
    const end = start + rowLength;
    switch (f[start - 1]) {
      case 0:
        break;
      case 1:
        for (let i = start + bpp; i < end; i += 1) f[i] = (f[i]! + f[i - bpp]!) & 0xff;
        break;
      case 2:
        for (let i = start, k = 0; i < end; i += 1, k += 1) f[i] = (f[i]! + above[k]!) & 0xff;
        break;
      case 3:
        for (let i = start, k = 0; i < end; i += 1, k += 1) {
          const left = k >= bpp ? f[i - bpp]! : 0;
          f[i] = (f[i]! + ((left + above[k]!) >> 1)) & 0xff;
        }
        break;
      case 4:
        for (let i = start, k = 0; i < end; i += 1, k += 1) {
          const left = k >= bpp ? f[i - bpp]! : 0;
          const aboveLeft = k >= bpp ? above[k - bpp]! : 0;
          f[i] = (f[i]! + paeth(left, above[k]!, aboveLeft)) & 0xff;
        }
        break;
      default:
        return undefined;
    }
    above.set(f.subarray(start, end));
    // Right to left, so every left neighbour is still a plain pixel when it is read.
    for (let i = end - 1; i >= start + bpp; i -= 1) f[i] = (f[i]! - f[i - bpp]!) & 0xff;
    f[start - 1] = 1;
  }
  return f;
}

/**
 * Re-encodes a PNG losslessly: the same pixels, Sub-filtered and deflated at a moderate level, on
 * Node's zlib threads. Chromium's default PNG encoder tries every filter on every row and spends
 * more time than the rest of a screenshot; captured with `optimizeForSpeed` and re-encoded here,
 * a slide costs far less CPU and comes out about as small. Anything but 8-bit, non-interlaced RGB
 * or RGBA is returned as it is.
 */
export async function recodePng(png: Uint8Array): Promise<Uint8Array> {
  const chunks = readChunks(png);
  const header = chunks?.[0];
  if (!chunks || header?.type !== 'IHDR' || header.data.length !== 13) return png;
  const view = new DataView(header.data.buffer, header.data.byteOffset, 13);
  const [width, height] = [view.getUint32(0), view.getUint32(4)];
  const [depth, colourType, compression, filterMethod, interlace] = header.data.subarray(8);
  const bpp = colourType === 2 ? 3 : colourType === 6 ? 4 : 0;
  if (depth !== 8 || bpp === 0 || compression !== 0 || filterMethod !== 0 || interlace !== 0) return png;

  const data = chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data);
  if (data.length === 0) return png;
  // One output buffer of the exact size: zlib's default 16 KiB chunks would mean a hundred and
  // more callbacks, allocations and a final copy on the main thread for every slide.
  const filtered = await inflate(Buffer.concat(data), { chunkSize: Math.max(64, height * (width * bpp + 1)) });
  const refiltered = refilterWithSub(filtered, width, height, bpp);
  if (!refiltered) return png;
  const compressed = await deflate(refiltered, { level: deflateLevel, chunkSize: 256 * 1024 });

  // Ancillary chunks (colour space, gamma, ...) keep their place around the image data.
  const firstData = chunks.findIndex((chunk) => chunk.type === 'IDAT');
  const before = chunks.slice(0, firstData).map((chunk) => chunk.raw);
  const after = chunks.slice(firstData).filter((chunk) => chunk.type !== 'IDAT').map((chunk) => chunk.raw);
  const parts = [signature, ...before, writeChunk('IDAT', compressed), ...after];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
