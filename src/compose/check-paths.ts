import type Handlebars from 'handlebars';
import type { z } from 'zod';
import { BriefgenError, ErrorCode } from '../errors.js';
import { briefingSchema } from '../schema.js';

/**
 * A check of the data paths a template uses against the briefing schema, when it is compiled: a
 * typo such as `{{summary.headlin}}` or `{{#each sections.trends.itmes}}` is an error naming the
 * file and line, not an empty paragraph on a slide. Paths are followed where their context is
 * known — the root of a deck template, `@root.…`, and the entries of `#each`/`#with` over a known
 * list — and left alone where it is not (a helper's block, a partial's own context).
 */

/** The shape of a value a path can walk into. */
export type Shape = { kind: 'object'; keys: Map<string, Shape> } | { kind: 'array'; element: Shape } | { kind: 'record'; value: Shape } | { kind: 'leaf' } | { kind: 'any' };

const any: Shape = { kind: 'any' };
const leaf: Shape = { kind: 'leaf' };
const object = (keys: Record<string, Shape>): Shape => ({ kind: 'object', keys: new Map(Object.entries(keys)) });

/** The shape of a zod schema: objects, arrays and records; anything else is a leaf. */
export function shapeOfSchema(schema: z.ZodType): Shape {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'object':
      return object(Object.fromEntries(Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => [k, shapeOfSchema(v)])));
    case 'array':
      return { kind: 'array', element: shapeOfSchema(def.element as z.ZodType) };
    case 'record':
      return { kind: 'record', value: shapeOfSchema(def.valueType as z.ZodType) };
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return shapeOfSchema(def.innerType as z.ZodType);
    default:
      return leaf;
  }
}

/** What a deck template sees at its root: the report, and what briefgen adds around it. */
export function rootShape(): Shape {
  const briefing = shapeOfSchema(briefingSchema) as Extract<Shape, { kind: 'object' }>;
  return object({
    ...Object.fromEntries(briefing.keys),
    lang: leaf,
    labels: { kind: 'record', value: leaf },
    audience: object({ name: leaf, description: leaf }),
    deck: object({
      audience: leaf,
      kicker: leaf,
      register: leaf,
      summary: object({ show: leaf, headline: leaf, points: { kind: 'array', element: leaf }, soWhat: leaf }),
      blocks: { kind: 'array', element: any },
      slides: leaf,
    }),
  });
}

/** Where a path leads from a shape; `undefined` when a key does not exist (the message says why). */
function walk(shape: Shape, parts: readonly string[]): { shape: Shape } | { missing: string; at: string; has: string[] } {
  let current = shape;
  const done: string[] = [];
  for (const part of parts) {
    if (current.kind === 'any') return { shape: any };
    if (current.kind === 'record') current = current.value;
    else if (current.kind === 'array') {
      if (part === 'length') current = leaf;
      else if (/^\d+$/.test(part)) current = current.element;
      else return { missing: part, at: done.join('.'), has: ['length', 'an index such as [0]'] };
    } else if (current.kind === 'object') {
      const next = current.keys.get(part);
      if (!next) return { missing: part, at: done.join('.'), has: [...current.keys.keys()].filter((k) => k !== '$schema') };
      current = next;
    } else {
      // A text: templates may ask for its length, nothing else.
      if (part === 'length') current = leaf;
      else return { missing: part, at: done.join('.'), has: ['length'] };
    }
    done.push(part);
  }
  return { shape: current };
}

type Node = {
  type: string;
  loc?: { start: { line: number } };
  path?: Node;
  params?: Node[];
  hash?: { pairs: Array<{ value: Node }> };
  program?: { body: Node[]; blockParams?: string[] };
  inverse?: { body: Node[] };
  body?: Node[];
  original?: string;
  parts?: string[];
  data?: boolean;
  depth?: number;
  name?: Node;
};

const contextHelpers = new Set(['each', 'with']);

/**
 * Pure: checks every data path of a parsed template whose context is known, starting at `root`.
 * Returns the first unknown path with its line, or undefined.
 */
export function findUnknownPath(program: { body: Node[] }, root: Shape, helpers: ReadonlySet<string>): { path: string; line: number; message: string } | undefined {
  const check = (node: Node | undefined, stack: Shape[], blockParams: Set<string>): ReturnType<typeof findUnknownPath> => {
    if (!node) return undefined;
    if (node.type === 'PathExpression') {
      const parts = node.parts ?? [];
      if (node.data) {
        if (parts[0] !== 'root') return undefined;
        return resolve(root, parts.slice(1), `@root.${parts.slice(1).join('.')}`, node);
      }
      if (parts.length === 0 || blockParams.has(parts[0]!)) return undefined;
      if (parts.length === 1 && helpers.has(parts[0]!)) return undefined;
      const context = stack[stack.length - 1 - (node.depth ?? 0)] ?? any;
      return resolve(context, parts, node.original ?? parts.join('.'), node);
    }
    if (node.type === 'SubExpression' || node.type === 'MustacheStatement' || node.type === 'BlockStatement' || node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      // The called name is a helper (or a plain path when it is not one, e.g. {{meta.title}}).
      const callee = node.path;
      const isCall = (node.params?.length ?? 0) > 0 || (node.hash?.pairs.length ?? 0) > 0 || node.type === 'SubExpression' || node.type === 'BlockStatement';
      if (callee && callee.type === 'PathExpression' && !(isCall && helpers.has(callee.original ?? ''))) {
        if (node.type !== 'PartialStatement' && node.type !== 'PartialBlockStatement') {
          const found = check(callee, stack, blockParams);
          if (found) return found;
        }
      }
      for (const param of node.params ?? []) {
        const found = check(param, stack, blockParams);
        if (found) return found;
      }
      for (const pair of node.hash?.pairs ?? []) {
        const found = check(pair.value, stack, blockParams);
        if (found) return found;
      }
      if (node.type === 'BlockStatement') {
        const name = callee?.original ?? '';
        const inner = new Set([...blockParams, ...(node.program?.blockParams ?? [])]);
        let innerStack = stack;
        if (contextHelpers.has(name) && node.params?.[0]?.type === 'PathExpression') {
          const target = shapeAt(node.params[0], stack);
          const element = name === 'each' ? (target.kind === 'array' ? target.element : target.kind === 'record' ? target.value : any) : target;
          innerStack = [...stack, element];
        } else if (!['if', 'unless'].includes(name)) {
          // A helper's block (paginate, a presenter's own): its context is the helper's to choose.
          innerStack = [...stack, any];
        }
        for (const child of node.program?.body ?? []) {
          const found = check(child, innerStack, inner);
          if (found) return found;
        }
        for (const child of node.inverse?.body ?? []) {
          const found = check(child, stack, blockParams);
          if (found) return found;
        }
      }
    }
    return undefined;
  };
  const shapeAt = (node: Node, stack: Shape[]): Shape => {
    const parts = node.parts ?? [];
    const base = node.data ? (parts[0] === 'root' ? root : any) : (stack[stack.length - 1 - (node.depth ?? 0)] ?? any);
    const found = walk(base, node.data ? parts.slice(1) : parts);
    return 'shape' in found ? found.shape : any;
  };
  const resolve = (shape: Shape, parts: string[], written: string, node: Node) => {
    const found = walk(shape, parts);
    if ('shape' in found) return undefined;
    const where = found.at ? `${found.at} has` : 'the data has';
    return {
      path: written,
      line: node.loc?.start.line ?? 0,
      message: `"${written}" is not in the data: there is no "${found.missing}" (${where}: ${found.has.join(', ')})`,
    };
  };
  for (const node of program.body) {
    const found = check(node, [root], new Set());
    if (found) return found;
  }
  return undefined;
}

/** Throws a template error for the first unknown data path of a deck template. */
export function checkTemplatePaths(env: typeof Handlebars, source: string, file: string, helpers: ReadonlySet<string>): void {
  const found = findUnknownPath(env.parse(source) as unknown as { body: Node[] }, rootShape(), helpers);
  if (!found) return;
  throw new BriefgenError(ErrorCode.template, found.message, {
    location: { file, line: found.line, excerpt: source.split('\n')[found.line - 1] },
    hint: 'the data format is in README.md ("Data format") and schema/briefing.schema.json',
  });
}
