// node scripts/contact-sheet.mjs OUT.png SLIDE.png… [--columns 3] [--scale 0.5]
//
// Tiles slide PNGs into one sheet (each scaled down, numbered in order) so a whole deck can be
// looked at in one picture. A development aid; not part of the package.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { columns: { type: 'string' }, scale: { type: 'string' } } });
const [out, ...files] = positionals;
if (!out || files.length === 0) {
  console.error('usage: node scripts/contact-sheet.mjs OUT.png SLIDE.png… [--columns 3] [--scale 0.5]');
  process.exit(2);
}
const columns = Number(values.columns ?? 3);
const step = Math.round(1 / Number(values.scale ?? 0.5));
const slides = files.map((f) => PNG.sync.read(readFileSync(f)));
const w = Math.floor(slides[0].width / step);
const h = Math.floor(slides[0].height / step);
const gap = 8;
const rows = Math.ceil(slides.length / columns);
const sheet = new PNG({ width: columns * (w + gap) + gap, height: rows * (h + gap) + gap });
sheet.data.fill(90);
slides.forEach((png, index) => {
  const ox = gap + (index % columns) * (w + gap);
  const oy = gap + Math.floor(index / columns) * (h + gap);
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      // Box filter over step×step source pixels.
      const sum = [0, 0, 0];
      for (let dy = 0; dy < step; dy += 1) {
        for (let dx = 0; dx < step; dx += 1) {
          const i = ((y * step + dy) * png.width + (x * step + dx)) * 4;
          sum[0] += png.data[i];
          sum[1] += png.data[i + 1];
          sum[2] += png.data[i + 2];
        }
      }
      const o = ((oy + y) * sheet.width + ox + x) * 4;
      const n = step * step;
      sheet.data[o] = sum[0] / n;
      sheet.data[o + 1] = sum[1] / n;
      sheet.data[o + 2] = sum[2] / n;
      sheet.data[o + 3] = 255;
    }
  }
});
writeFileSync(out, PNG.sync.write(sheet));
console.error(`${out}: ${slides.length} slides, ${columns} per row`);
