import { describe, expect, it } from 'vitest';
import { canonicalJson, exportCacheKey, type ExportKeyInput } from '../../src/cache/cache-key.js';

const base: ExportKeyInput = {
  fingerprint: 'f'.repeat(64),
  browser: '/usr/bin/chromium:1234:5678',
  html: '<html><body><svg data-marpit-svg=""></svg></body></html>',
  width: 1280,
  height: 720,
  slideCount: 1,
  formats: { pdf: true, png: true },
  allowedRoots: ['/project'],
  pdfMetadata: { title: 'T', keywords: ['a', 'b'], date: new Date('2024-01-02T03:04:05Z') },
};

describe('exportCacheKey', () => {
  it('is a stable sha256 that ignores the order of object keys', () => {
    const reordered: ExportKeyInput = {
      pdfMetadata: { date: new Date('2024-01-02T03:04:05Z'), keywords: ['a', 'b'], title: 'T' },
      allowedRoots: ['/project'],
      formats: { png: true, pdf: true },
      slideCount: 1,
      height: 720,
      width: 1280,
      html: base.html,
      browser: base.browser,
      fingerprint: base.fingerprint,
    };
    expect(exportCacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(exportCacheKey(reordered)).toBe(exportCacheKey(base));
  });

  it.each<[string, Partial<ExportKeyInput>]>([
    ['the HTML', { html: `${base.html} ` }],
    ['briefgen itself', { fingerprint: 'e'.repeat(64) }],
    ['the browser', { browser: 'remote' }],
    ['the formats', { formats: { pdf: true, png: false } }],
    ['the slide size', { width: 960 }],
    ['the allowed folders', { allowedRoots: ['/project', '/data'] }],
    ['the PDF date', { pdfMetadata: { ...(base.pdfMetadata as object), date: new Date('2024-01-02T03:04:06Z') } }],
    ['the PDF title', { pdfMetadata: { ...(base.pdfMetadata as object), title: 'U' } }],
    ['the keyword order', { pdfMetadata: { ...(base.pdfMetadata as object), keywords: ['b', 'a'] } }],
  ])('changes with %s', (_what, change) => {
    expect(exportCacheKey({ ...base, ...change })).not.toBe(exportCacheKey(base));
  });

  it('ignores what JSON cannot carry (callbacks in a request)', () => {
    expect(exportCacheKey({ ...base, ...({ onDone: () => 1 } as object) })).toBe(exportCacheKey(base));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });
});
