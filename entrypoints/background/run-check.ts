// Runs one check for a page: settings → ports (DoH, helper or fetch, prober) → engine, streaming
// progress to the page and caching the report. Everything the browser provides is handed in, so
// this runs the same under WXT's fake browser in tests.
import type { checkDomain as CheckDomainFn } from '../../core/engine.ts';
import type { resolverFromSetting as ResolverFromSettingFn } from '../../core/dns/doh.ts';
import { normalizeDomainInput } from '../../core/parse/domain-name.ts';
import { cacheKey } from '../../core/cache-key.ts';
import { resolverSettingValue, type Settings } from '../../core/protocol/settings.ts';
import type { EnginePorts } from '../../core/ports.ts';
import type { Report } from '../../core/report/schema.ts';
import { loadSettings } from '../shared/settings-store.ts';
import type { StorageArea } from '../shared/storage-area.ts';
import { HELPER_INSTALL_COMMAND, type CheckServerMessage, type HelperState } from '../shared/ui-protocol.ts';
import type { HelperClient } from './helper-client.ts';
import { helperPolicyFetcher, helperProber } from './helper-adapters.ts';
import { browserPolicyFetcher } from './browser-policy-fetcher.ts';
import { createReportCache } from './report-cache.ts';
import { createPolicyHistory } from './policy-history.ts';

export interface CheckDeps {
  area: StorageArea;
  helper: Pick<HelperClient, 'state' | 'request'>;
  fetch: typeof fetch;
  hasHostPermission: () => Promise<boolean>;
  checkDomain: typeof CheckDomainFn;
  resolverFromSetting: typeof ResolverFromSettingFn;
  now?: () => number;
}

interface Context {
  settings: Settings;
  domain: string;
  key: string;
  helper: HelperState;
  probing: boolean;
}

/** Why `starttls` will be skipped, or undefined when it will run. */
export function proberMissingReason(settings: Settings, helper: HelperState): string | undefined {
  if (!settings.probe) return 'Probing MX hosts is turned off in the options.';
  switch (helper.state) {
    case 'found':
      return undefined;
    case 'not-installed':
      return `A browser cannot open connections to port 25, and the helper that can is not installed. Install it with: ${HELPER_INSTALL_COMMAND}`;
    case 'blocked':
      return `The helper is installed but the browser does not let this extension start it (${helper.message}). Re-run: ${HELPER_INSTALL_COMMAND}`;
    case 'error':
      return `The helper could not be reached (${helper.message}). To (re)install it: ${HELPER_INSTALL_COMMAND}`;
  }
}

async function contextFor(input: string, deps: CheckDeps): Promise<Context | { error: string }> {
  const { settings } = await loadSettings(deps.area);
  const norm = normalizeDomainInput(input);
  if (!norm.ok) return { error: norm.message };
  const helper = await deps.helper.state();
  const probing = settings.probe && helper.state === 'found';
  const key = cacheKey({ domain: norm.domain, resolver: resolverSettingValue(settings), probe: probing, allowPrivate: settings.allowPrivate });
  return { settings, domain: norm.domain, key, helper, probing };
}

/** The cached report for this input under the current settings, if one is fresh. */
export async function cachedReport(input: string, deps: CheckDeps): Promise<{ report?: Report; cachedAt?: number }> {
  const ctx = await contextFor(input, deps);
  if ('error' in ctx) return {};
  const hit = await createReportCache(deps.area, deps.now).get(ctx.key, ctx.settings.cacheMinutes);
  return hit ? { report: hit.report, cachedAt: hit.storedAt } : {};
}

function replay(report: Report, cachedAt: number, send: (m: CheckServerMessage) => void, extra: Partial<Extract<CheckServerMessage, { type: 'done' }>>) {
  send({ type: 'started', domain: report.domain, checks: report.checks.map((c) => ({ id: c.id, title: c.title })) });
  for (const check of report.checks) send({ type: 'check', check });
  send({ type: 'done', report, cachedAt, ...extra });
}

/** Never throws: every failure reaches the page as an `error` message. Nothing is sent once `signal` aborts. */
export async function runCheck(
  request: { input: string; force?: boolean },
  deps: CheckDeps,
  send: (m: CheckServerMessage) => void,
  signal: AbortSignal,
): Promise<void> {
  const post = (m: CheckServerMessage) => {
    if (!signal.aborted) send(m);
  };
  try {
    const ctx = await contextFor(request.input, deps);
    if ('error' in ctx) return post({ type: 'error', message: ctx.error });
    const { settings, helper } = ctx;
    const missing = proberMissingReason(settings, helper);
    const cache = createReportCache(deps.area, deps.now);

    if (!request.force) {
      const hit = await cache.get(ctx.key, settings.cacheMinutes);
      if (hit) return replay(hit.report, hit.storedAt, post, missing ? { helperMissing: missing } : {});
    }

    const resolver = deps.resolverFromSetting(resolverSettingValue(settings), deps.fetch);
    if ('error' in resolver) return post({ type: 'error', message: `DNS resolver: ${resolver.error}` });

    const helperFound = helper.state === 'found';
    const hostPermission = helperFound || (await deps.hasHostPermission().catch(() => false));
    const client = deps.helper;
    const ports: EnginePorts = {
      resolver,
      policyFetcher: helperFound
        ? helperPolicyFetcher(client, settings)
        : browserPolicyFetcher({ fetch: deps.fetch, hasHostPermission: deps.hasHostPermission }),
      ...(ctx.probing ? { prober: helperProber(client, settings) } : { proberMissingReason: missing }),
      history: createPolicyHistory(deps.area),
    };
    const result = await deps.checkDomain(request.input, ports, {
      signal,
      probeTimeoutMs: settings.probeTimeoutMs,
      // The mx check flags non-public addresses unless allowed (test networks live on loopback).
      allowPrivate: settings.allowPrivate,
      onProgress: (e) => {
        if (e.type === 'started') post({ type: 'started', domain: e.domain, checks: e.checks });
        else post({ type: 'check', check: e.check });
      },
    });
    if (signal.aborted) return;
    if (!result.ok) return post({ type: 'error', message: result.error });
    if (settings.cacheMinutes > 0) await cache.put(ctx.key, result.report).catch(() => undefined);
    post({
      type: 'done',
      report: result.report,
      ...(hostPermission ? {} : { needsHostPermission: true }),
      ...(missing ? { helperMissing: missing } : {}),
    });
  } catch (e) {
    post({ type: 'error', message: `The check could not run: ${e instanceof Error ? e.message : String(e)}` });
  }
}
