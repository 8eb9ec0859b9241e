// Builds what the browser loads: the extension (wxt build, Chromium MV3) and the helper bundle,
// then copies the extension to a temp folder so another build of .output/ during the run (other
// tests, an engineer) cannot change it under the browser.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BUILD_TIMEOUT_MS = 180_000;

export interface BuiltExtension {
  dir: string;
  dispose(): void;
}

/**
 * Headless Chromium cannot show the permission prompt of `permissions.request` (it never settles)
 * and has no switch to accept it. The copy the browser loads therefore declares the optional host
 * permission (`https://*\/*`) as granted, which is what a user clicking "Allow" produces; the
 * pages still call permissions.request, which then resolves true at once. The prompt's own UI
 * (PermissionNotice, the options page's refusal message) is covered by the component tests.
 */
function grantOptionalHostPermissions(dir: string): void {
  const file = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { host_permissions?: string[]; optional_host_permissions?: string[] };
  manifest.host_permissions = [...(manifest.host_permissions ?? []), ...(manifest.optional_host_permissions ?? [])];
  delete manifest.optional_host_permissions;
  writeFileSync(file, JSON.stringify(manifest, null, 2));
}

export function buildExtension(): BuiltExtension {
  const opts: ExecFileSyncOptions = { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: BUILD_TIMEOUT_MS };
  execFileSync(process.execPath, [join(ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build'], opts);
  execFileSync(process.execPath, [join(ROOT, 'native-host/build.mjs')], opts);
  const dir = mkdtempSync(join(tmpdir(), 'mta-sts-e2e-ext-'));
  cpSync(join(ROOT, '.output/chrome-mv3'), dir, { recursive: true });
  grantOptionalHostPermissions(dir);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BundleFile {
  path: string;
  bytes: number;
  gzipBytes: number;
}

/** The JavaScript and CSS popup.html loads (its scripts, styles and their static imports), gzipped. */
export function popupBundle(extDir: string): { files: BundleFile[]; gzipBytes: number } {
  const html = readFileSync(join(extDir, 'popup.html'), 'utf8');
  const queue = [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? '');
  const seen = new Set<string>();
  const files: BundleFile[] = [];
  while (queue.length > 0) {
    const path = queue.shift() ?? '';
    if (seen.has(path)) continue;
    seen.add(path);
    const body = readFileSync(join(extDir, path));
    if (path.endsWith('.js')) {
      // Static imports only (`import … from "./x.js"`, `import "./x.js"`); dynamic import() is not loaded up front.
      for (const m of body.toString('utf8').matchAll(/\b(?:import|from)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
        queue.push(join(dirname(path), m[1] ?? ''));
      }
    }
    files.push({ path, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length });
  }
  return { files, gzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0) };
}
