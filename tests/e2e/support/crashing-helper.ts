// A helper launcher that dies in the middle of a request (issue 7): registered in place of the real
// launcher, it runs the real helper as its child and passes native-messaging frames through; at the
// first `probe-mx` frame it stops forwarding, leaves a marker, and half a second later (so every
// probe of the check is in flight) kills the helper with SIGKILL and exits. Once the marker exists
// the launcher starts the real helper directly: the browser's next connection gets a working one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HELPER_HOST = 'dev.mta_sts_inspector.helper';

const CRASHER = `// Written by tests/e2e/support/crashing-helper.ts.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const [marker, original, ...args] = process.argv.slice(2);
const child = spawn(original, args, { stdio: ['pipe', 'inherit', 'inherit'] });
let buf = Buffer.alloc(0);
let dying = false;
process.stdin.on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  while (buf.length >= 4) {
    const len = buf.readUInt32LE(0);
    if (buf.length < 4 + len) break;
    const frame = buf.subarray(0, 4 + len);
    buf = buf.subarray(4 + len);
    let type;
    try { type = JSON.parse(frame.subarray(4).toString('utf8')).type; } catch {}
    if (type === 'probe-mx' && !dying) {
      dying = true;
      writeFileSync(marker, String(Date.now()));
      setTimeout(() => { child.kill('SIGKILL'); process.exit(70); }, 500);
    }
    if (!dying) child.stdin.write(frame);
  }
});
process.stdin.on('end', () => child.stdin.end());
child.on('exit', (code) => process.exit(code ?? 1));
`;

export interface CrashingHelper {
  /** The crash happened (the marker exists). */
  crashed(): boolean;
  /** Puts the real launcher back in the manifest and deletes the files. */
  restore(): void;
}

/** Registers the crashing launcher in the profile's NativeMessagingHosts folder (Chromium reads it at each connectNative). */
export function installCrashingHelper(userDataDir: string): CrashingHelper {
  const manifestPath = join(userDataDir, 'NativeMessagingHosts', `${HELPER_HOST}.json`);
  const original = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(original) as { path: string };
  const dir = mkdtempSync(join(tmpdir(), 'mta-sts-e2e-crash-'));
  const marker = join(dir, 'crashed');
  const crasher = join(dir, 'crasher.mjs');
  const launcher = join(dir, 'crashing-helper.sh');
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  writeFileSync(crasher, CRASHER);
  writeFileSync(
    launcher,
    `#!/bin/sh\nif [ -e ${q(marker)} ]; then exec ${q(manifest.path)} "$@"; fi\nexec ${q(process.execPath)} ${q(crasher)} ${q(marker)} ${q(manifest.path)} "$@"\n`,
    { mode: 0o755 },
  );
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, path: launcher }, null, 2));
  return {
    crashed: () => {
      try {
        readFileSync(marker);
        return true;
      } catch {
        return false;
      }
    },
    restore: () => {
      writeFileSync(manifestPath, original);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
