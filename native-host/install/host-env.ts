// Everything the installer needs to know about the machine, gathered once so the rest is testable.
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { HostPlatform } from './browsers.ts';

export interface RegResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HostEnv {
  platform: HostPlatform;
  home: string;
  env: Record<string, string | undefined>;
  /** The Node the launcher will run: the one running the installer. */
  nodePath: string;
  /** The bundled helper (.output/native-host/helper.mjs). */
  helperPath: string;
  /** Runs `reg.exe` (Windows only); injectable for tests. */
  reg: (args: string[]) => Promise<RegResult>;
}

export function currentHostEnv(env: Record<string, string | undefined> = process.env): HostEnv {
  const p = process.platform;
  const platform: HostPlatform = p === 'win32' || p === 'darwin' ? p : 'linux';
  return { platform, home: homedir(), env, nodePath: process.execPath, helperPath: defaultHelperPath(), reg: runReg };
}

/** From the CLI bundle, the helper bundle is its sibling; from source, it is in the repo's .output. */
export function defaultHelperPath(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  if (/[\\/]\.output[\\/]native-host[\\/][^\\/]+\.mjs$/.test(here)) return fileURLToPath(new URL('./helper.mjs', moduleUrl));
  return fileURLToPath(new URL('../../.output/native-host/helper.mjs', moduleUrl));
}

function runReg(args: string[]): Promise<RegResult> {
  return new Promise((resolve) => {
    // Arguments are passed as a vector (no shell): key names and paths are never re-parsed.
    const child = spawn('reg', args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => void (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr += d));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
