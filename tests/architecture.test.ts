// CONVENTIONS.md practice 3: the core boundary, enforced mechanically. core/ stays platform-free
// (no node:*, wxt, #imports, preact, webextension-polyfill, Buffer), and every check module is
// registered in core/checks/index.ts and has its own test file.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
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

  const NOT_CHECKS = new Set(['index.ts', 'evidence.ts', 'types.ts', 'helpers.ts']);
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
