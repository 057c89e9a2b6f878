import { describe, expect, it } from 'vitest';
import { isAllowedUrl } from '../../src/browser/request-guard.js';

const roots = ['/work/content', '/tmp/themes/'];

describe('isAllowedUrl', () => {
  it('allows data: URIs and about:blank', () => {
    expect(isAllowedUrl('data:image/png;base64,iVBORw0KGgo=', [])).toBe(true);
    expect(isAllowedUrl('about:blank', [])).toBe(true);
  });

  it('allows file URLs at or under an allowed root', () => {
    expect(isAllowedUrl('file:///work/content/img/a.png', roots)).toBe(true);
    expect(isAllowedUrl('file:///work/content/', roots)).toBe(true);
    expect(isAllowedUrl('file:///tmp/themes/x/font.woff2?v=2#f', roots)).toBe(true);
    expect(isAllowedUrl('file:///work/content/caf%C3%A9.png', roots)).toBe(true);
  });

  it('blocks file URLs outside every root, including by .. and look-alike prefixes', () => {
    expect(isAllowedUrl('file:///etc/passwd', roots)).toBe(false);
    expect(isAllowedUrl('file:///work/content/../secret.png', roots)).toBe(false);
    expect(isAllowedUrl('file:///work/content/%2E%2E/secret.png', roots)).toBe(false);
    expect(isAllowedUrl('file:///work/content-private/a.png', roots)).toBe(false);
    expect(isAllowedUrl('file:///work/content/a.png', [])).toBe(false);
    expect(isAllowedUrl('file://otherhost/work/content/a.png', roots)).toBe(false);
  });

  it('blocks every other scheme', () => {
    for (const url of [
      'https://example.com/x.png',
      'http://localhost:8080/a.css',
      'about:srcdoc',
      'blob:null/1234',
      'ftp://example.com/f',
      'chrome://settings',
      'ws://example.com',
    ]) {
      expect(isAllowedUrl(url, roots), url).toBe(false);
    }
  });
});
