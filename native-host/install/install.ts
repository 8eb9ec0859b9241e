// The thin writer: install and uninstall mirror each other over the targets of targets.ts.
// Each returns lines for people and whether everything asked for was done.
import { chmod, mkdir, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BrowserId } from './browsers.ts';
import type { HostEnv } from './host-env.ts';
import { buildManifest, launcherScript } from './manifest.ts';
import { dataDir, resolveTargets } from './targets.ts';

export interface InstallOptions {
  browsers: readonly BrowserId[];
  manifestDir?: string;
}

export interface InstallOutcome {
  ok: boolean;
  lines: string[];
}

export async function installHost(host: HostEnv, options: InstallOptions): Promise<InstallOutcome> {
  const lines: string[] = [];
  try {
    await stat(host.helperPath);
  } catch {
    return { ok: false, lines: [`The helper bundle ${host.helperPath} does not exist: run \`npm run build:helper\` first.`] };
  }
  const targets = await resolveTargets(options.browsers, host, options.manifestDir);
  let ok = true;
  const launchersWritten = new Set<string>();
  for (const t of targets) {
    const name = t.browser.name;
    if (!t.presentBecause) {
      lines.push(`${name}: not installed (looked for ${t.lookedFor}), skipped.`);
      continue;
    }
    try {
      if (!launchersWritten.has(t.launcherPath)) {
        await mkdir(dirname(t.launcherPath), { recursive: true });
        await writeFile(t.launcherPath, launcherScript(host.platform, host.nodePath, host.helperPath), { mode: 0o755 });
        await chmod(t.launcherPath, 0o755); // an existing file keeps its old mode through writeFile
        launchersWritten.add(t.launcherPath);
      }
      await mkdir(dirname(t.manifestPath), { recursive: true });
      await writeFile(t.manifestPath, `${JSON.stringify(buildManifest(t.browser.family, t.launcherPath), null, 2)}\n`, { mode: 0o644 });
      if (t.registryKey) {
        const r = await host.reg(['add', t.registryKey, '/ve', '/t', 'REG_SZ', '/d', t.manifestPath, '/f']);
        if (r.code !== 0) throw new Error(`reg add ${t.registryKey} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
      }
      lines.push(`${name}: installed ${t.manifestPath}${t.registryKey ? ` (registered at ${t.registryKey})` : ''}, launcher ${t.launcherPath}.`);
    } catch (e) {
      ok = false;
      lines.push(`${name}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!targets.some((t) => t.presentBecause)) {
    lines.push('No supported browser was found for this user, so nothing was installed. Use --manifest-dir DIR to write the manifest to a folder of your choice.');
  }
  return { ok, lines };
}

export async function uninstallHost(host: HostEnv, options: InstallOptions): Promise<InstallOutcome> {
  const lines: string[] = [];
  let ok = true;
  const targets = await resolveTargets(options.browsers, host, options.manifestDir);
  for (const t of targets) {
    const name = t.browser.name;
    try {
      const hadManifest = await removeIfThere(t.manifestPath);
      let hadKey = false;
      if (t.registryKey) {
        const q = await host.reg(['query', t.registryKey, '/ve']);
        if (q.code === 0) {
          const r = await host.reg(['delete', t.registryKey, '/f']);
          if (r.code !== 0) throw new Error(`reg delete ${t.registryKey} failed: ${r.stderr.trim() || `exit ${r.code}`}`);
          hadKey = true;
        }
      }
      lines.push(hadManifest || hadKey ? `${name}: removed ${t.manifestPath}${hadKey ? ` and ${t.registryKey}` : ''}.` : `${name}: nothing installed.`);
    } catch (e) {
      ok = false;
      lines.push(`${name}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // The launcher goes when no browser's manifest is left pointing at it.
  if (options.manifestDir !== undefined) {
    for (const launcher of new Set(targets.map((t) => t.launcherPath))) if (await removeIfThere(launcher)) lines.push(`Removed ${launcher}.`);
  } else {
    const all = await resolveTargets(['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox'], host);
    const remaining = await Promise.all(all.map((t) => stat(t.manifestPath).then(() => true, () => false)));
    if (!remaining.some(Boolean)) {
      const launcher = all[0]?.launcherPath;
      if (launcher && (await removeIfThere(launcher))) lines.push(`Removed ${launcher}.`);
      await removeDirIfEmpty(dataDir(host));
    }
  }
  return { ok, lines };
}

async function removeIfThere(path: string): Promise<boolean> {
  try {
    await stat(path);
  } catch {
    return false;
  }
  await rm(path, { force: true });
  return true;
}

async function removeDirIfEmpty(dir: string): Promise<void> {
  try {
    if ((await readdir(dir)).length === 0) await rmdir(dir);
  } catch {
    // Not there, or not ours to empty: leave it.
  }
}
