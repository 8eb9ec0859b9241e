// `host status`: per browser, is the manifest there and ours, does its launcher exist, and does
// the helper it starts answer `hello`.
import { access, constants, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../core/extension-ids.ts';
import { HELPER_HOST_NAME } from '../../core/protocol/helper.ts';
import type { HostEnv } from './host-env.ts';
import type { InstallOptions } from './install.ts';
import { pingHelper, type PingResult } from './ping.ts';
import { resolveTargets, type HostTarget } from './targets.ts';

const MAX_MANIFEST_BYTES = 64 * 1024;
const ManifestSchema = z.object({
  name: z.string(),
  path: z.string(),
  type: z.literal('stdio'),
  allowed_origins: z.array(z.string()).optional(),
  allowed_extensions: z.array(z.string()).optional(),
});

export interface BrowserStatus {
  browser: string;
  installed: boolean;
  manifestPath: string;
  manifest: 'missing' | 'invalid' | 'ok';
  launcher?: { path: string; exists: boolean };
  hello?: PingResult;
  problem?: string;
}

export async function hostStatus(host: HostEnv, options: InstallOptions & { pingTimeoutMs?: number }): Promise<{ ok: boolean; lines: string[]; statuses: BrowserStatus[] }> {
  const targets = await resolveTargets(options.browsers, host, options.manifestDir);
  const statuses = await Promise.all(targets.map((t) => statusOf(t, host, options.pingTimeoutMs)));
  const lines = statuses.map(describe);
  // Fine when every browser that is there (or has a manifest) has a working helper, and at least one does.
  const relevant = statuses.filter((s) => s.installed || s.manifest !== 'missing');
  const ok = relevant.length > 0 && relevant.every((s) => s.hello?.ok === true);
  return { ok, lines, statuses };
}

async function statusOf(t: HostTarget, host: HostEnv, pingTimeoutMs?: number): Promise<BrowserStatus> {
  const base = { browser: t.browser.name, installed: t.presentBecause !== undefined, manifestPath: t.manifestPath };
  let manifestPath = t.manifestPath;
  if (t.registryKey) {
    const q = await host.reg(['query', t.registryKey, '/ve']);
    const m = /REG_SZ\s+(.+)$/m.exec(q.stdout);
    if (q.code !== 0 || !m?.[1]) return { ...base, manifest: 'missing', problem: `${t.registryKey} is not set` };
    manifestPath = m[1].trim();
  }
  let text: string;
  try {
    text = (await readFile(manifestPath, 'utf8')).slice(0, MAX_MANIFEST_BYTES);
  } catch {
    return { ...base, manifestPath, manifest: 'missing' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ...base, manifestPath, manifest: 'invalid', problem: 'the manifest is not JSON' };
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) return { ...base, manifestPath, manifest: 'invalid', problem: 'the manifest lacks name, path or type "stdio"' };
  const m = parsed.data;
  const allowed = t.browser.family === 'firefox' ? m.allowed_extensions?.includes(FIREFOX_EXTENSION_ID) : m.allowed_origins?.includes(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);
  if (m.name !== HELPER_HOST_NAME || !allowed) {
    return { ...base, manifestPath, manifest: 'invalid', problem: `the manifest does not name ${HELPER_HOST_NAME} and this extension` };
  }
  const launcherExists = await access(m.path, constants.X_OK).then(() => true, () => false);
  const launcher = { path: m.path, exists: launcherExists };
  if (!launcherExists) return { ...base, manifestPath, manifest: 'ok', launcher, problem: `the launcher ${m.path} is missing or not executable` };
  const hello = await pingHelper(m.path, { ...(pingTimeoutMs ? { timeoutMs: pingTimeoutMs } : {}), env: { ...process.env, ...host.env } });
  return { ...base, manifestPath, manifest: 'ok', launcher, hello };
}

function describe(s: BrowserStatus): string {
  if (s.manifest === 'missing') return `${s.browser}: ${s.installed ? 'not registered' : 'not installed, not registered'}${s.problem ? ` (${s.problem})` : ''}; manifest would be ${s.manifestPath}.`;
  if (s.manifest === 'invalid') return `${s.browser}: manifest ${s.manifestPath} is wrong: ${s.problem ?? 'invalid'}. Run \`host install\` again.`;
  if (!s.launcher?.exists) return `${s.browser}: manifest ${s.manifestPath} ok, but ${s.problem ?? 'the launcher is missing'}. Run \`host install\` again.`;
  if (s.hello?.ok) return `${s.browser}: ok: ${s.manifestPath} → ${s.launcher.path}; helper ${s.hello.version} answers (protocol ${s.hello.protocol}).`;
  return `${s.browser}: manifest and launcher ok, but the helper does not answer: ${s.hello?.message ?? 'not tried'}.`;
}
