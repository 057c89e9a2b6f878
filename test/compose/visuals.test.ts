import { describe, expect, it } from 'vitest';
import { groupsHtml, metricsHtml, timelineHtml } from '../../src/compose/visuals.js';
import type { Metric } from '../../src/schema.js';

const options = {
  lang: 'en',
  formatDate: (iso: string) => `D${iso}`,
  formatNumber: (n: number) => n.toLocaleString('en'),
  formatDelta: (value: number, previous: number) => `${(((value - previous) / previous) * 100).toFixed(1)}%`.replace('-', '−'),
  formatPoints: (change: number) => `${change > 0 ? '+' : ''}${change.toFixed(1)} pts`.replace('-', '−'),
  labels: { previous: 'before', now: 'now' },
};
const metric = (m: Partial<Metric> & Pick<Metric, 'label' | 'value'>): Metric => ({ format: 'number', ...m });

describe('timelineHtml', () => {
  it('is an ordered list counting its milestones, each with date, title, who and what', () => {
    const html = timelineHtml(
      [
        { date: '2017', title: 'Plan', actor: 'State Council', text: 'Issued.' },
        { date: '2024', title: 'AI Plus' },
      ],
      options,
    );
    expect(html).toBe(
      '<ol class="timeline n2"><li><span class="date">D2017</span><strong class="event">Plan</strong><span class="actor">State Council</span><span class="text">Issued.</span></li>' +
        '<li><span class="date">D2024</span><strong class="event">AI Plus</strong></li></ol>',
    );
  });

  it('keeps hostile data as text', () => {
    const html = timelineHtml([{ date: '2024', title: '<script>alert(1)</script> **x**' }], options);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('&#42;&#42;x&#42;&#42;');
  });

  it('breaks Chinese only between phrases', () => {
    const html = timelineHtml([{ date: '2017', title: '国务院发布新一代人工智能发展规划' }], { ...options, lang: 'zh' });
    expect(html).toContain('<wbr>');
    expect(html).not.toMatch(/大<wbr>模|人工<wbr>智能/);
  });
});

describe('groupsHtml', () => {
  it('lays groups side by side, counting groups and entries for the theme', () => {
    const html = groupsHtml(
      [
        { title: 'Cloud', text: 'Run remotely.', entries: [{ name: 'Spark', owner: 'iFlytek' }, { name: 'ERNIE' }] },
        { title: 'Device', entries: [] },
      ],
      options,
    );
    expect(html).toBe(
      '<div class="groups n2"><div class="group"><h3>Cloud</h3><p class="text">Run remotely.</p><ul class="entries n2"><li><strong>Spark</strong><span class="owner">iFlytek</span></li><li><strong>ERNIE</strong></li></ul></div>' +
        '<div class="group"><h3>Device</h3></div></div>',
    );
  });

  it('gives a group of many entries two columns beside small ones, while the slide has four to give', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `E${i}` }));
    const three = groupsHtml([{ title: 'A', entries: entries(3) }, { title: 'B', entries: entries(12) }, { title: 'C', entries: entries(2) }], options);
    expect(three).toMatch(/^<div class="groups n4">/);
    expect(three.match(/class="group wide"/g)).toHaveLength(1);
    expect(three).toContain('<div class="group wide"><h3>B</h3>');
    // Four groups fill the columns already; a group alone has the slide's width anyway.
    expect(groupsHtml([1, 2, 3, 4].map((i) => ({ title: `G${i}`, entries: entries(i === 1 ? 9 : 2) })), options)).not.toContain('wide');
    expect(groupsHtml([{ title: 'Solo', entries: entries(9) }], options)).toMatch(/^<div class="groups n1"><div class="group">/);
  });
});

describe('metricsHtml', () => {
  it('shows the change against the previous value, marked by the better direction, with bars of then and now', () => {
    const html = metricsHtml([metric({ label: 'Latency', value: 420, previous: 1150, unit: 'ms', better: 'lower' })], options);
    expect(html).toContain('<span class="value">420<small class="unit">ms</small></span>');
    expect(html).toContain('<span class="change good">−63.5%</span><span class="from">1,150 → 420</span>');
    // Bars are tables whose width is the value's share of the larger of the two.
    expect(html).toContain('<table class="bar previous" width="100%">');
    expect(html).toContain('<table class="bar now" width="36.5%">');
  });

  it('gives the change of a rate in percentage points', () => {
    const html = metricsHtml([metric({ label: 'Gross margin', value: 61.5, previous: 58.2, unit: '%', better: 'higher' })], options);
    expect(html).toContain('<span class="change good">&#43;3.3 pts</span>');
  });

  it('marks a change in the wrong direction bad, and one without a direction not at all', () => {
    expect(metricsHtml([metric({ label: 'Bugs', value: 60, previous: 50, better: 'lower' })], options)).toContain('class="change bad"');
    expect(metricsHtml([metric({ label: 'Users', value: 60, previous: 50 })], options)).toContain('class="change"');
  });

  it('shows a change the data gives directly, and text values without bars', () => {
    const direct = metricsHtml([metric({ label: 'Share', value: 31, unit: '%', change: 2.5, better: 'higher' })], options);
    // A leading "+" is escaped, as any data text that could open a Markdown list.
    expect(direct).toContain('<span class="change good">&#43;2.5 pts</span>');
    expect(direct).not.toContain('class="bars"');
    const text = metricsHtml([metric({ label: 'Status', value: 'on track', format: 'text', change: 'unchanged' })], options);
    expect(text).toContain('<span class="value">on track</span>');
    expect(text).toContain('<span class="change">unchanged</span>');
    expect(metricsHtml([metric({ label: 'A', value: 1 }), metric({ label: 'B', value: 2 }), metric({ label: 'C', value: 3 })], options)).toMatch(/^<ul class="metric-tiles n3">/);
  });
});
