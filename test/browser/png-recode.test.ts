import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { recodePng } from '../../src/browser/png-recode.js';

/** A slide-like picture: a horizontal gradient, a flat band, a noisy block and, with alpha, a fade. */
function picture(width: number, height: number, alpha: boolean): PNG {
  const png = new PNG({ width, height });
  let seed = 7;
  const noise = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 4;
      const inNoise = x > width / 2 && y > height / 2;
      png.data[i] = inNoise ? noise() : Math.round((x / width) * 255);
      png.data[i + 1] = inNoise ? noise() : y < height / 3 ? 40 : 200;
      png.data[i + 2] = inNoise ? noise() : (x * y) & 0xff;
      png.data[i + 3] = alpha ? Math.round((y / height) * 255) : 255;
    }
  }
  return png;
}

function encode(png: PNG, options: { colorType: 2 | 6; filterType: number }): Uint8Array {
  return PNG.sync.write(png, { colorType: options.colorType, inputHasAlpha: true, filterType: options.filterType });
}

/** Decoded RGBA of a PNG, alpha forced to 255 for colour type 2 the way pngjs reports it. */
const pixels = (bytes: Uint8Array): Buffer => PNG.sync.read(Buffer.from(bytes)).data;

const filters = [
  ['None', 0],
  ['Sub', 1],
  ['Up', 2],
  ['Average', 3],
  ['Paeth', 4],
  ['adaptive', -1],
] as const;

describe('recodePng', () => {
  for (const colorType of [2, 6] as const) {
    for (const [name, filterType] of filters) {
      it(`keeps every pixel of an 8-bit ${colorType === 2 ? 'RGB' : 'RGBA'} image written with ${name} filtering`, async () => {
        const source = picture(97, 61, colorType === 6);
        const input = encode(source, { colorType, filterType });
        const output = await recodePng(input);
        expect(Buffer.compare(Buffer.from(output), Buffer.from(input))).not.toBe(0);
        expect(pixels(output).equals(pixels(input))).toBe(true);
        const decoded = PNG.sync.read(Buffer.from(output));
        expect([decoded.width, decoded.height]).toEqual([97, 61]);
      });
    }
  }

  it('gives the same bytes for the same image, and a valid file pngjs reads', async () => {
    const input = encode(picture(64, 40, false), { colorType: 2, filterType: 2 });
    const [a, b] = await Promise.all([recodePng(input), recodePng(input)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('makes a flat, gradient slide no bigger than a fast zlib level-1 Up encoding of it', async () => {
    const input = PNG.sync.write(picture(320, 180, false), { colorType: 2, inputHasAlpha: true, filterType: 2, deflateLevel: 1 });
    const output = await recodePng(input);
    expect(output.length).toBeLessThan(input.length);
  });

  it('returns what it cannot handle unchanged: not a PNG, 16-bit, greyscale, truncated', async () => {
    const notPng = new TextEncoder().encode('GIF89a not a png at all');
    expect(await recodePng(notPng)).toBe(notPng);

    const deep = PNG.sync.write(picture(8, 8, false), { colorType: 2, inputHasAlpha: true, bitDepth: 16 });
    expect(await recodePng(deep)).toBe(deep);

    const grey = PNG.sync.write(picture(8, 8, false), { colorType: 0, inputHasAlpha: true });
    expect(await recodePng(grey)).toBe(grey);

    const whole = encode(picture(16, 16, false), { colorType: 2, filterType: 0 });
    const truncated = whole.subarray(0, whole.length - 20);
    expect(await recodePng(truncated)).toBe(truncated);
  });
});
