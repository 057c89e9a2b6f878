import { describe, expect, it } from 'vitest';
import { zip } from '../../src/pptx/zip.js';
import { readZip } from '../support/pptx.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('zip', () => {
  const entries = [
    { name: '[Content_Types].xml', bytes: utf8('<Types/>'.repeat(50)) },
    { name: 'ppt/media/image1.png', bytes: new Uint8Array([137, 80, 78, 71, 1, 2, 3]), store: true },
  ];

  it('writes entries, deflated or stored, that an independent reader gets back with their CRCs', () => {
    const files = readZip(zip(entries, new Date(Date.UTC(2024, 5, 12))));
    expect([...files.keys()]).toEqual(['[Content_Types].xml', 'ppt/media/image1.png']);
    expect(new TextDecoder().decode(files.get('[Content_Types].xml'))).toBe('<Types/>'.repeat(50));
    expect([...files.get('ppt/media/image1.png')!]).toEqual([137, 80, 78, 71, 1, 2, 3]);
  });

  it('gives the same bytes for the same entries and date, and dates every entry (in UTC) from it', () => {
    const date = new Date(Date.UTC(2024, 5, 12, 13, 45, 30));
    const a = zip(entries, date);
    expect(Buffer.from(zip(entries, date)).equals(Buffer.from(a))).toBe(true);
    const view = Buffer.from(a);
    // The local header's DOS time and date: 13:45:30 and 2024-06-12.
    expect(view.readUInt16LE(10)).toBe((13 << 11) | (45 << 5) | 15);
    expect(view.readUInt16LE(12)).toBe(((2024 - 1980) << 9) | (6 << 5) | 12);
    expect(Buffer.from(zip(entries, new Date(Date.UTC(2025, 0, 1)))).equals(view)).toBe(false);
  });

  it('dates anything before 1980 (which zip cannot) at its first day', () => {
    const view = Buffer.from(zip(entries, new Date(0)));
    expect(view.readUInt16LE(12)).toBe((1 << 5) | 1);
  });

  it('refuses a name zip readers would disagree on', () => {
    expect(() => zip([{ name: 'ppt/médias/x.png', bytes: new Uint8Array() }], new Date())).toThrow(/ASCII/);
  });
});
