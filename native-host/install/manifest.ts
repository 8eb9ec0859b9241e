// The host manifest and the launcher script, as pure functions of where things are.
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../core/extension-ids.ts';
import { HELPER_HOST_NAME } from '../../core/protocol/helper.ts';
import type { HostPlatform, ManifestFamily } from './browsers.ts';

export const MANIFEST_FILE = `${HELPER_HOST_NAME}.json`;
const DESCRIPTION = 'MTA-STS Inspector helper: STARTTLS probes and policy fetches with TLS details';

export type HostManifest = {
  name: string;
  description: string;
  path: string;
  type: 'stdio';
} & ({ allowed_origins: string[] } | { allowed_extensions: string[] });

export function buildManifest(family: ManifestFamily, launcherPath: string): HostManifest {
  const base = { name: HELPER_HOST_NAME, description: DESCRIPTION, path: launcherPath, type: 'stdio' as const };
  return family === 'firefox'
    ? { ...base, allowed_extensions: [FIREFOX_EXTENSION_ID] }
    : { ...base, allowed_origins: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`] };
}

export function launcherFileName(platform: HostPlatform): string {
  return platform === 'win32' ? 'helper.cmd' : 'helper.sh';
}

/** A script that runs the helper bundle with the Node that ran the installer (browsers start hosts without the user's PATH). */
export function launcherScript(platform: HostPlatform, nodePath: string, helperPath: string): string {
  if (platform === 'win32') {
    return ['@echo off', 'rem Written by `mta-sts-inspector host install`.', `"${nodePath}" "${helperPath}" %*`, ''].join('\r\n');
  }
  return [
    '#!/bin/sh',
    '# Written by `mta-sts-inspector host install`: runs the MTA-STS Inspector helper.',
    `exec ${shellQuote(nodePath)} ${shellQuote(helperPath)} "$@"`,
    '',
  ].join('\n');
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
