// The options page's "Test": one query for a DNSSEC-signed name through the chosen resolver,
// reporting the latency and whether the answer came back validated (the AD flag, RFC 4035 §3.2.3).
import type { Resolver } from '../../core/dns/types.ts';
import type { ResolverTestResult } from '../../components/OptionsForm.tsx';

/** Signed zones that have been signed for years; any validating resolver sets AD for them. */
export const SIGNED_TEST_NAME = 'ietf.org';

export async function testResolver(resolver: Resolver | { error: string }, name = SIGNED_TEST_NAME): Promise<ResolverTestResult> {
  if ('error' in resolver) return { ok: false, message: resolver.error };
  const answer = await resolver.query(name, 'A', { signal: AbortSignal.timeout(10_000) });
  const ms = Math.round(answer.elapsedMs);
  if (answer.status !== 'ok' && answer.status !== 'nodata') {
    return { ok: false, latencyMs: ms, message: `The resolver did not answer usefully (${answer.status}${answer.message ? `: ${answer.message}` : ''}).` };
  }
  return {
    ok: true,
    latencyMs: ms,
    validates: answer.ad,
    message: answer.ad
      ? `Answered in ${ms} ms; validates DNSSEC (AD set for ${name}).`
      : `Answered in ${ms} ms; does NOT validate DNSSEC (no AD flag for the signed name ${name}): DNSSEC states in reports will read "not validated".`,
  };
}
