import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import { BriefgenError, ErrorCode, type SourceLocation } from '../errors.js';
import type { Briefing } from '../schema.js';
import type { AudienceProfile, TemplateFile, TemplateSet } from '../templates/load-template-set.js';
import { deckView, type DeckView } from './deck-view.js';
import { checkTemplatePaths } from './check-paths.js';
import { sourceMarkerClass } from './markers.js';
import { wrapData } from './escape.js';
import { planDeck, type DeckPlan } from './plan-deck.js';
import { HelperUsageError, registerHelpers, type Helper, helperRegistry } from './helpers.js';

/** What one deck is made of. */
export interface ComposeInput {
  briefing: Briefing;
  profile: AudienceProfile;
  lang: string;
  /** Entries per slide slide fit asked for, by list name; the plan keeps within its slide limits with them. */
  splits?: ReadonlyMap<string, number>;
}

/** One deck composed: its Marp Markdown, and what of the data it shows and leaves out. */
export interface ComposedDeck {
  markdown: string;
  plan: DeckPlan;
  /** The plan as the templates saw it: what each block shows, in the audience's words. */
  view: DeckView;
}

export interface Composer {
  /** Marp Markdown for one audience and language. Pure given the template set. */
  compose(input: ComposeInput): ComposedDeck;
}

type Compiled = Handlebars.TemplateDelegate;

/**
 * Compiles every deck template and partial of a template set once, in an isolated Handlebars
 * environment, and returns a composer that reuses them for every deck of the run.
 */
export function createComposer(set: TemplateSet, helpers: ReadonlyArray<readonly [string, Helper]> = helperRegistry): Composer {
  const env = Handlebars.create();
  registerHelpers(env, helpers);
  const options: CompileOptions = { preventIndent: true };
  for (const partial of set.partials.values()) {
    env.registerPartial(partial.name, precompiled(env, partial, options, set.dir));
  }
  const decks = new Map<string, Compiled>();
  for (const deck of set.decks.values()) decks.set(deck.name, precompiled(env, deck, options, set.dir));
  checkDeckPaths(env, set, new Set([...helpers.map(([name]) => name), 'if', 'unless', 'each', 'with', 'lookup', 'log']));
  const inline = new Map<string, Compiled>();
  const compileInline = (text: string, profile: AudienceProfile, field: string): Compiled => {
    const key = `${profile.name}\u0000${field}`;
    let compiled = inline.get(key);
    if (!compiled) {
      compiled = compileChecked(env, text, { file: profile.file, dataPath: field }, options);
      inline.set(key, compiled);
    }
    return compiled;
  };

  return {
    compose({ briefing, profile, lang, splits }) {
      const labels = set.labels.get(lang) ?? set.labels.get('en') ?? {};
      const plan = planDeck(briefing, profile, splits);
      const view = deckView(briefing, profile, plan);
      const deckContext = wrapData(view, lang) as { blocks: Array<{ partial: unknown }> };
      // Partial names are the plan's own words, not data: the template calls {{> (partial)}} with them.
      deckContext.blocks.forEach((block, i) => (block.partial = view.blocks[i]!.partial));
      const context = {
        ...(wrapData(briefing, lang) as object),
        lang,
        labels,
        audience: { name: profile.name, description: profile.description[lang] ?? '' },
        deck: deckContext,
      };
      const run = (template: Compiled, where: TemplateFile | { file: string; source?: string }) => {
        try {
          return template(context, { allowProtoPropertiesByDefault: false });
        } catch (error) {
          throw runtimeError(error, where, [...set.decks.values(), ...set.partials.values()], set.dir);
        }
      };
      const deck = set.decks.get(profile.template);
      if (!deck) throw new BriefgenError(ErrorCode.template, `template "${profile.template}" not found`, { location: { file: profile.file, dataPath: 'template' } });
      const body = run(decks.get(profile.template)!, deck);
      const frontMatter: Record<string, string | boolean> = {
        marp: true,
        theme: profile.theme,
        paginate: profile.paginate,
        lang,
      };
      if (profile.size) frontMatter.size = profile.size;
      if (profile.header) frontMatter.header = run(compileInline(profile.header, profile, 'header'), { file: profile.file });
      if (profile.footer) frontMatter.footer = run(compileInline(profile.footer, profile, 'footer'), { file: profile.file });
      return { markdown: `${renderFrontMatter(frontMatter)}\n${tidy(body)}`, plan, view };
    },
  };
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

/** JSON strings are valid YAML scalars, so every value is quoted safely whatever the data holds. */
function renderFrontMatter(values: Record<string, string | boolean>): string {
  const lines = Object.entries(values).map(([key, value]) => `${key}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  return `---\n${lines.join('\n')}\n---\n`;
}

/** Templates are easier to write with generous blank lines; decks read better without runs of them. */
function tidy(markdown: string): string {
  return `${markdown.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/**
 * Checks the data paths of each deck template, and of the partials it includes at its top level
 * in the same context, against the briefing schema (see check-paths.ts).
 */
function checkDeckPaths(env: typeof Handlebars, set: TemplateSet, helpers: ReadonlySet<string>): void {
  for (const deck of set.decks.values()) {
    checkTemplatePaths(env, deck.source, deck.file, helpers);
    const ast = env.parse(deck.source) as unknown as { body: Array<{ type: string; name?: { original?: string }; params?: unknown[]; hash?: unknown }> };
    for (const node of ast.body) {
      if (node.type !== 'PartialStatement' || node.params?.length || node.hash) continue;
      const partial = set.partials.get(node.name?.original ?? '');
      if (partial) checkTemplatePaths(env, partial.source, partial.file, helpers);
    }
  }
}

function precompiled(env: typeof Handlebars, file: TemplateFile, options: CompileOptions, templatesDir: string): Compiled {
  return compileChecked(env, file.source, { file: file.file }, options, file.source, relative(templatesDir, file.file).split(sep).join('/'));
}

const marker = (file: string, line: number): string => `<div class="${sourceMarkerClass}" title="${file}:${line}"></div>`;

type AstNode = { type: string; value?: string; original?: string; loc?: { start: { line: number } }; program?: { body: AstNode[] }; inverse?: { body: AstNode[] } };

/**
 * Marks where each slide of a template file starts, so checks of the finished deck can name the
 * template line of a slide: before every slide break (a `---` line after a blank line) and at the
 * end of the file, an empty marker `<div>` gives `file:line` of the slide that ends there. Only
 * files that make slides (they break slides or set a slide class) get one at their end. The AST is
 * changed, not the text, so every line number Handlebars reports stays the file's own.
 */
function markSlideStarts(ast: { body: AstNode[] }, file: string, source: string): void {
  let start = 1;
  const visit = (body: AstNode[]) => {
    for (const node of body) {
      if (node.type === 'ContentStatement' && node.value !== undefined && node.loc) {
        const first = node.loc.start.line;
        // A slide break is `---` alone on its line (a standalone tag before it may have taken its
        // newline). Lines are counted in the original text, before whitespace control trimmed it.
        const breakLine = /(^|\n)---(?=\n|$)/g;
        const original = node.original ?? node.value;
        const lines = [...original.matchAll(breakLine)].map((m) => first + (original.slice(0, m.index + m[1]!.length).match(/\n/g)?.length ?? 0));
        let k = 0;
        node.value = node.value.replace(breakLine, (_match, before: string) => {
          const mark = `${before}\n${marker(file, start)}\n\n---`;
          start = (lines[k++] ?? start) + 1;
          return mark;
        });
      }
      if (node.program) visit(node.program.body);
      if (node.inverse) visit(node.inverse.body);
    }
  };
  visit(ast.body);
  if (/^---$/m.test(source) || /<!--\s*_class:/.test(source)) ast.body.push({ type: 'ContentStatement', value: `\n\n${marker(file, start)}\n`, original: '' });
}

/** Compiles eagerly so syntax errors surface now, with the template's file and line. */
function compileChecked(env: typeof Handlebars, source: string, location: SourceLocation, options: CompileOptions, text = source, markAs?: string): Compiled {
  try {
    const ast = env.parse(source);
    if (markAs) markSlideStarts(ast as unknown as { body: AstNode[] }, markAs, source);
    env.precompile(ast, options);
    return env.compile(ast, options);
  } catch (error) {
    const message = (error as Error).message;
    // The file ended inside a block: the line that opened it is where the mistake is.
    const open = /got 'EOF'/.test(message) ? unclosedBlock(text) : undefined;
    if (open) {
      throw new BriefgenError(ErrorCode.template, `{{#${open.name}}} is never closed (no {{/${open.name}}} before the end of the file)`, {
        location: { ...location, line: open.line, excerpt: text.split('\n')[open.line - 1] },
        hint: `close it with {{/${open.name}}}`,
        cause: error,
      });
    }
    const line = Number(/on line (\d+)/.exec(message)?.[1] ?? (error as { lineNumber?: number }).lineNumber) || undefined;
    const expecting = /Expecting (.*)$/m.exec(message)?.[0];
    throw new BriefgenError(ErrorCode.template, `Handlebars syntax error${expecting ? `: ${expecting}` : `: ${message.split('\n')[0]}`}`, {
      location: { ...location, line, excerpt: line ? text.split('\n')[line - 1] : undefined },
      cause: error,
    });
  }
}

/** The innermost block a template opens and never closes, with its line. */
function unclosedBlock(source: string): { name: string; line: number } | undefined {
  const stack: Array<{ name: string; line: number }> = [];
  const tag = /{{~?\s*(?:(#\*?>?|\^)\s*([\w.-]+)|\/\s*([\w.-]+))/g;
  // Comments may hold anything, braces included.
  const text = source.replace(/{{!--[\s\S]*?--}}|{{![\s\S]*?}}/g, (c) => c.replace(/[^\n]/g, ' '));
  for (const match of text.matchAll(tag)) {
    const line = text.slice(0, match.index).split('\n').length;
    if (match[2]) stack.push({ name: match[2], line });
    else if (match[3] && stack.at(-1)?.name === match[3]) stack.pop();
  }
  return stack.at(-1);
}

function runtimeError(error: unknown, where: { file: string; source?: string }, files: TemplateFile[], templatesDir: string): BriefgenError {
  if (error instanceof BriefgenError) return error;
  const message = (error as Error).message ?? String(error);
  const missingPartial = /The partial (.+) could not be found/.exec(message)?.[1];
  const missingHelper = /Missing helper: "?([^"]+)"?/.exec(message)?.[1];
  const misused = error instanceof HelperUsageError ? error : undefined;
  // A label key that is missing: the call with that very key, not any call of the helper.
  const labelKey = misused && /^label "([^"]+)"/.exec(misused.message)?.[1];
  const needle = missingPartial
    ? new RegExp(`{{~?#?>\\s*${escapeRegExp(missingPartial)}\\b`)
    : missingHelper
      ? new RegExp(`{{~?[#/]?\\s*${escapeRegExp(missingHelper)}\\b`)
      : misused
        ? new RegExp(`[{(]\\s*${escapeRegExp(misused.helper)}${labelKey ? `\\s+["']${escapeRegExp(labelKey)}["']` : '\\b'}`)
        : undefined;
  let line = (error as { lineNumber?: number }).lineNumber;
  if (!line && needle) {
    // The reference may sit in a partial rather than the deck template: name the file that has it.
    for (const candidate of [where, ...files]) {
      const index = candidate.source?.split('\n').findIndex((text) => needle.test(text)) ?? -1;
      if (index >= 0) {
        where = candidate;
        line = index + 1;
        break;
      }
    }
  }
  const text = missingPartial
    ? `partial "${missingPartial}" not found`
    : missingHelper
      ? `unknown helper "${missingHelper}"`
      : misused
        ? message
        : `template error: ${message}`;
  return new BriefgenError(ErrorCode.template, text, {
    location: { file: where.file, line, excerpt: line && where.source ? where.source.split('\n')[line - 1] : undefined },
    hint: missingPartial ? `create ${join(templatesDir, 'partials', `${missingPartial}.hbs`)} or fix the name` : missingHelper ? 'see README.md, "Template helpers", for the helpers available' : undefined,
    cause: error,
  });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
