import { describe, expect, it } from 'vitest';
import type { LineBox, Paragraph, TextFrame } from '../../src/pptx/slide-layout.js';
import { baselineInLine, placeFrame, wrapWidth } from '../../src/pptx/text-frame.js';

const line = (top: number, left: number, right: number, withNext?: number, size = 20): LineBox => ({ top, bottom: top + 30, baseline: top + 24, left, right, size, ...(withNext !== undefined ? { withNext } : {}) });
const paragraph = (lines: LineBox[], overrides: Partial<Paragraph> = {}): Paragraph => ({
  runs: [],
  align: 'l',
  lineHeight: 30,
  fontSize: 20,
  ascent: 23,
  descent: 6,
  marginLeft: 0,
  marginRight: 0,
  indent: 0,
  level: 0,
  lines,
  nowrap: false,
  rtl: false,
  ...overrides,
});
const frame = (paragraphs: Paragraph[], x = 100, w = 600): TextFrame => ({ content: { x, y: 50, w, h: 200 }, paragraphs, top: 50, bottom: 250, vertical: 't', grow: true });

describe('wrapWidth', () => {
  it('keeps the box width when it breaks every line where the browser did, or widens it half-way to the next word', () => {
    expect(wrapWidth(paragraph([line(0, 100, 660, 630), line(30, 100, 400)]), 600)).toBe(600);
    // 580 px and the next word at 720: any width in between breaks the same; 650 leaves most room either way.
    expect(wrapWidth(paragraph([line(0, 0, 580, 720), line(30, 0, 300)]), 600)).toBe(650);
  });

  it('narrows to break like CSS balanced text, which stops well short of the box', () => {
    // Two lines of 300 and 290 px; the first plus the next word is 380: any width in [300, 380) works.
    const width = wrapWidth(paragraph([line(0, 0, 300, 380), line(30, 0, 290)]), 600);
    expect(width).toBeGreaterThan(300 + 2);
    expect(width).toBeLessThan(380 - 2);
  });

  it('finds the narrow gap a short first line leaves, between the longest line and the first with its next word', () => {
    const width = wrapWidth(paragraph([line(0, 0, 147.4, 295.4), line(30, 0, 293.1)]), 443);
    expect(width).toBeGreaterThan(293.1);
    expect(width).toBeLessThan(295.4);
  });

  it('never wraps more than the browser did when no width reproduces its breaks', () => {
    // Balanced text that moved a word down: the second line and the next word (940) is shorter than line one.
    expect(wrapWidth(paragraph([line(0, 0, 978.7, 1047.3), line(30, 0, 878.2, 940.6), line(60, 0, 915.9)]), 1000)).toBeGreaterThan(978.7);
  });

  it('gives one line room to stay one line, and text that never wraps its own width', () => {
    expect(wrapWidth(paragraph([line(0, 0, 500)]), 502)).toBeGreaterThan(515);
    expect(wrapWidth(paragraph([line(0, 0, 500)], { nowrap: true }), 1000)).toBeLessThan(510);
  });
});

describe('placeFrame', () => {
  it('puts the box so each first baseline lands on the browser’s, by the renderer’s rule', () => {
    const p = paragraph([line(60, 100, 400)]);
    const placed = placeFrame(frame([p]), { kind: 'box' });
    expect(placed.rect.y + baselineInLine(30, 20)).toBeCloseTo(84);
    expect(placed.insets).toEqual({ l: 0, t: 0, r: 0, b: 0 });
  });

  it('spaces paragraphs by their baselines, and never by a negative amount', () => {
    const first = paragraph([line(60, 100, 400), line(90, 100, 380)]);
    const second = paragraph([line(140, 100, 300)]);
    const overlapping = paragraph([line(150, 100, 300)]);
    const placed = placeFrame(frame([first, second, overlapping]), { kind: 'box' });
    // First paragraph ends at its last line top (90 + 24 - 26) + 30; the second starts 50 px lower.
    expect(placed.paragraphs[1]!.spaceBefore).toBeCloseTo(20);
    expect(placed.paragraphs[2]!.spaceBefore).toBe(0);
  });

  it('lets a bullet hang left of the text and the box start at the bullet', () => {
    const item = paragraph([line(60, 120, 400)], { marginLeft: 20, indent: -30 });
    const placed = placeFrame(frame([item]), { kind: 'box' });
    expect(placed.rect.x).toBeCloseTo(90);
    expect(placed.paragraphs[0]!.marginLeft).toBeCloseTo(30);
    expect(placed.paragraphs[0]!.indent).toBe(-30);
  });

  it('sets text in a shape by its insets, giving a narrower paragraph its own right margin', () => {
    const title = paragraph([line(60, 100, 300, 380), line(90, 100, 290)]);
    const body = paragraph([line(140, 100, 690, 605), line(170, 100, 500)]);
    const placed = placeFrame(frame([title, body]), { kind: 'shape', rect: { x: 80, y: 40, w: 640, h: 220 } });
    expect(placed.rect).toEqual({ x: 80, y: 40, w: 640, h: 220 });
    expect(placed.insets.l).toBeCloseTo(20);
    expect(placed.paragraphs[0]!.marginRight).toBeGreaterThan(600 - 380);
    expect(placed.paragraphs[1]!.marginRight).toBeLessThan(1);
  });

  it('keeps centred text centred when its frame narrows', () => {
    const p = paragraph([line(60, 300, 500, 560), line(90, 310, 490)], { align: 'ctr' });
    const placed = placeFrame(frame([p]), { kind: 'box' });
    expect(placed.rect.x + placed.rect.w / 2).toBeCloseTo(400);
  });
});
