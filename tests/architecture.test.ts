// CONVENTIONS.md practice 3: the core boundary, enforced mechanically. core/ stays platform-free
// (no node:*, wxt, #imports, preact, webextension-polyfill, Buffer), and every check module is
// registered in core/checks/index.ts and has its own test file.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../core/report/schema.ts';
import { CHECK_FUNCTIONS, CHECKS } from '../core/checks/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const core = join(root, 'core');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [p] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return specs;
}

/** Specifiers of imports that exist at run time (`import type` and `export type` are erased). */
export function valueImportsOf(source: string): string[] {
  return importsOf(source.replace(/(?:import|export)\s+type\s[^'"]*?from\s*['"][^'"]+['"]/g, ''));
}

/** One import cycle among `graph`'s modules, as a path that ends where it starts, or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

const FORBIDDEN = [/^node:/, /^wxt($|\/)/, /^#imports$/, /^preact($|\/)/, /^webextension-polyfill$/, /^@wxt-dev\//, /^(fs|path|net|tls|os|child_process|crypto|dns|http|https)$/];
const forbiddenIn = (source: string) => importsOf(source).filter((s) => FORBIDDEN.some((re) => re.test(s)));
/** `Buffer` used as a value or type, outside comments and strings. */
const usesBuffer = (source: string) =>
  /\bBuffer\b/.test(source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""'));

describe('architecture', () => {
  it.each([
    ["import { readFile } from 'node:fs';", ['node:fs']],
    ["import { browser } from 'wxt/browser';", ['wxt/browser']],
    ["import { storage } from '#imports';", ['#imports']],
    ["import { h } from 'preact';", ['preact']],
    ["export { x } from 'preact/hooks';", ['preact/hooks']],
    ["const b = await import('webextension-polyfill');", ['webextension-polyfill']],
    ["import './side-effect.ts';\nimport { z } from 'zod';", []],
  ])('the import scanner catches forbidden imports: %s', (src, expected) => {
    expect(forbiddenIn(src)).toEqual(expected);
  });

  it.each([
    ['const b = Buffer.from("x");', true],
    ['// Buffer is not allowed here\nconst s = "Buffer";', false],
  ])('the Buffer scanner: %s', (src, expected) => {
    expect(usesBuffer(src)).toBe(expected);
  });

  const coreFiles = walk(core).map((p) => relative(root, p));
  it('core/ has files to scan', () => {
    expect(coreFiles.length).toBeGreaterThan(10);
  });

  it.each(coreFiles)('%s imports no platform module and uses no Buffer', (file) => {
    const src = readFileSync(join(root, file), 'utf8');
    expect(forbiddenIn(src)).toEqual([]);
    expect(usesBuffer(src)).toBe(false);
  });

  it.each([
    ["import type { A } from './a.ts';\nexport type { B } from './b.ts';\nimport { c } from './c.ts';", ['./c.ts']],
    ["import { type A, b } from './a.ts';", ['./a.ts']],
  ])('the value-import scanner skips type-only imports: %s', (src, expected) => {
    expect(valueImportsOf(src)).toEqual(expected);
  });

  it.each([
    [[['a', ['b']], ['b', ['c']], ['c', ['a']]], ['a', 'b', 'c', 'a']],
    [[['a', ['b', 'c']], ['b', ['c']], ['c', []]], undefined],
  ] as [[string, string[]][], string[] | undefined][])('the cycle finder: %j', (edges, cycle) => {
    expect(findCycle(new Map(edges))).toEqual(cycle);
  });

  it('core/ has no import cycle at run time (one side of a cycle reads uninitialised bindings, e.g. a zod schema)', () => {
    const graph = new Map<string, string[]>();
    for (const file of coreFiles) {
      const deps = valueImportsOf(readFileSync(join(root, file), 'utf8'))
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(root, resolve(root, dirname(file), spec)));
      graph.set(file, deps);
    }
    expect(findCycle(graph)).toBeUndefined();
  });

  const NOT_CHECKS = new Set(['index.ts', 'evidence.ts', 'dns-evidence.ts', 'types.ts', 'helpers.ts']);
  const checkFiles = readdirSync(join(core, 'checks')).filter((f) => f.endsWith('.ts') && !NOT_CHECKS.has(f));
  const indexSrc = readFileSync(join(core, 'checks', 'index.ts'), 'utf8');

  it('every check id has a module and the registry follows DESIGN.md order', () => {
    expect(checkFiles.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...CHECK_IDS].sort());
    expect(CHECKS.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(Object.keys(CHECK_FUNCTIONS)).toEqual([...CHECK_IDS]);
  });

  it.each(checkFiles)('core/checks/%s is registered in core/checks/index.ts and has its own test file', (file) => {
    expect(importsOf(indexSrc)).toContain(`./${file}`);
    expect(existsSync(join(root, 'tests', 'core', 'checks', file.replace(/\.ts$/, '.test.ts')))).toBe(true);
  });
});
