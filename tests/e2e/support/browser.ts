// Debian's Chromium with the built extension, driven by playwright-core: a fresh profile and HOME
// per run, the test CAs trusted through an NSS database under that HOME (ignoreHTTPSErrors does
// not reach the extension's service worker), names mapped to loopback with --host-resolver-rules,
// and the helper registered in the profile's NativeMessagingHosts folder by our own CLI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { CHROMIUM_EXTENSION_ID } from '../../../core/extension-ids.ts';
import { ROOT } from './build.ts';

export const CHROMIUM = '/usr/bin/chromium';
const HELPER_HOST = 'dev.mta_sts_inspector.helper';

export interface LaunchOptions {
  extDir: string;
  /** PEM certificates of CAs to trust (the test network's, the webmail server's). */
  caCerts: string[];
  /** --host-resolver-rules value. */
  hostRules: string;
  /** Extra environment for the browser (and so for the helper it starts). */
  env?: Record<string, string>;
  /**
   * The nameserver the browser's children (the helper) find in /etc/resolv.conf. The helper
   * resolves mta-sts.<domain> with the system's DNS, like a sending MTA; the browser runs in its
   * own mount namespace (unshare) where a resolv.conf naming the test resolver is bind-mounted
   * over /etc/resolv.conf, so those queries stay in the test network. Same network namespace.
   */
  nameserver?: string;
}

export interface ExtensionBrowser {
  readonly context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  readonly worker: Worker;
  url(path: string): string;
  newPage(path: string): Promise<Page>;
  installHelper(): void;
  removeHelper(): void;
  /** Close and start the browser again on the same profile (settings, cache and helper registration kept). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, env });
}

/** An NSS database under `home` trusting `caCerts` for TLS servers (Chromium on Linux reads ~/.pki/nssdb). */
function trustCas(home: string, caCerts: string[]): void {
  const db = join(home, '.pki/nssdb');
  mkdirSync(db, { recursive: true });
  run('certutil', ['-d', `sql:${db}`, '-N', '--empty-password']);
  caCerts.forEach((pem, i) => {
    const file = join(home, `ca-${i}.pem`);
    writeFileSync(file, pem);
    run('certutil', ['-d', `sql:${db}`, '-A', '-t', 'C,,', '-n', `mta-sts-test-ca-${i}`, '-i', file]);
  });
}

/** A launcher that runs Chromium with `nameserver` in /etc/resolv.conf, seen by it and its children only. */
function resolvConfWrapper(base: string, nameserver: string): string {
  if (!/^[0-9.]+$|^[0-9a-f:]+$/i.test(nameserver)) throw new Error(`bad nameserver ${nameserver}`);
  const conf = join(base, 'resolv.conf');
  writeFileSync(conf, `nameserver ${nameserver}\noptions timeout:2 attempts:1\n`);
  const script = join(base, 'chromium-in-test-dns.sh');
  // exec all the way down: Playwright's pipes (fds 3 and 4) and the PID it will kill stay the browser's.
  writeFileSync(
    script,
    `#!/bin/sh\nexec unshare --mount --propagation private /bin/sh -c 'mount --bind "$0" /etc/resolv.conf && exec ${CHROMIUM} "$@"' '${conf}' "$@"\n`,
    { mode: 0o755 },
  );
  return script;
}

export async function launchExtensionBrowser(o: LaunchOptions): Promise<ExtensionBrowser> {
  const base = mkdtempSync(join(tmpdir(), 'mta-sts-e2e-browser-'));
  const home = join(base, 'home');
  const userDataDir = join(base, 'profile');
  mkdirSync(home, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  const cleanup = () => rmSync(base, { recursive: true, force: true });
  try {
    trustCas(home, o.caCerts);
    const manifestDir = join(userDataDir, 'NativeMessagingHosts');
    const cli = join(ROOT, 'native-host/bin/mta-sts-inspector.mjs');
    const installHelper = () => run(process.execPath, [cli, 'host', 'install', '--manifest-dir', manifestDir], { ...process.env, HOME: home });
    const removeHelper = () => rmSync(join(manifestDir, `${HELPER_HOST}.json`), { force: true });
    installHelper();
    if (!existsSync(join(manifestDir, `${HELPER_HOST}.json`))) throw new Error(`host install wrote no ${HELPER_HOST}.json in ${manifestDir}`);
    const executablePath = o.nameserver ? resolvConfWrapper(base, o.nameserver) : CHROMIUM;

    const launch = async (): Promise<{ context: BrowserContext; worker: Worker }> => {
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath,
        headless: true,
        viewport: { width: 900, height: 800 },
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
          `--disable-extensions-except=${o.extDir}`,
          `--load-extension=${o.extDir}`,
          `--host-resolver-rules=${o.hostRules}`,
        ],
        env: { ...process.env, HOME: home, ...o.env },
      });
      try {
        const ours = (w: Worker) => w.url().startsWith(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);
        const worker = context.serviceWorkers().find(ours) ?? (await context.waitForEvent('serviceworker', { predicate: ours, timeout: 30_000 }));
        return { context, worker };
      } catch (e) {
        await context.close().catch(() => undefined);
        throw e;
      }
    };

    let current = await launch();
    const url = (path: string) => `chrome-extension://${CHROMIUM_EXTENSION_ID}/${path.replace(/^\//, '')}`;
    const b: ExtensionBrowser = {
      get context() {
        return current.context;
      },
      get worker() {
        return current.worker;
      },
      extensionId: CHROMIUM_EXTENSION_ID,
      userDataDir,
      url,
      newPage: async (path: string) => {
        const page = await current.context.newPage();
        await page.goto(url(path));
        return page;
      },
      installHelper,
      removeHelper,
      restart: async () => {
        await current.context.close();
        current = await launch();
      },
      close: async () => {
        await current.context.close().catch(() => undefined);
        cleanup();
      },
    };
    return b;
  } catch (e) {
    cleanup();
    throw e;
  }
}
