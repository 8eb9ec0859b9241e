// The engine's MxProber and PolicyFetcher ports over the helper. They never throw: a helper that
// is gone, slow or confused becomes an `error` outcome in the result, with the reason.
import type { MxProber, PolicyFetcher } from '../../core/ports.ts';
import type { MxProbeResult } from '../../core/protocol/probe.ts';
import type { PolicyFetchResult } from '../../core/protocol/policy-fetch.ts';
import { HelperError, type HelperClient } from './helper-client.ts';

/** The protocol's limit on addresses per probe request. */
const MAX_ADDRESSES = 32;

function reason(e: unknown): { message: string; aborted: boolean; timeout: boolean } {
  if (e instanceof HelperError) return { message: e.message, aborted: e.code === 'aborted', timeout: e.code === 'timeout' };
  return { message: e instanceof Error ? e.message : String(e), aborted: false, timeout: false };
}

function clampTimeout(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.min(120_000, Math.max(100, Math.round(ms)));
}

export function probeErrorResult(host: string, addresses: string[], message: string, totalMs: number): MxProbeResult {
  return {
    host,
    port: 25,
    addresses: addresses.slice(0, 64).map((address) => ({
      address: address.slice(0, 64),
      family: address.includes(':') ? (6 as const) : (4 as const),
      outcome: 'error' as const,
      step: 'connect' as const,
      message: message.slice(0, 2048),
      timings: { totalMs },
    })),
  };
}

export function helperProber(client: Pick<HelperClient, 'request'>, settings: { allowPrivate: boolean }, now = () => Date.now()): MxProber {
  return {
    async probe(host, addresses, options = {}) {
      const start = now();
      const asked = addresses.slice(0, MAX_ADDRESSES);
      const extra = addresses.slice(MAX_ADDRESSES);
      try {
        const answer = await client.request(
          {
            type: 'probe-mx',
            host,
            addresses: asked,
            timeoutMs: clampTimeout(options.timeoutMs),
            allowPrivate: settings.allowPrivate,
          },
          { signal: options.signal, timeoutMs: options.timeoutMs },
        );
        if (answer.type !== 'probe-mx-result') throw new HelperError('bad-response', `unexpected ${answer.type}`);
        if (extra.length === 0) return answer.result;
        const skipped = probeErrorResult(host, extra, `not probed: more than ${MAX_ADDRESSES} addresses`, 0);
        return { ...answer.result, addresses: [...answer.result.addresses, ...skipped.addresses].slice(0, 64) };
      } catch (e) {
        const r = reason(e);
        const message = r.aborted ? 'The probe was cancelled.' : `The helper could not probe ${host}: ${r.message}`;
        return probeErrorResult(host, addresses, message, now() - start);
      }
    },
  };
}

export function helperPolicyFetcher(client: Pick<HelperClient, 'request'>, settings: { allowPrivate: boolean }, now = () => Date.now()): PolicyFetcher {
  return {
    async fetchPolicy(domain, options = {}) {
      const start = now();
      const host = `mta-sts.${domain}`;
      const url = `https://${host}/.well-known/mta-sts.txt`;
      try {
        const answer = await client.request(
          {
            type: 'fetch-policy',
            domain,
            addresses: options.addresses?.slice(0, MAX_ADDRESSES),
            timeoutMs: clampTimeout(options.timeoutMs),
            allowPrivate: settings.allowPrivate,
          },
          { signal: options.signal, timeoutMs: options.timeoutMs },
        );
        if (answer.type !== 'fetch-policy-result') throw new HelperError('bad-response', `unexpected ${answer.type}`);
        return answer.result;
      } catch (e) {
        const r = reason(e);
        const result: PolicyFetchResult = {
          url,
          host,
          via: 'helper',
          attempts: [
            {
              error: {
                kind: r.aborted ? 'aborted' : r.timeout ? 'timeout' : 'other',
                message: (r.aborted ? 'The fetch was cancelled.' : `The helper could not fetch the policy: ${r.message}`).slice(0, 2048),
              },
              redirects: [],
              timings: { totalMs: now() - start },
            },
          ],
        };
        return result;
      }
    },
  };
}
