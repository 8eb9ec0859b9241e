#!/usr/bin/env node
// `npm run build:helper`: bundles the helper and the CLI into single self-contained files
// (.output/native-host/helper.mjs and cli.mjs) that need nothing but Node 20+.
// Imported by native-host/bin/mta-sts-inspector.mjs to build on first use.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, '.output', 'native-host');
export const ENTRIES = {
  helper: join(ROOT, 'native-host/helper/main.ts'),
  cli: join(ROOT, 'native-host/cli/main.ts'),
};

/** Build both bundles (tests pass their own `outDir`); resolves with their paths. Throws (with esbuild's messages) on a build error. */
export async function buildNativeHost({ logLevel = 'warning', outDir = OUT_DIR } = {}) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: ENTRIES,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Some dependencies are CommonJS and require() Node built-ins: give the ESM bundle a require.
    banner: { js: "import { createRequire as __mtaStsCreateRequire } from 'node:module'; const require = __mtaStsCreateRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel,
  });
  return { helper: join(outDir, 'helper.mjs'), cli: join(outDir, 'cli.mjs') };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `--out-dir DIR` builds elsewhere (tests build into a temporary folder).
  const at = process.argv.indexOf('--out-dir');
  const outDir = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : OUT_DIR;
  buildNativeHost({ logLevel: 'info', outDir }).catch(() => {
    process.exitCode = 1;
  });
}
