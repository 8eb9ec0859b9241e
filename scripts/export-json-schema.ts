// Writes schema/report.schema.json from the zod report schema.
// Run from the repository root. Node 20 cannot strip types (--experimental-strip-types arrived in
// 22.6) and vite-node is not installed, so bundle with esbuild and pipe the result into node:
//   npx esbuild scripts/export-json-schema.ts --bundle --platform=node --format=esm --log-level=warning | node --input-type=module - [--check]
// (On Node ≥ 22.6: node --experimental-strip-types scripts/export-json-schema.ts.)
// With --check it writes nothing and exits 1 when the committed file is out of date (for CI).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { reportJsonSchemaText } from '../core/report/json-schema.ts';

// Relative to the working directory, not to this file: bundled, the code runs from stdin.
const target = resolve(process.cwd(), 'schema/report.schema.json');
const text = reportJsonSchemaText();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // Missing file: out of date.
  }
  if (current !== text) {
    process.stderr.write(`${target} is out of date: run scripts/export-json-schema.ts\n`);
    process.exit(1);
  }
  process.stdout.write(`${target} is up to date\n`);
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
