#!/usr/bin/env node
// `npm start -- [domain] [--firefox]`: build the extension and the helper, register the helper
// for the browsers found, then open the report page for the domain in Chromium (or Chrome)
// with the extension loaded. With no display, say where the unpacked extension is and run the
// CLI check instead, so the same command is useful over SSH and in CI.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const domain = args.find((a) => !a.startsWith('-')) ?? 'example.com';
const cli = join(root, 'native-host/bin/mta-sts-inspector.mjs');
const EXTENSION_ID = 'oceangmclpdocalnfjeodmagkblhmdel'; // core/extension-ids.ts

function run(cmd, cmdArgs, what) {
  console.log(`\n> ${what}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

run('npm', ['run', '--silent', 'build'], 'Building the helper and the extension');
const unpacked = join(root, '.output/chrome-mv3');
run(process.execPath, [cli, 'host', 'install', '--browser', 'all'], 'Registering the helper for the browsers found');

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
const browser = candidates.find((p) => existsSync(p));
const hasDisplay = platform() === 'darwin' || platform() === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

if (browser && hasDisplay) {
  // A profile of our own: --load-extension needs it, and Chromium then reads host manifests
  // from <profile>/NativeMessagingHosts rather than the per-user folder.
  const profile = join(homedir(), '.cache/mta-sts-inspector/chromium-profile');
  mkdirSync(profile, { recursive: true });
  run(process.execPath, [cli, 'host', 'install', '--manifest-dir', join(profile, 'NativeMessagingHosts')],
    'Registering the helper for that profile');
  const url = `chrome-extension://${EXTENSION_ID}/report.html?domain=${encodeURIComponent(domain)}`;
  console.log(`\nOpening ${browser} with the extension loaded: ${url}`);
  const child = spawn(browser, [`--user-data-dir=${profile}`, `--load-extension=${unpacked}`, '--no-first-run', url], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
} else {
  console.log(`\nNo browser window can be opened here (${browser ? 'no display' : 'no Chromium or Chrome found'}).`);
  console.log(`The unpacked extension is in ${unpacked}: load it from chrome://extensions ("Load unpacked").`);
  console.log(`Checking ${domain} with the CLI instead:\n`);
  const r = spawnSync(process.execPath, [cli, 'check', domain], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
