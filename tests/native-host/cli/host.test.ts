// `host ...` through the CLI, in-process, into a temporary folder.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIREFOX_EXTENSION_ID } from '../../../core/extension-ids.ts';
import type { HostEnv } from '../../../native-host/install/host-env.ts';
import { buildBundles } from '../helper/build-once.ts';
import { cli } from './run-cli.ts';

let bundles: ReturnType<typeof buildBundles>;
let home: string;
let hostEnv: HostEnv;

beforeAll(() => {
  bundles = buildBundles();
  home = mkdtempSync(join(tmpdir(), 'mta-sts-cli-host-'));
  hostEnv = { platform: 'linux', home, env: { PATH: '' }, nodePath: process.execPath, helperPath: bundles.helper, reg: async () => ({ code: 1, stdout: '', stderr: '' }) };
});
afterAll(() => {
  rmSync(bundles.dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('mta-sts-inspector host --manifest-dir', () => {
  it('install, status, uninstall round trip for Firefox', async () => {
    const dir = join(home, 'ff');
    const deps = { hostEnv };
    const install = await cli(['host', 'install', '--browser', 'firefox', '--manifest-dir', dir], { deps });
    expect(install.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'dev.mta_sts_inspector.helper.json'), 'utf8')).allowed_extensions).toEqual([FIREFOX_EXTENSION_ID]);

    const status = await cli(['host', 'status', '--browser', 'firefox', '--manifest-dir', dir], { deps });
    expect({ code: status.code, line: status.stdout }).toEqual({ code: 0, line: expect.stringMatching(/^Firefox: ok: .* answers \(protocol 1\)\.\n$/) });

    const uninstall = await cli(['host', 'uninstall', '--browser', 'firefox', '--manifest-dir', dir], { deps });
    expect(uninstall.code).toBe(0);
    expect(existsSync(join(dir, 'helper.sh'))).toBe(false);

    const after = await cli(['host', 'status', '--browser', 'firefox', '--manifest-dir', dir], { deps });
    expect(after.code).toBe(1);
  });
});
