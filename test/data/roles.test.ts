import { describe, expect, it } from 'vitest';
import { kindsOf, roleOf } from '../../src/data/roles.js';
import { sectionSchema } from '../../src/schema.js';

const section = (value: Record<string, unknown>) => sectionSchema.parse({ title: 'T', ...value });

describe('roleOf', () => {
  it.each([
    ['anything', { role: 'trends', items: [{ title: 'x' }] }, 'trends'],
    ['challenges', { items: [{ title: 'x' }] }, 'challenges'],
    ['numbers', { metrics: [{ label: 'a', value: 1 }], items: [{ title: 'x' }] }, 'metrics'],
    ['history', { timeline: [{ date: '2020', title: 'x' }] }, 'timeline'],
    ['players', { groups: [{ title: 'g' }] }, 'landscape'],
    ['said', { quotes: [{ text: 'q', author: 'a' }] }, 'voices'],
    ['why', { lead: 'L' }, 'context'],
  ] as const)('%s → %s', (key, value, role) => {
    expect(roleOf(key, section(value))).toBe(role);
  });
});

describe('kindsOf', () => {
  it('orders a section\'s content with its numbers, timeline or map before its items', () => {
    expect(kindsOf(section({ items: [{ title: 'x' }], groups: [{ title: 'g' }], quotes: [{ text: 'q', author: 'a' }] }))).toEqual(['groups', 'items', 'quotes']);
    expect(kindsOf(section({ lead: 'only a lead' }))).toEqual(['text']);
    expect(kindsOf(section({}))).toEqual([]);
  });
});
