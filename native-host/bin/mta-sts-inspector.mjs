#!/usr/bin/env node
// The package's "bin": runs the bundled CLI, building it first when it is missing or older than
// its sources, so `npx mta-sts-inspector ...` works right after `npm ci`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, '.output/native-host/cli.mjs');
const SOURCE_DIRS = ['core', 'native-host'].map((d) => join(root, d));
const SOURCE_FILES = [join(root, 'package.json'), join(root, 'package-lock.json')];

/** Newest modification time under the source folders (TypeScript and build script only). */
function newestSource() {
  let newest = 0;
  const visit = (dir, depth) => {
    if (depth > 12) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) visit(p, depth + 1);
      else if (/\.(ts|mjs|json)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(d)) visit(d, 0);
  for (const f of SOURCE_FILES) if (existsSync(f)) newest = Math.max(newest, statSync(f).mtimeMs);
  return newest;
}

async function main() {
  if (!existsSync(cli) || statSync(cli).mtimeMs < newestSource()) {
    const { buildNativeHost } = await import(pathToFileURL(join(root, 'native-host/build.mjs')).href);
    try {
      await buildNativeHost();
    } catch (e) {
      process.stderr.write(`mta-sts-inspector: building the CLI failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    }
  }
  const { runCli } = await import(pathToFileURL(cli).href);
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  });
  process.exitCode = code;
}

main();
