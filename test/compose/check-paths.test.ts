import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { findUnknownPath, rootShape } from '../../src/compose/check-paths.js';
import { helperRegistry } from '../../src/compose/helpers.js';

const helpers = new Set([...helperRegistry.map(([n]) => n), 'if', 'unless', 'each', 'with', 'lookup']);
const find = (source: string) => findUnknownPath(Handlebars.parse(source) as never, rootShape(), helpers);

describe('findUnknownPath', () => {
  it.each([
    ['{{meta.title}} {{date meta.date}} {{#if summary.points}}{{summary.headline}}{{/if}}'],
    ['{{#each sections.trends.items}}{{title}} {{../meta.title}} {{@root.summary.soWhat}}{{/each}}'],
    ['{{#with meta.source}}{{title}} {{date this.date}}{{/with}} {{sections.x.quotes.[0].author}} {{len sections.a.items}}'],
    ['{{#paginate deck.summary.points per=4}}{{anything}}{{/paginate}} {{t "label"}} {{labels.anyKey}} {{cont}}'],
    ['{{#each deck.blocks}}{{> (lookup this "partial")}}{{/each}} {{sections.trends.items.length}}'],
  ])('accepts paths the data has: %s', (source) => {
    expect(find(source)).toBeUndefined();
  });

  it.each([
    ['{{summary.headlin}}', 'summary.headlin', 'there is no "headlin" (summary has: headline, points, soWhat)'],
    ['\n\n{{#each sections.trends.itmes}}{{title}}{{/each}}', 'sections.trends.itmes', 'there is no "itmes"'],
    ['{{#each sections.trends.items}}{{titel}}{{/each}}', 'titel', 'there is no "titel"'],
    ['{{@root.meta.tittle}}', '@root.meta.tittle', 'there is no "tittle"'],
    ['{{meta.title.raw}}', 'meta.title.raw', 'there is no "raw"'],
    ['{{date meta.dat}}', 'meta.dat', 'there is no "dat"'],
  ])('finds the unknown path in %s', (source, path, message) => {
    const found = find(source)!;
    expect(found.path).toBe(path);
    expect(found.message).toContain(message);
    expect(found.line).toBe(source.startsWith('\n\n') ? 3 : 1);
  });
});
