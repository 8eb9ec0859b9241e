import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../../core/extension-ids.ts';
import { BROWSER_IDS, type HostPlatform } from '../../../native-host/install/browsers.ts';
import type { HostEnv, RegResult } from '../../../native-host/install/host-env.ts';
import { installHost, uninstallHost } from '../../../native-host/install/install.ts';
import { launcherScript } from '../../../native-host/install/manifest.ts';
import { hostStatus } from '../../../native-host/install/status.ts';
import { resolveTargets } from '../../../native-host/install/targets.ts';
import { buildBundles } from '../helper/build-once.ts';

let bundles: ReturnType<typeof buildBundles>;
let home: string;

beforeAll(() => {
  bundles = buildBundles();
});
afterAll(() => rmSync(bundles.dir, { recursive: true, force: true }));
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'mta-sts-install-'));
  return () => rmSync(home, { recursive: true, force: true });
});

function hostEnv(overrides: Partial<HostEnv> = {}): HostEnv {
  return {
    platform: 'linux',
    home,
    env: { PATH: '' },
    nodePath: process.execPath,
    helperPath: bundles.helper,
    reg: async () => ({ code: 1, stdout: '', stderr: 'no registry here' }),
    ...overrides,
  };
}

const manifestAt = (rel: string) => JSON.parse(readFileSync(join(home, rel, 'dev.mta_sts_inspector.helper.json'), 'utf8')) as Record<string, unknown>;

describe('host install on Linux (per user)', () => {
  it('writes manifests for the browsers found and skips the others with a line saying so', async () => {
    mkdirSync(join(home, '.config/chromium'), { recursive: true });
    mkdirSync(join(home, '.mozilla/firefox'), { recursive: true });
    const out = await installHost(hostEnv(), { browsers: BROWSER_IDS });
    expect(out.ok).toBe(true);
    expect(out.lines.filter((l) => l.includes('not installed')).map((l) => l.split(':')[0])).toEqual(['Google Chrome', 'Microsoft Edge', 'Brave', 'Vivaldi']);
    const launcher = join(home, '.local/share/mta-sts-inspector/helper.sh');
    expect(manifestAt('.config/chromium/NativeMessagingHosts')).toEqual({
      name: 'dev.mta_sts_inspector.helper',
      description: expect.any(String),
      path: launcher,
      type: 'stdio',
      allowed_origins: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`],
    });
    expect(manifestAt('.mozilla/native-messaging-hosts')).toEqual(expect.objectContaining({ path: launcher, allowed_extensions: [FIREFOX_EXTENSION_ID] }));
    expect(existsSync(join(home, '.config/google-chrome'))).toBe(false);
  });

  it('writes an executable launcher that runs the bundle with the installing Node', async () => {
    await installHost(hostEnv(), { browsers: ['chromium'], manifestDir: join(home, 'profile/NativeMessagingHosts') });
    const launcher = join(home, 'profile/NativeMessagingHosts/helper.sh');
    expect(statSync(launcher).mode & 0o111).toBe(0o111);
    expect(readFileSync(launcher, 'utf8')).toBe(launcherScript('linux', process.execPath, bundles.helper));
  });

  it('detects a browser by its binary on PATH', async () => {
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'brave-browser'), '');
    const [brave] = await resolveTargets(['brave'], hostEnv({ env: { PATH: bin } }));
    expect(brave?.presentBecause).toBe(`${join(bin, 'brave-browser')} is installed`);
  });

  it('refuses to install when the helper bundle is missing, naming it', async () => {
    const out = await installHost(hostEnv({ helperPath: join(home, 'nope.mjs') }), { browsers: ['chromium'], manifestDir: home });
    expect(out).toEqual({ ok: false, lines: [expect.stringContaining(join(home, 'nope.mjs'))] });
  });

  it('status: the registered helper answers hello; uninstall removes manifest and launcher', async () => {
    const dir = join(home, 'profile/NativeMessagingHosts');
    await installHost(hostEnv(), { browsers: ['chromium'], manifestDir: dir });
    const status = await hostStatus(hostEnv(), { browsers: ['chromium'], manifestDir: dir });
    expect(status.ok).toBe(true);
    expect(status.statuses[0]?.hello).toEqual({ ok: true, version: expect.any(String), protocol: 1 });
    expect(status.lines[0]).toMatch(/^Chromium: ok: .*helper .* answers \(protocol 1\)/);

    const out = await uninstallHost(hostEnv(), { browsers: ['chromium'], manifestDir: dir });
    expect(out.ok).toBe(true);
    expect([existsSync(join(dir, 'dev.mta_sts_inspector.helper.json')), existsSync(join(dir, 'helper.sh'))]).toEqual([false, false]);
    const after = await hostStatus(hostEnv(), { browsers: ['chromium'], manifestDir: dir });
    expect(after.statuses[0]?.manifest).toBe('missing');
  });

  it('status reports a launcher that is gone', async () => {
    const dir = join(home, 'p');
    await installHost(hostEnv(), { browsers: ['chromium'], manifestDir: dir });
    rmSync(join(dir, 'helper.sh'));
    const status = await hostStatus(hostEnv(), { browsers: ['chromium'], manifestDir: dir });
    expect(status.ok).toBe(false);
    expect(status.lines[0]).toContain('missing or not executable');
  });

  it('status reports a helper that does not answer', async () => {
    const dir = join(home, 'q');
    await installHost(hostEnv({ helperPath: bundles.cli }), { browsers: ['chromium'], manifestDir: dir });
    const status = await hostStatus(hostEnv(), { browsers: ['chromium'], manifestDir: dir, pingTimeoutMs: 3000 });
    expect(status.statuses[0]?.hello?.ok).toBe(false);
  });

  it('uninstall of the per-user install removes the launcher once no manifest is left', async () => {
    mkdirSync(join(home, '.config/google-chrome'), { recursive: true });
    mkdirSync(join(home, '.config/chromium'), { recursive: true });
    await installHost(hostEnv(), { browsers: BROWSER_IDS });
    const launcher = join(home, '.local/share/mta-sts-inspector/helper.sh');
    await uninstallHost(hostEnv(), { browsers: ['chrome'] });
    expect(existsSync(launcher)).toBe(true);
    await uninstallHost(hostEnv(), { browsers: ['chromium'] });
    expect([existsSync(launcher), existsSync(join(home, '.local/share/mta-sts-inspector'))]).toEqual([false, false]);
  });
});

describe('host manifest locations on other platforms (table)', () => {
  it.each<[HostPlatform, string, string]>([
    ['darwin', 'chrome', 'Library/Application Support/Google/Chrome/NativeMessagingHosts/dev.mta_sts_inspector.helper.json'],
    ['darwin', 'firefox', 'Library/Application Support/Mozilla/NativeMessagingHosts/dev.mta_sts_inspector.helper.json'],
    ['linux', 'edge', '.config/microsoft-edge/NativeMessagingHosts/dev.mta_sts_inspector.helper.json'],
    ['linux', 'vivaldi', '.config/vivaldi/NativeMessagingHosts/dev.mta_sts_inspector.helper.json'],
  ])('%s %s', async (platform, browser, rel) => {
    const [t] = await resolveTargets([browser as 'chrome'], hostEnv({ platform }));
    expect(t?.manifestPath).toBe(join(home, rel));
  });

  it.each<[string, string]>([
    ['chrome', 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.mta_sts_inspector.helper'],
    ['edge', 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\dev.mta_sts_inspector.helper'],
    ['firefox', 'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.mta_sts_inspector.helper'],
  ])('Windows %s is registered under %s, with the manifest in %%LOCALAPPDATA%%', async (browser, key) => {
    const env = { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' };
    const [t] = await resolveTargets([browser as 'chrome'], hostEnv({ platform: 'win32', env }));
    expect({ key: t?.registryKey, manifest: t?.manifestPath, launcher: t?.launcherPath }).toEqual({
      key,
      manifest: `C:\\Users\\u\\AppData\\Local\\mta-sts-inspector\\${browser}\\dev.mta_sts_inspector.helper.json`,
      launcher: 'C:\\Users\\u\\AppData\\Local\\mta-sts-inspector\\helper.cmd',
    });
  });

  it('Windows launcher quotes the paths and uses CRLF', () => {
    expect(launcherScript('win32', 'C:\\Program Files\\nodejs\\node.exe', 'C:\\x\\helper.mjs')).toBe(
      '@echo off\r\nrem Written by `mta-sts-inspector host install`.\r\n"C:\\Program Files\\nodejs\\node.exe" "C:\\x\\helper.mjs" %*\r\n',
    );
  });

  it('POSIX launcher survives quotes in paths', () => {
    expect(launcherScript('linux', "/opt/it's/node", '/h.mjs')).toContain(`exec '/opt/it'\\''s/node' '/h.mjs' "$@"`);
  });

  it('uninstall on Windows deletes the registry key it finds', async () => {
    const calls: string[][] = [];
    const reg = async (args: string[]): Promise<RegResult> => {
      calls.push(args);
      return { code: 0, stdout: '', stderr: '' };
    };
    const env = { LOCALAPPDATA: join(home, 'la'), APPDATA: join(home, 'ra') };
    await uninstallHost(hostEnv({ platform: 'win32', env, reg }), { browsers: ['chrome'] });
    expect(calls).toEqual([
      ['query', 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.mta_sts_inspector.helper', '/ve'],
      ['delete', 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.mta_sts_inspector.helper', '/f'],
    ]);
  });
});

describe('host install with no browser at all', () => {
  it('says that nothing was installed and how to write a manifest anyway', async () => {
    const out = await installHost(hostEnv(), { browsers: BROWSER_IDS });
    expect(out.lines.at(-1)).toContain('nothing was installed');
    expect(existsSync(join(home, '.local/share/mta-sts-inspector'))).toBe(false);
  });
});
