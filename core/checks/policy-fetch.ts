// `policy-fetch`: GET https://mta-sts.<domain>/.well-known/mta-sts.txt (RFC 8461 §3.3): a certificate
// valid for the policy host, HTTP 200 only, no redirects (the fetcher follows them to diagnose; we
// report them as errors), text/plain, within 60 s and 64 KiB, TLS 1.2 or later (§7.2).
import type { DnsAnswer } from '../dns/types.ts';
import type { PolicyAttempt, PolicyFetchResult } from '../protocol/policy-fetch.ts';
import { POLICY_SIZE_LIMIT, POLICY_TIMEOUT_MS } from '../protocol/policy-fetch.ts';
import type { TlsInfo } from '../protocol/tls.ts';
import { ref } from '../report/refs.ts';
import { statusFromFindings, type CheckStatus, type Finding } from '../report/schema.ts';
import type { PolicyFetchEvidence } from './evidence.ts';
import { base64ToBytes, clip, describeDnsFailure, dnssecBogusFinding, dnssecBogusReason, isResolverFailure, listSome, period, sortFindings } from './helpers.ts';
import type { CheckOutcome } from './types.ts';

export interface PolicyFetchCheckInput {
  domain: string;
  result: PolicyFetchResult;
  /** A and AAAA of mta-sts.<domain>, looked up by the engine in parallel with the fetch. */
  hostA?: DnsAnswer<'A'>;
  hostAaaa?: DnsAnswer<'AAAA'>;
  /** The `_mta-sts` TXT record is exactly one valid record (undefined: not known). */
  stsDeployed?: boolean;
  now: Date;
}

const REF33 = ref('RFC8461', '3.3');
const OLD_TLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

function tlsOk(tls: TlsInfo | undefined): boolean {
  return !tls || (tls.handshakeCompleted && tls.trusted && tls.nameMatches && !OLD_TLS.has(tls.protocol ?? ''));
}

/**
 * An HTTP 200 senders could use. A body over the suggested 64 KiB counts: the limit is a MAY for
 * senders (RFC 8461 §3.3, ambiguity A16), so senders without it still read the policy.
 */
function served200(a: PolicyAttempt): boolean {
  return a.response?.status === 200 && (!a.error || a.error.kind === 'too-large');
}

/** The attempt senders would have used: HTTP 200 with good TLS first, then any 200. */
export function usedAttemptIndex(result: PolicyFetchResult): number | undefined {
  const good = result.attempts.findIndex((a) => served200(a) && tlsOk(a.tls));
  if (good >= 0) return good;
  const any = result.attempts.findIndex(served200);
  return any >= 0 ? any : undefined;
}

/** The fetcher kept only part of the body (it stopped reading past the size limit). */
export interface PolicyTruncation {
  /** Bytes handed to the parser: the kept bytes up to the last complete line. */
  parsedBytes: number;
  /** Bytes of body seen in total. */
  bodyBytes: number;
  /** False when the fetcher stopped reading, so the body is longer than `bodyBytes`. */
  bodyComplete: boolean;
}

/**
 * The bytes of the used attempt to parse, byte-exact. When the fetcher kept only the start of an
 * over-long body, cut back to the last line terminator, so that a line cut in the middle is not
 * judged as if the server had sent it that way.
 */
export function policyBodyToParse(result: PolicyFetchResult): { bytes: Uint8Array; truncation?: PolicyTruncation } | undefined {
  const i = usedAttemptIndex(result);
  const r = i === undefined ? undefined : result.attempts[i]?.response;
  if (!r) return undefined;
  const kept = base64ToBytes(r.bodyBase64);
  if (!kept) return undefined;
  if (!r.bodyTruncated && kept.length >= r.bodyBytes) return { bytes: kept };
  const bytes = kept.subarray(0, kept.lastIndexOf(0x0a) + 1);
  return { bytes, truncation: { parsedBytes: bytes.length, bodyBytes: Math.max(r.bodyBytes, kept.length), bodyComplete: !r.bodyTruncated } };
}

/** The policy body of the used attempt (cut as policyBodyToParse does), for policy-syntax. */
export function policyBody(result: PolicyFetchResult): Uint8Array | undefined {
  return policyBodyToParse(result)?.bytes;
}

interface AttemptVerdict {
  findings: Finding[];
  /** Usable by senders (200, good TLS). */
  good: boolean;
  /** Could not tell (browser blocked, aborted). */
  inconclusive: boolean;
  /** Got any HTTP answer or TLS handshake (the host exists and listens). */
  answered: boolean;
}

function tlsFindings(tls: TlsInfo, host: string, now: Date): Finding[] {
  const out: Finding[] = [];
  const t = { refs: [REF33], tlsrptResultType: 'sts-webpki-invalid' as const, level: 'MUST' as const };
  if (!tls.handshakeCompleted) {
    out.push({
      id: 'policy-fetch.tls-handshake-failed',
      severity: 'fail',
      message: `The TLS handshake with ${host} failed${tls.error ? `: ${tls.error.message}` : ''}. Senders cannot fetch the policy.`,
      ...t,
      refs: [REF33, ref('RFC8461', '7.1')],
    });
    return out;
  }
  const leaf = tls.chain[0];
  const names = leaf ? listSome(leaf.dnsNames) || 'none' : 'unknown';
  const kind = tls.trustError?.kind;
  if (!tls.trusted) {
    const detail = tls.trustError ? ` (${tls.trustError.code}: ${tls.trustError.message})` : '';
    const byKind: Record<string, [string, string]> = {
      expired: ['policy-fetch.certificate-expired', `The certificate of ${host} has expired${leaf ? ` (valid to ${leaf.validTo})` : ''}`],
      'not-yet-valid': ['policy-fetch.certificate-not-yet-valid', `The certificate of ${host} is not valid yet${leaf ? ` (valid from ${leaf.validFrom})` : ''}`],
      'self-signed': ['policy-fetch.certificate-self-signed', `The certificate of ${host} is self-signed`],
      'unknown-issuer': ['policy-fetch.certificate-unknown-issuer', `The certificate of ${host} was issued by a CA that senders do not trust${leaf ? ` (${leaf.issuer})` : ''}`],
      'missing-intermediate': ['policy-fetch.certificate-chain-incomplete', `${host} does not send the intermediate certificate(s) needed to build a chain to a trusted root`],
    };
    const [id, text] = byKind[kind ?? ''] ?? ['policy-fetch.certificate-not-trusted', `The certificate of ${host} does not chain to a trusted root`];
    out.push({
      id,
      severity: 'fail',
      message: `${text}${detail}. The policy host's certificate MUST be valid and chain to a root CA senders trust (RFC 8461 §3.3), so senders discard this policy.`,
      ...t,
      fix: kind === 'missing-intermediate' ? 'Configure the web server to send the full chain (leaf plus intermediates).' : `Install a certificate for ${host} from a public CA (for example via ACME).`,
    });
  }
  if (!tls.nameMatches) {
    out.push({
      id: 'policy-fetch.certificate-name-mismatch',
      severity: 'fail',
      message: `The certificate presented for ${host} does not name it: its DNS names are ${names}. Only subject alternative name DNS entries count, and "*" only as the whole left-most label (RFC 8461 §3.3). With delegation to a provider, the certificate must still name ${host} (§8.2).`,
      ...t,
      refs: [REF33, ref('RFC8461', '8.2'), ref('RFC6125', '6.4')],
      fix: `Get a certificate whose subject alternative names include ${host}.`,
    });
  }
  if (leaf && kind !== 'expired') {
    const days = Math.floor((Date.parse(leaf.validTo) - now.getTime()) / 86_400_000);
    if (days < 0 && tls.trusted) {
      out.push({ id: 'policy-fetch.certificate-expired', severity: 'fail', message: `The certificate of ${host} expired on ${leaf.validTo}. Senders discard the policy (RFC 8461 §3.3).`, ...t });
    } else if (days >= 0 && days < 14) {
      out.push({
        id: 'policy-fetch.certificate-expiring-soon',
        severity: 'warn',
        message: `The certificate of ${host} expires in ${days} day${days === 1 ? '' : 's'} (${leaf.validTo}). Once expired, senders cannot refresh the policy (RFC 8461 §3.3).`,
        refs: [REF33],
        fix: 'Renew the certificate now and check that renewal is automatic.',
      });
    }
  }
  if (tls.protocol && OLD_TLS.has(tls.protocol)) {
    out.push({
      id: 'policy-fetch.tls-version-old',
      severity: 'fail',
      message: `${host} negotiated ${tls.protocol}. MTA-STS senders are required to support TLS 1.2 or later only (RFC 8461 §7.2), so a host without TLS 1.2 cannot be relied on.`,
      refs: [ref('RFC8461', '7.2'), ref('RFC7525', '3.1.1')],
      level: 'MUST',
      tlsrptResultType: 'sts-webpki-invalid',
      fix: 'Enable TLS 1.2 and TLS 1.3 on the policy host.',
    });
  }
  return out;
}

/**
 * STS-HTTP-10, A16: 64 KiB is a suggestion (MAY for senders, SHOULD for policy hosts), so a warning;
 * the policy is still parsed (policy-syntax says how much of it).
 */
function tooLarge(what: string): Finding {
  return {
    id: 'policy-fetch.too-large',
    severity: 'warn',
    message: `${what} RFC 8461 §3.3 suggests a maximum policy size of 64 kilobytes and lets senders limit the size (MAY): senders that apply the suggested limit discard this policy and deliver as if there were none, while others use it. Policy hosts SHOULD serve the complete policy within that size. (The RFC does not say whether 64 kilobytes means 64,000 or 65,536 bytes; we use 65,536.)`,
    refs: [REF33],
    level: 'SHOULD',
    fix: 'Serve only the policy fields (version, mode, mx lines, max_age): a policy is a few hundred bytes.',
  };
}

function header(a: PolicyAttempt, name: string): string | undefined {
  return a.response?.headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

function judgeAttempt(a: PolicyAttempt, host: string, url: string, now: Date): AttemptVerdict {
  const findings: Finding[] = [];
  const fetchErr = { refs: [REF33], tlsrptResultType: 'sts-policy-fetch-error' as const };
  let inconclusive = false;
  const answered = Boolean(a.response || a.tls?.handshakeCompleted);
  if (a.tls) findings.push(...tlsFindings(a.tls, host, now));
  if (a.error) {
    const m = clip(a.error.message, 600);
    switch (a.error.kind) {
      case 'dns':
        findings.push({ id: 'policy-fetch.host-not-found', severity: 'fail', message: `${host} does not resolve: ${period(m)} Senders that find the TXT record cannot fetch a policy and deliver as if there were no MTA-STS (RFC 8461 §3.2, §3.3).`, ...fetchErr, refs: [ref('RFC8461', '3.2'), REF33], fix: `${host}. IN A <address of the web server that serves the policy>` });
        break;
      case 'connect':
        findings.push({ id: 'policy-fetch.connect-failed', severity: 'fail', message: `Could not connect to ${host} on port 443: ${period(m)}`, ...fetchErr });
        break;
      case 'timeout':
        findings.push({ id: 'policy-fetch.timeout', severity: 'fail', message: `The policy fetch timed out: ${period(m)} Policy hosts SHOULD answer completely within one minute (RFC 8461 §3.3); senders give up.`, ...fetchErr, level: 'SHOULD' });
        break;
      case 'tls':
        if (!a.tls || findings.length === 0) findings.push({ id: 'policy-fetch.tls-handshake-failed', severity: 'fail', message: `TLS with ${host} failed: ${period(m)}`, refs: [REF33], tlsrptResultType: 'sts-webpki-invalid' });
        break;
      case 'too-large':
        findings.push(tooLarge(period(m)));
        break;
      case 'protocol':
        findings.push({ id: 'policy-fetch.protocol-error', severity: 'fail', message: `${host} did not answer with valid HTTP: ${period(m)}`, ...fetchErr });
        break;
      case 'blocked':
      case 'aborted':
        inconclusive = true;
        findings.push({ id: `policy-fetch.${a.error.kind}`, severity: 'warn', message: `The fetch could not be made here: ${period(m)} This says nothing about the domain.`, refs: [REF33] });
        break;
      default:
        findings.push({ id: 'policy-fetch.failed', severity: 'fail', message: `The policy fetch failed: ${period(m)}`, ...fetchErr });
    }
  }
  const r = a.response;
  if (r && r.status >= 300 && r.status < 400) {
    const loc = a.redirects[0]?.location ?? header(a, 'location');
    const target = a.redirectTarget;
    // Say where the redirects lead and what went wrong there (a loop, plain http:, another host's certificate).
    const hops = a.redirects.length > 1 ? ` After ${a.redirects.length} redirects` : ' The redirect';
    const where = target ? `${hops} led to ${clip(target.url, 300)}` : '';
    const after = target
      ? target.response?.status === 200
        ? `${where}, which answered 200${target.error ? ` but ${period(target.error)}` : '.'} The policy exists: serve it directly at ${url}.`
        : `${where}${target.response ? `, which answered HTTP ${target.response.status}` : ''}${target.error ? `: ${period(target.error)}` : '.'}`
      : '';
    findings.push({
      id: 'policy-fetch.redirect',
      severity: 'fail',
      message: `${url} answered HTTP ${r.status}${loc ? ` redirecting to ${clip(loc, 300)}` : ''}. Senders MUST NOT follow redirects (RFC 8461 §3.3), so for them there is no policy.${after}`,
      ...fetchErr,
      level: 'MUST NOT',
      fix: `Serve the policy with status 200 at ${url} itself.`,
    });
  } else if (r && r.status !== 200) {
    findings.push({ id: 'policy-fetch.http-status', severity: 'fail', message: `${url} answered HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ''}. A policy is valid only with status 200 (RFC 8461 §3.3).`, ...fetchErr, fix: `Serve the policy file at ${url} with status 200.` });
  } else if (r) {
    const ct = header(a, 'content-type');
    const media = ct?.split(';')[0]?.trim().toLowerCase();
    if (media !== 'text/plain') {
      findings.push({
        id: 'policy-fetch.content-type',
        severity: 'warn',
        message: ct ? `The policy is served as "${ct}". Senders SHOULD check that the media type is text/plain (RFC 8461 §3.2), so some will discard it.` : 'The response has no Content-Type. Senders SHOULD check that the media type is text/plain (RFC 8461 §3.2), so some will discard it.',
        refs: [ref('RFC8461', '3.2')],
        level: 'SHOULD',
        fix: 'Content-Type: text/plain; charset=utf-8',
      });
    } else {
      const cs = /charset\s*=\s*"?([^";\s]+)/i.exec(ct ?? '')?.[1]?.toLowerCase();
      if (cs && cs !== 'utf-8' && cs !== 'us-ascii') {
        findings.push({ id: 'policy-fetch.charset', severity: 'info', message: `The policy is served with charset=${cs}; senders ignore parameters other than charset=utf-8 or charset=us-ascii and read the body as UTF-8 (RFC 8461 §3.2).`, refs: [ref('RFC8461', '3.2')], fix: 'Content-Type: text/plain; charset=utf-8' });
      }
    }
    if ((r.bodyTruncated || r.bodyBytes > POLICY_SIZE_LIMIT) && !findings.some((f) => f.id === 'policy-fetch.too-large')) {
      findings.push(tooLarge(`The policy body is larger than ${POLICY_SIZE_LIMIT} bytes (${r.bodyBytes} read).`));
    }
    if (r.contentEncoding && r.contentEncoding.toLowerCase() !== 'identity') {
      findings.push({ id: 'policy-fetch.content-encoding', severity: 'warn', message: `The policy is served with Content-Encoding: ${r.contentEncoding}. Senders that do not decode it read garbage; serve the plain text.`, refs: [REF33] });
    }
  }
  if (a.timings.totalMs > POLICY_TIMEOUT_MS && !a.error) {
    findings.push({ id: 'policy-fetch.slow', severity: 'warn', message: `The fetch took ${Math.round(a.timings.totalMs / 1000)} s. Policy hosts SHOULD answer within one minute (RFC 8461 §3.3).`, refs: [REF33], level: 'SHOULD' });
  }
  const good = served200(a) && tlsOk(a.tls) && !findings.some((f) => f.severity === 'fail');
  return { findings, good, inconclusive, answered };
}

/** Merge the same finding from several addresses into one, naming the addresses. */
function mergeByAddress(perAttempt: { address?: string; findings: Finding[] }[], total: number): Finding[] {
  const byId = new Map<string, { f: Finding; addrs: string[] }>();
  for (const { address, findings } of perAttempt) {
    for (const f of findings) {
      const e = byId.get(f.id);
      if (e) {
        if (address) e.addrs.push(address);
      } else byId.set(f.id, { f, addrs: address ? [address] : [] });
    }
  }
  return [...byId.values()].map(({ f, addrs }) =>
    total > 1 && addrs.length > 0 ? { ...f, message: `${f.message} [${addrs.length === total ? 'all addresses' : addrs.join(', ')}]` } : f,
  );
}

export function checkPolicyFetch(input: PolicyFetchCheckInput): CheckOutcome<PolicyFetchEvidence> {
  const { domain, result, now } = input;
  const host = `mta-sts.${domain}`;
  const url = result.url || `https://${host}/.well-known/mta-sts.txt`;
  const evidence: PolicyFetchEvidence = { url, via: result.via, attempts: result.attempts };
  const used = usedAttemptIndex(result);
  if (used !== undefined) evidence.usedAttempt = used;

  const verdicts = result.attempts.map((a) => ({ address: a.address, ...judgeAttempt(a, host, url, now) }));
  const anyGood = verdicts.some((v) => v.good);
  const answered = verdicts.some((v) => v.answered);
  const hostMissing =
    [input.hostA, input.hostAaaa].every((x) => x && (x.status === 'nxdomain' || x.status === 'nodata')) ||
    (verdicts.length > 0 && verdicts.every((v) => v.findings.some((f) => f.id === 'policy-fetch.host-not-found')));

  if (input.stsDeployed === false && !answered) {
    return {
      status: 'skipped',
      summary: `No MTA-STS record and no policy served at ${host}: nothing to fetch.`,
      findings: [{ id: 'policy-fetch.not-deployed', severity: 'info', message: `No policy could be fetched from ${url}, which is expected since MTA-STS is not deployed.`, refs: [REF33] }],
      evidence,
    };
  }

  // DNS-03: the resolver failed for mta-sts.<domain> and the fetcher could not resolve it either:
  // that is "could not check", not "the host does not exist".
  const ourLookupsFailed = [input.hostA, input.hostAaaa].every((x) => x !== undefined && isResolverFailure(x));
  // The fetcher's own lookup may fail first, or hit the whole-fetch deadline while still resolving.
  const stuckResolving = (x: PolicyAttempt) => x.error?.kind === 'dns' || (x.error?.kind === 'timeout' && !x.address && !x.response && !x.tls);
  if (!answered && ourLookupsFailed && result.attempts.length > 0 && result.attempts.every(stuckResolving)) {
    const why = [input.hostA, input.hostAaaa].map((x) => clip(describeDnsFailure(x!), 400)).join('; ');
    return {
      status: 'error',
      summary: `Could not look up ${host}, so the policy could not be fetched. This says nothing about the domain.`,
      findings: [{ id: 'policy-fetch.host-lookup-failed', severity: 'warn', message: `${period(why)} Try again or choose another resolver.`, refs: [ref('RFC8484'), REF33] }],
      evidence,
    };
  }

  // DNS-02: the policy host's answers are DNSSEC-bogus: validating senders cannot resolve it, and
  // that (not a missing A record) is what to fix.
  const bogus = [input.hostA, input.hostAaaa].find((x) => x !== undefined && dnssecBogusReason(x) !== undefined);
  if (bogus && !anyGood) {
    const f = dnssecBogusFinding('policy-fetch', bogus, dnssecBogusReason(bogus) ?? '');
    return {
      status: 'fail',
      summary: `${host} fails DNSSEC validation: senders behind validating resolvers cannot fetch the policy.`,
      findings: [
        { ...f, message: `${f.message} Senders that find the TXT record cannot fetch a policy and deliver as if there were no MTA-STS (RFC 8461 §3.3).`, tlsrptResultType: 'sts-policy-fetch-error' },
      ],
      evidence,
    };
  }

  let findings = mergeByAddress(verdicts, verdicts.length);
  if (anyGood) {
    // Some addresses serve the policy: failures on the others hit only some senders.
    findings = findings.map((f) => (f.severity === 'fail' ? { ...f, severity: 'warn', message: `${f.message} Other addresses serve the policy correctly, so only senders that pick this one fail.` } : f));
  }
  // The fetcher may resolve by itself: when it reached the host, our own NXDOMAIN is not the verdict.
  if (hostMissing && !answered && !findings.some((f) => f.id === 'policy-fetch.host-not-found')) {
    findings.push({ id: 'policy-fetch.host-not-found', severity: 'fail', message: `${host} has no A or AAAA record. Senders that find the TXT record cannot fetch a policy and deliver as if there were no MTA-STS (RFC 8461 §3.2, §3.3).`, refs: [ref('RFC8461', '3.2'), REF33], tlsrptResultType: 'sts-policy-fetch-error', fix: `${host}. IN A <address of the web server that serves the policy>` });
  }
  const hostCname = input.hostA?.cnameChain.length ? input.hostA.cnameChain : input.hostAaaa?.cnameChain;
  if (hostCname && hostCname.length > 0) {
    findings.push({ id: 'policy-fetch.delegated', severity: 'info', message: `${host} is an alias (${hostCname.map((c) => `${c.name} → ${c.target}`).join(', ')}): policy delegation. The endpoint must still present a certificate for ${host} (RFC 8461 §8.2).`, refs: [ref('RFC8461', '8.2')] });
  }
  const lookupFailed = [input.hostA, input.hostAaaa].filter((x): x is DnsAnswer<'A'> | DnsAnswer<'AAAA'> => x !== undefined && isResolverFailure(x));
  if (lookupFailed.length > 0 && !anyGood) {
    findings.push({ id: 'policy-fetch.host-lookup-failed', severity: 'info', message: lookupFailed.map((x) => clip(describeDnsFailure(x), 400)).join('; '), refs: [ref('RFC8484')] });
  }
  if (result.via === 'browser') {
    findings.push({ id: 'policy-fetch.via-browser', severity: 'info', message: 'The policy was fetched by the browser, which does not reveal certificate details or why TLS failed. Install the helper for full TLS diagnostics.', refs: [REF33] });
  }
  if (result.attempts.length === 0) {
    findings.push({ id: 'policy-fetch.no-attempt', severity: 'fail', message: `No fetch of ${url} could be attempted.`, refs: [REF33], tlsrptResultType: 'sts-policy-fetch-error' });
  }
  const inconclusive = verdicts.length > 0 && verdicts.every((v) => v.inconclusive);
  if (!anyGood && input.stsDeployed === true && !inconclusive) {
    findings.push({
      id: 'policy-fetch.ineffective',
      severity: 'fail',
      message: `MTA-STS is ineffective: the TXT record is valid, but senders cannot fetch a valid policy, so senders without a cached policy deliver as if MTA-STS were not deployed (RFC 8461 §3.3).`,
      refs: [REF33],
      tlsrptResultType: 'sts-policy-fetch-error',
    });
  }
  let status: CheckStatus = statusFromFindings(findings);
  if (inconclusive && status !== 'fail') status = 'error';
  const summary = anyGood
    ? status === 'pass'
      ? `Policy fetched from ${url} (HTTP 200).`
      : `Policy fetched from ${url}, with problems.`
    : inconclusive
      ? `Could not fetch ${url} from here.`
      : input.stsDeployed === true
        ? `MTA-STS is ineffective: no valid policy at ${url}.`
        : `No valid policy at ${url}.`;
  return { status, summary, findings: sortFindings(findings), evidence };
}

