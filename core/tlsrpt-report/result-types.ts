// What each RFC 8460 §4.3 result type means for the receiving domain, and which check of this
// tool looks at the cause. Under a `tlsa` policy, certificate failures are DANE matters.
import type { PolicyType } from './schema.ts';

/** Check ids of this tool (core/report/schema.ts CHECK_IDS, plus `dane`). */
export type RelatedCheckId = 'mx' | 'starttls' | 'sts-record' | 'policy-fetch' | 'policy-syntax' | 'policy-mx-match' | 'dane';

export interface ResultTypeInfo {
  meaning: string;
  checkId: RelatedCheckId;
  /** RFC 8460 section that defines the type. */
  section: string;
  known: boolean;
}

const TABLE: Record<string, Omit<ResultTypeInfo, 'known'>> = {
  'starttls-not-supported': { section: '4.3.1', checkId: 'starttls', meaning: 'The MX host did not offer STARTTLS (or refused it), so the sender could not use TLS.' },
  'certificate-host-mismatch': { section: '4.3.1', checkId: 'starttls', meaning: "The MX certificate's names do not match the MX host name (or the policy's constraints)." },
  'certificate-expired': { section: '4.3.1', checkId: 'starttls', meaning: 'The MX host presented an expired certificate.' },
  'certificate-not-trusted': { section: '4.3.1', checkId: 'starttls', meaning: "The MX certificate chain did not validate: unknown CA, self-signed, or missing intermediate (see failure-reason-code)." },
  'validation-failure': { section: '4.3.3', checkId: 'starttls', meaning: 'TLS negotiation or validation failed for another reason (see failure-reason-code).' },
  'tlsa-invalid': { section: '4.3.2.1', checkId: 'dane', meaning: 'None of the TLSA records matched the certificate chain the MX host presented.' },
  'dnssec-invalid': { section: '4.3.2.1', checkId: 'dane', meaning: 'The sender\'s resolver returned no valid (DNSSEC-validated) records: broken signatures or a lookup failure.' },
  'dane-required': { section: '4.3.2.1', checkId: 'dane', meaning: 'The sender requires DANE for this domain, but the MX host has no DNSSEC-validated TLSA records.' },
  'sts-policy-fetch-error': { section: '4.3.2.2', checkId: 'policy-fetch', meaning: 'The sender could not fetch the MTA-STS policy (policy host unreachable, HTTP error, timeout).' },
  'sts-policy-invalid': { section: '4.3.2.2', checkId: 'policy-syntax', meaning: 'The MTA-STS policy the sender fetched is invalid.' },
  'sts-webpki-invalid': { section: '4.3.2.2', checkId: 'policy-fetch', meaning: "The policy host's HTTPS certificate did not validate (PKIX), so the policy could not be authenticated." },
};

const DANE_UNDER_TLSA = new Set(['certificate-host-mismatch', 'certificate-expired', 'certificate-not-trusted', 'validation-failure']);

export function describeResultType(resultType: string, policyType: PolicyType): ResultTypeInfo {
  const entry = TABLE[resultType];
  if (!entry) {
    return { section: '4.3', checkId: policyType === 'tlsa' ? 'dane' : 'starttls', known: false, meaning: `"${resultType.slice(0, 64)}" is not a result type RFC 8460 §4.3 defines; it may be a later registration. See the reporter's failure-reason-code.` };
  }
  const checkId = policyType === 'tlsa' && DANE_UNDER_TLSA.has(resultType) ? 'dane' : entry.checkId;
  return { ...entry, checkId, known: true };
}
