// Resolves the browser table against one machine: where each manifest and the launcher go,
// and whether the browser is there at all.
import { access, constants } from 'node:fs/promises';
import { posix, win32 } from 'node:path';
import { HELPER_HOST_NAME } from '../../core/protocol/helper.ts';
import { BROWSERS, DATA_DIRS, type BrowserEntry, type BrowserId } from './browsers.ts';
import type { HostEnv } from './host-env.ts';
import { MANIFEST_FILE, launcherFileName } from './manifest.ts';

export interface HostTarget {
  browser: BrowserEntry;
  manifestPath: string;
  launcherPath: string;
  /** Windows: the HKCU key whose default value names the manifest. */
  registryKey?: string;
  /** Why we think the browser is installed, or undefined when it is not. */
  presentBecause?: string;
  /** What was looked for, to say so when the browser is skipped. */
  lookedFor: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(names: string[], host: HostEnv): Promise<string | undefined> {
  const dirs = (host.env.PATH ?? '').split(host.platform === 'win32' ? ';' : ':').filter(Boolean);
  for (const name of names) for (const d of dirs) if (await exists(posix.join(d, name))) return posix.join(d, name);
  return undefined;
}

export function dataDir(host: HostEnv): string {
  if (host.platform === 'win32') return win32.join(host.env.LOCALAPPDATA ?? win32.join(host.home, 'AppData', 'Local'), DATA_DIRS.win32);
  return posix.join(host.home, DATA_DIRS[host.platform]);
}

export async function resolveTargets(ids: readonly BrowserId[], host: HostEnv, manifestDir?: string): Promise<HostTarget[]> {
  const path = host.platform === 'win32' ? win32 : posix;
  const launcherName = launcherFileName(host.platform);
  const selected = BROWSERS.filter((b) => ids.includes(b.id));
  return Promise.all(
    selected.map(async (browser): Promise<HostTarget> => {
      if (manifestDir !== undefined) {
        // Exactly there, launcher included, whatever is installed (tests, or a --user-data-dir profile).
        return {
          browser,
          manifestPath: path.join(manifestDir, MANIFEST_FILE),
          launcherPath: path.join(manifestDir, launcherName),
          presentBecause: '--manifest-dir was given',
          lookedFor: manifestDir,
        };
      }
      const launcherPath = path.join(dataDir(host), launcherName);
      if (host.platform === 'win32') {
        const loc = browser.win32;
        const base = browser.family === 'firefox' ? (host.env.APPDATA ?? win32.join(host.home, 'AppData', 'Roaming')) : (host.env.LOCALAPPDATA ?? win32.join(host.home, 'AppData', 'Local'));
        const dirs = loc.configDirs.map((d) => win32.join(base, d));
        const found = await firstExisting(dirs);
        return {
          browser,
          manifestPath: win32.join(dataDir(host), browser.id, MANIFEST_FILE),
          launcherPath,
          registryKey: `HKCU\\${loc.registryKey}\\${HELPER_HOST_NAME}`,
          ...(found ? { presentBecause: `${found} exists` } : {}),
          lookedFor: dirs.join(', '),
        };
      }
      const loc = browser[host.platform];
      const dirs = loc.configDirs.map((d) => posix.join(host.home, d));
      const found = await firstExisting(dirs);
      const binary = found ? undefined : await onPath(browser.binaries, host);
      const presentBecause = found ? `${found} exists` : binary ? `${binary} is installed` : undefined;
      return {
        browser,
        manifestPath: posix.join(host.home, loc.manifestDir, MANIFEST_FILE),
        launcherPath,
        ...(presentBecause ? { presentBecause } : {}),
        lookedFor: `${dirs.join(', ')} or ${browser.binaries.join('/')} on PATH`,
      };
    }),
  );
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const p of paths) if (await exists(p)) return p;
  return undefined;
}
