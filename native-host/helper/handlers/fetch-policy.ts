import type { FetchPolicyRequest, HelperResponse } from '../../../core/protocol/helper.ts';
import { fetchPolicyWithEvidence } from '../../policy/fetch-policy.ts';
import type { HandlerContext } from './context.ts';

export type FetchPolicyWorker = typeof fetchPolicyWithEvidence;

/** `fetch-policy` → https://mta-sts.<domain>/.well-known/mta-sts.txt on port 443 with full TLS evidence. */
export async function handleFetchPolicy(
  req: FetchPolicyRequest,
  ctx: HandlerContext,
  worker: FetchPolicyWorker = fetchPolicyWithEvidence,
): Promise<HelperResponse> {
  const result = await worker(req.domain, {
    ...(req.addresses ? { addresses: req.addresses } : {}),
    timeoutMs: ctx.timeoutMs,
    allowPrivate: ctx.allowPrivate,
    signal: ctx.signal,
    via: 'helper',
  });
  return { type: 'fetch-policy-result', id: req.id, result };
}
