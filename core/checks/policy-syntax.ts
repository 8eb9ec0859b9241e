// `policy-syntax`: the policy body against the RFC 8461 §3.2 grammar (parsed by
// core/parse/sts-policy.ts), plus what the values mean for senders: max_age thresholds
// (STS-POL-05, §10.2), mode none (§8.3), testing without TLSRPT (§5), cache lifetime (§3.3).
import { parsePolicy } from '../parse/sts-policy.ts';
import { ref } from '../report/refs.ts';
import { PolicyModeSchema, statusFromFindings, type Finding, type PolicyMode } from '../report/schema.ts';
import type { PolicySyntaxEvidence } from './evidence.ts';
import type { PolicyTruncation } from './policy-fetch.ts';
import { sortFindings } from './helpers.ts';
import { tlsrptFix } from './tlsrpt-record.ts';
import type { CheckOutcome } from './types.ts';

export interface PolicySyntaxCheckInput {
  domain: string;
  /** The body of the policy senders would use (HTTP 200); absent: the check is skipped. */
  body?: Uint8Array;
  skippedReason?: string;
  /** Whitespace deviations (ambiguity A2) reported as warn instead of fail. */
  lenient?: boolean;
  /** Exactly one valid TLSRPT record (undefined: the lookup failed). */
  tlsrptDeployed?: boolean;
  /** SHA-256 of the body, hex (computed by the engine with WebCrypto). */
  sha256?: string;
  /** Only the start of an over-long body was kept and is parsed (policyBodyToParse). */
  truncation?: PolicyTruncation;
  /** The MX hosts senders use (known when the MX answer came first): the fix for a missing mx field lists them. */
  mxHosts?: string[];
  now: Date;
}

export const MAX_AGE_MAX = 31_557_600;

/** The parsed policy that the other checks and the advice need. */
export interface ParsedPolicySummary {
  valid: boolean;
  mode?: PolicyMode;
  maxAge?: number;
  mx: string[];
}

export function policySummary(evidence: PolicySyntaxEvidence, valid: boolean): ParsedPolicySummary {
  return { valid, mode: evidence.mode, maxAge: evidence.maxAge, mx: evidence.mx };
}

/** STS-POL-05: under mode none a short max_age is the documented removal procedure (§8.3), not a weakness. */
function relaxForModeNone(f: Finding): Finding {
  if (!/^policy-syntax\.max-age-(zero|short|below-week)$/.test(f.id) || f.severity === 'info') return f;
  return { ...f, severity: 'info', message: `${f.message} With mode none this is what RFC 8461 §8.3 suggests for removing MTA-STS, so it is fine.`, refs: [...f.refs, ref('RFC8461', '8.3')] };
}

/** STS-POL-06: the parser's fix for a missing mx field is a placeholder; the MX hosts are known here. */
function withMxFix(f: Finding, mxHosts: string[] | undefined): Finding {
  if (f.id !== 'policy-syntax.missing-mx' || !mxHosts || mxHosts.length === 0) return f;
  return { ...f, fix: mxHosts.slice(0, 16).map((h) => `mx: ${h}`).join('\n') };
}

export function checkPolicySyntax(input: PolicySyntaxCheckInput): CheckOutcome<PolicySyntaxEvidence> {
  const empty: PolicySyntaxEvidence = { lines: [], terminators: 'none', mx: [], extensions: [] };
  if (!input.body) {
    return { status: 'skipped', summary: input.skippedReason ?? 'No policy was fetched, so there is nothing to parse.', findings: [], evidence: empty };
  }
  const parsed = parsePolicy(input.body, { lenient: input.lenient });
  const p = parsed.policy;
  const modeParse = PolicyModeSchema.safeParse(p.mode);
  const mode = modeParse.success ? modeParse.data : undefined;
  const evidence: PolicySyntaxEvidence = {
    lines: parsed.lines.map((l) => ({ number: l.number, text: l.text, terminator: l.terminator })),
    terminators: parsed.terminators,
    mx: p.mx.map((m) => m.pattern),
    extensions: p.extensions.map((e) => ({ name: e.name, value: e.value, line: e.line })),
  };
  if (p.version !== undefined) evidence.version = p.version;
  if (mode) evidence.mode = mode;
  if (typeof p.maxAge === 'number' && Number.isFinite(p.maxAge)) evidence.maxAge = p.maxAge;
  if (input.sha256) evidence.sha256 = input.sha256;

  // Failures of the grammar are what senders report as sts-policy-invalid (RFC 8460 §4.3.2.2).
  const findings: Finding[] = parsed.findings.map((f) => {
    const g = withMxFix(mode === 'none' ? relaxForModeNone(f) : f, input.mxHosts);
    return g.severity === 'fail' && !g.tlsrptResultType ? { ...g, tlsrptResultType: 'sts-policy-invalid' as const } : g;
  });
  const have = new Set(findings.map((f) => f.id));
  const add = (f: Finding) => {
    if (!have.has(f.id)) {
      have.add(f.id);
      findings.push(f);
    }
  };
  const cut = input.truncation;
  if (cut) {
    evidence.truncation = cut;
    add({
      id: 'policy-syntax.partial-body',
      severity: 'info',
      message: `The policy body is ${cut.bodyComplete ? '' : 'at least '}${cut.bodyBytes} bytes, over the suggested 64 KiB (see policy-fetch); only the first ${cut.parsedBytes} bytes, up to the last complete line that was read, were parsed here. What follows is not judged: senders that read the whole body also apply any field found there (RFC 8461 §3.3).`,
      refs: [ref('RFC8461', '3.3')],
    });
  }
  if (mode === 'none') {
    add({
      id: 'policy-syntax.mode-none',
      severity: 'info',
      message: 'mode is none: senders treat the domain as having no active policy. This is the documented first step of removing MTA-STS (publish none with a short max_age, change the TXT id, wait for old policies to expire, then remove the record and the policy host). RFC 8461 §5 says senders "should" (lower case, not a BCP 14 requirement) treat it so; this tool therefore still judges the fetch and certificate at full severity but MX-level problems only as info (ambiguity A7).',
      refs: [ref('RFC8461', '5'), ref('RFC8461', '8.3')],
    });
  }
  if (mode === 'testing' && input.tlsrptDeployed === false) {
    add({
      id: 'policy-syntax.testing-without-tlsrpt',
      severity: 'warn',
      message: 'mode is testing but the domain publishes no valid TLSRPT record. In testing mode senders deliver anyway and only report failures through TLSRPT, so without it you learn nothing from the test (RFC 8461 §5).',
      refs: [ref('RFC8461', '5'), ref('RFC8460', '3')],
      fix: tlsrptFix(input.domain),
    });
  }
  if (parsed.valid && evidence.maxAge !== undefined && evidence.maxAge <= MAX_AGE_MAX) {
    evidence.cachedUntil = new Date(input.now.getTime() + evidence.maxAge * 1000).toISOString();
    add({
      id: 'policy-syntax.cached-until',
      severity: 'info',
      message: `Senders that fetch this policy now may keep applying it until ${evidence.cachedUntil}, even if you change DNS or the policy file before then, unless you also change the TXT record's id (RFC 8461 §3.3, §10.2).`,
      refs: [ref('RFC8461', '3.3'), ref('RFC8461', '10.2')],
    });
  }
  let status = statusFromFindings(findings);
  if (!parsed.valid) status = 'fail';
  const mxCount = evidence.mx.length;
  // Ambiguity A8: the RFC does not say whether senders reject or clamp a max_age above the cap.
  const onlyMaxAge = findings.filter((f) => f.severity === 'fail').every((f) => f.id === 'policy-syntax.max-age-too-large');
  const summary = parsed.valid
    ? `Valid policy: mode ${mode ?? '?'}, max_age ${evidence.maxAge ?? '?'}, ${mxCount} mx pattern${mxCount === 1 ? '' : 's'}.`
    : onlyMaxAge && have.has('policy-syntax.max-age-too-large')
      ? `The policy is invalid: max_age is above the RFC maximum; senders may reject the policy or clamp max_age (RFC 8461 §3.2, ambiguity A8).`
      : `The policy is invalid: senders discard it (RFC 8461 §3.2).`;
  return { status, summary, findings: sortFindings(findings), evidence };
}
