import Handlebars from 'handlebars';
import { BriefgenError, ErrorCode, type SourceLocation } from '../errors.js';
import type { Briefing } from '../schema.js';
import type { AudienceProfile, TemplateFile, TemplateSet } from '../templates/load-template-set.js';
import { wrapData } from './escape.js';
import { registerHelpers, type Helper, helperRegistry } from './helpers.js';

/** What one deck is made of. */
export interface ComposeInput {
  briefing: Briefing;
  profile: AudienceProfile;
  lang: string;
}

export interface Composer {
  /** Marp Markdown for one audience and language. Pure given the template set. */
  compose(input: ComposeInput): string;
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
    env.registerPartial(partial.name, precompiled(env, partial, options));
  }
  const decks = new Map<string, Compiled>();
  for (const deck of set.decks.values()) decks.set(deck.name, precompiled(env, deck, options));
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
    compose({ briefing, profile, lang }) {
      const labels = set.labels.get(lang) ?? set.labels.get('en') ?? {};
      const context = {
        ...(wrapData(briefing) as object),
        lang,
        labels,
        audience: { name: profile.name, description: profile.description[lang] ?? '' },
      };
      const run = (template: Compiled, where: TemplateFile | { file: string; source?: string }) => {
        try {
          return template(context, { allowProtoPropertiesByDefault: false });
        } catch (error) {
          throw runtimeError(error, where, [...set.decks.values(), ...set.partials.values()]);
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
      return `${renderFrontMatter(frontMatter)}\n${tidy(body)}`;
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

function precompiled(env: typeof Handlebars, file: TemplateFile, options: CompileOptions): Compiled {
  return compileChecked(env, file.source, { file: file.file }, options, file.source);
}

/** Compiles eagerly so syntax errors surface now, with the template's file and line. */
function compileChecked(env: typeof Handlebars, source: string, location: SourceLocation, options: CompileOptions, text = source): Compiled {
  try {
    env.precompile(source, options);
    return env.compile(source, options);
  } catch (error) {
    const message = (error as Error).message;
    const line = Number(/on line (\d+)/.exec(message)?.[1] ?? (error as { lineNumber?: number }).lineNumber) || undefined;
    const expecting = /Expecting (.*)$/m.exec(message)?.[0];
    throw new BriefgenError(ErrorCode.template, `Handlebars syntax error${expecting ? `: ${expecting}` : `: ${message.split('\n')[0]}`}`, {
      location: { ...location, line, excerpt: line ? text.split('\n')[line - 1] : undefined },
      cause: error,
    });
  }
}

function runtimeError(error: unknown, where: { file: string; source?: string }, files: TemplateFile[]): BriefgenError {
  if (error instanceof BriefgenError) return error;
  const message = (error as Error).message ?? String(error);
  const missingPartial = /The partial (.+) could not be found/.exec(message)?.[1];
  const missingHelper = /Missing helper: "?([^"]+)"?/.exec(message)?.[1];
  const needle = missingPartial ? new RegExp(`{{~?#?>\\s*${escapeRegExp(missingPartial)}\\b`) : missingHelper ? new RegExp(`{{~?[#/]?\\s*${escapeRegExp(missingHelper)}\\b`) : undefined;
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
      : `template error: ${message}`;
  return new BriefgenError(ErrorCode.template, text, {
    location: { file: where.file, line, excerpt: line && where.source ? where.source.split('\n')[line - 1] : undefined },
    hint: missingPartial ? `create templates/partials/${missingPartial}.hbs or fix the name` : missingHelper ? 'see README.md, "Template helpers", for the helpers available' : undefined,
    cause: error,
  });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
