// Builds the helper and CLI bundles once per test file into a temporary folder, with the
// project's own build script (the same one `npm run build:helper` runs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export function buildBundles(): { dir: string; helper: string; cli: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mta-sts-helper-build-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'native-host/build.mjs'), '--out-dir', dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`build.mjs failed: ${r.stderr || r.stdout}`);
  return { dir, helper: join(dir, 'helper.mjs'), cli: join(dir, 'cli.mjs') };
}
