import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { createLiveBuild, type LiveBuild } from '../../src/dev/live-build.js';
import { devProject, enKey, helperModuleSource, zhKey } from './dev-project.js';

let project: ReturnType<typeof devProject>;
afterEach(() => project?.cleanup());

function start(extra: Record<string, string> = {}, helpersModule?: string): LiveBuild {
  project = devProject(extra);
  return createLiveBuild({
    data: [project.path('content')],
    templatesDir: project.path('templates'),
    audiences: 'all',
    languages: 'all',
    projectRoot: project.dir,
    helpersModule: helpersModule && project.path(helpersModule),
  });
}

const versions = (live: LiveBuild) => Object.fromEntries(live.decks().map((d) => [d.key, d.version]));

describe('createLiveBuild', () => {
  it('builds every planned deck, then rebuilds only the deck whose data changed', async () => {
    const live = start();
    const first = await live.update('all');
    expect(first.rebuilt.sort()).toEqual([enKey, zhKey]);
    expect(live.problems()).toEqual([]);
    const before = versions(live);

    project.edit('content/minimal/en.yaml', 'Models go open.', 'Models go open, and fast.');
    const second = await live.update(new Set([project.path('content/minimal/en.yaml')]));
    expect(second.rebuilt).toEqual([enKey]);
    expect(live.deck(enKey)!.deck.markdown).toContain('Models go open, and fast.');
    expect(live.deck(zhKey)!.version).toBe(before[zhKey]);
    expect(live.deck(enKey)!.version).toBeGreaterThan(before[enKey]!);
  });

  it('rebuilds both languages for a partial they use, and neither for a partial they do not', async () => {
    const live = start();
    await live.update('all');
    project.edit('templates/partials/cover.hbs', '# {{meta.title}}', '# {{meta.title}} (draft)');
    const used = await live.update(new Set([project.path('templates/partials/cover.hbs')]));
    expect(used.rebuilt.sort()).toEqual([enKey, zhKey]);
    expect(live.deck(enKey)!.deck.markdown).toContain('# Minimal report (draft)');

    project.write('templates/partials/unused.hbs', 'nobody calls me');
    const unused = await live.update(new Set([project.path('templates/partials/unused.hbs')]));
    expect(unused.reloaded.templates).toBe(true);
    expect(unused.rebuilt).toEqual([]);
  });

  it('puts the deck the page shows first', async () => {
    const live = start();
    await live.update('all');
    const order: string[] = [];
    project.edit('templates/decks/brief.hbs', '## {{sections.trends.title}}', '## {{sections.trends.title}}!');
    await live.update(new Set([project.path('templates/decks/brief.hbs')]), { first: [zhKey], onDeck: (deck) => order.push(deck.key) });
    expect(order).toEqual([zhKey, enKey]);
  });

  it('keeps the last good deck while the data is broken, locates the error, and recovers', async () => {
    const live = start();
    await live.update('all');
    const good = live.deck(enKey)!;
    const file = project.path('content/minimal/en.yaml');
    project.edit('content/minimal/en.yaml', '    title: Trends', '    title: [Trends');
    const broken = await live.update(new Set([file]));
    expect(broken.rebuilt).toEqual([]);
    expect(live.deck(enKey)).toBe(good);
    const [problem] = live.problems();
    expect(problem).toMatchObject({ source: `data:${file}`, decks: [enKey] });
    expect(problem!.error.code).toBe(ErrorCode.dataParse);
    expect(problem!.error.location).toMatchObject({ file });
    expect(problem!.error.location?.line).toBeGreaterThan(1);
    expect(problem!.error.location?.excerpt).toBeDefined();

    project.edit('content/minimal/en.yaml', '    title: [Trends', '    title: Fixed trends');
    const fixed = await live.update(new Set([file]));
    expect(fixed.rebuilt).toEqual([enKey]);
    expect(live.problems()).toEqual([]);
    expect(live.deck(enKey)!.deck.markdown).toContain('## Fixed trends');
  });

  it('reports a Handlebars syntax error with its file and line, then a missing partial, and recovers', async () => {
    const live = start();
    await live.update('all');
    const versionsBefore = versions(live);
    const partial = project.path('templates/partials/cover.hbs');
    project.write('templates/partials/cover.hbs', '# {{meta.title}}\n\n{{#if meta.title}}open block\n');
    await live.update(new Set([partial]));
    const [syntax] = live.problems();
    expect(syntax).toMatchObject({ source: 'templates' });
    expect(syntax!.decks).toBeUndefined();
    expect(syntax!.error.code).toBe(ErrorCode.template);
    expect(syntax!.error.location?.file).toBe(partial);
    expect(versions(live)).toEqual(versionsBefore);

    const deckFile = project.path('templates/decks/brief.hbs');
    project.write('templates/partials/cover.hbs', '# {{meta.title}}\n');
    project.edit('templates/decks/brief.hbs', '{{> cover}}', '{{> cover}}\n\n{{> nowhere}}');
    await live.update(new Set([partial, deckFile]));
    const missing = live.problems();
    expect(missing.map((p) => p.source).sort()).toEqual([`deck:${enKey}`, `deck:${zhKey}`]);
    expect(missing[0]!.error.message).toContain('partial "nowhere" not found');
    expect(missing[0]!.error.location).toMatchObject({ file: deckFile, line: 3 });

    project.edit('templates/decks/brief.hbs', '\n\n{{> nowhere}}', '');
    const fixed = await live.update(new Set([deckFile]));
    expect(live.problems()).toEqual([]);
    expect(fixed.rebuilt.sort()).toEqual([enKey, zhKey]);
  });

  it('rebuilds for a profile edit and reports the slide budget', async () => {
    const live = start();
    await live.update('all');
    expect(live.deck(enKey)!.deck.warnings).toEqual([]);
    project.edit('templates/audiences/brief.yaml', 'maxSlides: 3', 'maxSlides: 1');
    await live.update(new Set([project.path('templates/audiences/brief.yaml')]));
    expect(live.deck(enKey)!.deck.warnings).toEqual([{ code: 'slide-budget', deck: enKey, message: "2 slides, over the audience's budget of 1" }]);
  });

  it('re-imports a helper module when it changes', async () => {
    const live = start({ 'helpers.mjs': helperModuleSource, 'templates/partials/cover.hbs': '# {{meta.title}} {{stamp}}\n' }, 'helpers.mjs');
    await live.update('all');
    expect(live.problems()).toEqual([]);
    expect(live.deck(enKey)!.deck.markdown).toContain('stamp-one');
    project.edit('helpers.mjs', "'stamp-one'", "'stamp-two'");
    const result = await live.update(new Set([project.path('helpers.mjs')]));
    expect(result.reloaded.helpers).toBe(true);
    expect(result.rebuilt.sort()).toEqual([enKey, zhKey]);
    expect(live.deck(enKey)!.deck.markdown).toContain('stamp-two');
  });

  it('re-renders with a changed theme', async () => {
    const live = start();
    await live.update('all');
    project.edit('templates/themes/plain.css', '@import "default";', '@import "default";\nsection { background: rgb(1, 2, 3); }');
    const result = await live.update(new Set([project.path('templates/themes/plain.css')]));
    expect(result.rebuilt.sort()).toEqual([enKey, zhKey]);
    expect(live.deck(enKey)!.deck.rendered.html).toMatch(/rgb\(1, ?2, ?3\)/);
  });
});
