// The scenarios of the hermetic test network, as data: one domain each under the test TLD
// `mtasts.test` (RFC 6761 reserves `test.`). From this file the harness generates the zones,
// the certificates and the server set-ups, and the integration tests take the EXPECTED status
// of each of the seven checks (../../../shared/DESIGN.md, CHECKLIST.md) from it.
//
// Conventions for the expectations (say so when the engine disagrees, and fix whichever is wrong):
// - The policy is fetched even when the TXT record is missing or invalid ("if a policy file is
//   served anyway, say so", CHECKLIST STS-TXT-01).
// - `policy-syntax` and `policy-mx-match` run only on a body served with 200 (no redirect); they
//   still run on an invalid policy (the summary says senders ignore it, RFC 8461 §3.2), so an
//   invalid policy whose mx lines cover every MX gives `policy-mx-match: pass`.
// - `starttls` MX-level failures are `fail` because every policy here is `enforce` unless said.
// - `dane` (RFC 7672; core/dane/evaluate.ts) is expected for every scenario: `skipped` when no MX
//   host has TLSA records (DANE is optional), else from the records the `tlsa` option publishes.
//   The engine's `dane` check is compared only when the report has one.
// Names in `mx`, `hosts`, `cnames` are relative to the scenario domain ('@' is the domain itself).

export const TEST_TLD = 'mtasts.test';

export type CheckId =
  | 'mx'
  | 'starttls'
  | 'sts-record'
  | 'tlsrpt-record'
  | 'policy-fetch'
  | 'policy-syntax'
  | 'policy-mx-match';
export type ExpectedStatus = 'pass' | 'warn' | 'fail' | 'skipped' | 'error';
/** The eighth check (CHECK_IDS gets 'dane' after 'starttls'); optional in reports made before it. */
export type ExpectedCheckId = CheckId | 'dane';
export type Expected = Record<CheckId, ExpectedStatus> & { dane?: ExpectedStatus };

export type CertKind = 'good' | 'expired' | 'wrong-name' | 'self-signed' | 'missing-intermediate';
export type SmtpBehaviour =
  | 'normal' // smtp-server with STARTTLS
  | 'no-starttls' // smtp-server, STARTTLS hidden from EHLO
  | 'starttls-454' // purpose-built: 454 to STARTTLS
  | 'greeting-421' // purpose-built: 421 greeting, then close
  | 'silent' // purpose-built: accepts TCP, never speaks
  | 'endless-banner' // purpose-built: 220- continuation lines without end
  | 'garbage-tls'; // purpose-built: 220 to STARTTLS, then bytes that are not TLS

/**
 * One TLSA record at `_25._tcp.<host>` (RFC 7672 §3), computed by the harness from the
 * certificates it issues (./tlsa.ts):
 * - `ee-current`: `3 1 1` SHA-256 of the SPKI of the leaf the host presents (DANE-EE);
 * - `ee-next`: `3 1 1` of a key the host does not use yet (the "next" of a rollover pair, RFC 7671 §8.1);
 * - `ee-wrong`: `3 1 1` of an unrelated key: matches nothing the host sends;
 * - `ta-intermediate`: `2 0 1` SHA-256 of the issuing intermediate certificate (DANE-TA), which
 *   every good host sends after its leaf;
 * - `ta-root`: `2 0 1` of the root certificate: a match only if the host sends the root (`sendRoot`).
 */
export type TlsaSpec = 'ee-current' | 'ee-next' | 'ee-wrong' | 'ta-intermediate' | 'ta-root';

export interface SmtpHostSpec {
  /** Relative name ('mx1', '@'). Gets its own loopback address and an A record. */
  name: string;
  cert: CertKind;
  /** Relative names on the certificate instead of `name` (for `good` certificates). */
  certNames?: string[];
  behaviour: SmtpBehaviour;
  /** TLSA records published at `_25._tcp.<host>` (in the scenario's zone, signed or not). */
  tlsa?: TlsaSpec[];
  /** Send the root after the intermediate (servers relying on a DANE-TA root must, RFC 7672 §3.1.2). */
  sendRoot?: boolean;
}

export interface PolicySpec {
  /** HTTP status of /.well-known/mta-sts.txt (default 200). */
  status?: number;
  /** Default `text/plain`. */
  contentType?: string;
  /** Exact body (line terminators included). */
  body: string;
  /** Serve a 301 to this path on the same host, which answers 200 with `body`. */
  redirectTo?: string;
  /** Append `x-padding-N: aaa…` CRLF lines until the body is at least this many bytes. */
  padToBytes?: number;
}

export interface Scenario {
  label: string;
  title: string;
  /** signed: DS in the parent; unsigned: insecure delegation (no AD); bogus: signatures expired (SERVFAIL). */
  dnssec: 'signed' | 'unsigned' | 'bogus';
  /** MX records; [] = none at all (implicit MX, RFC 5321 §5.1); 'null' = `0 .` (RFC 7505). */
  mx: { preference: number; target: string }[] | 'null';
  hosts: SmtpHostSpec[];
  cnames?: { name: string; target: string }[];
  /** TXT strings at _mta-sts.<domain>; an inner array is one record of several strings. */
  sts: (string | string[])[];
  tlsrpt: (string | string[])[];
  /** Absent: mta-sts.<domain> has no address record. */
  policy?: PolicySpec;
  expected: Expected;
  /** Why each non-pass expectation, with the RFC section or CHECKLIST row. */
  why?: Partial<Record<ExpectedCheckId, string>>;
}

// ---- small builders; what they produce is plain data ----

const ALL_PASS: Expected = {
  mx: 'pass',
  starttls: 'pass',
  'sts-record': 'pass',
  'tlsrpt-record': 'pass',
  'policy-fetch': 'pass',
  'policy-syntax': 'pass',
  'policy-mx-match': 'pass',
};

const fqdn = (label: string, rel: string): string => (rel === '@' ? `${label}.${TEST_TLD}` : `${rel}.${label}.${TEST_TLD}`);
const crlf = (lines: string[]): string => lines.map((l) => `${l}\r\n`).join('');
const policyBody = (label: string, mode: string, mx: string[], maxAge = '604800'): string =>
  crlf(['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${fqdn(label, m)}`), `max_age: ${maxAge}`]);
const stsTxt = 'v=STSv1; id=20250101000000;';
const tlsrptTxt = (label: string): string => `v=TLSRPTv1; rua=mailto:tlsrpt@${label}.${TEST_TLD}`;
const twoGoodHosts: SmtpHostSpec[] = [
  { name: 'mx1', cert: 'good', behaviour: 'normal' },
  { name: 'mx2', cert: 'good', behaviour: 'normal' },
];
const twoMx = [
  { preference: 10, target: 'mx1' },
  { preference: 20, target: 'mx2' },
];

/** A correct domain with overrides: the base every failure class departs from. */
function scenario(label: string, title: string, over: Partial<Omit<Scenario, 'label' | 'title'>> = {}): Scenario {
  return {
    label,
    title,
    dnssec: 'signed',
    mx: twoMx,
    hosts: twoGoodHosts,
    sts: [stsTxt],
    tlsrpt: [tlsrptTxt(label)],
    policy: { body: policyBody(label, 'enforce', ['mx1', 'mx2']) },
    ...over,
    // No TLSA records unless the scenario publishes some: DANE not deployed, `skipped`.
    expected: { ...ALL_PASS, dane: 'skipped', ...over.expected },
  };
}

const oneBadHost = (label: string, host: SmtpHostSpec): Partial<Scenario> => ({
  hosts: [{ name: 'mx1', cert: 'good', behaviour: 'normal' }, host],
});

export const SCENARIOS: Scenario[] = [
  scenario('good', 'Signed zone, enforce policy, two MX hosts with good STARTTLS certificates, TLSRPT'),

  // ---- sts-record ----
  scenario('no-sts-record', 'No _mta-sts TXT record (policy served anyway)', {
    sts: [],
    expected: { ...ALL_PASS, 'sts-record': 'fail' },
    why: { 'sts-record': 'RFC 8461 §3.1, STS-TXT-01: no record, senders never look for a policy' },
  }),
  scenario('two-sts-records', 'Two v=STSv1 TXT records', {
    sts: ['v=STSv1; id=20250101000000;', 'v=STSv1; id=20250202000000;'],
    expected: { ...ALL_PASS, 'sts-record': 'fail' },
    why: { 'sts-record': 'RFC 8461 §3.1, STS-TXT-01: not exactly one record' },
  }),
  scenario('bad-sts-id', 'id with characters outside ALPHA/DIGIT', {
    sts: ['v=STSv1; id=2025-01-01;'],
    expected: { ...ALL_PASS, 'sts-record': 'fail' },
    why: { 'sts-record': 'RFC 8461 §3.1, STS-TXT-06: id is 1*32(ALPHA / DIGIT)' },
  }),
  scenario('sts-space-before-semicolon', '`v=STSv1 ; id=…`: space before the first `;`', {
    sts: ['v=STSv1 ; id=20250101000000'],
    expected: { ...ALL_PASS, 'sts-record': 'fail' },
    why: { 'sts-record': 'RFC 8461 §3.1, CHECKLIST A2: senders discard records not beginning with "v=STSv1;"' },
  }),
  scenario('split-sts-record', 'TXT record split into two character-strings (concatenated, RFC 8461 §3.1)', {
    sts: [['v=STSv1; ', 'id=20250101000000;']],
  }),

  // ---- policy-fetch ----
  scenario('policy-404', 'Policy URL answers 404', {
    policy: { status: 404, contentType: 'text/plain', body: 'not found\n' },
    expected: { ...ALL_PASS, 'policy-fetch': 'fail', 'policy-syntax': 'skipped', 'policy-mx-match': 'skipped' },
    why: { 'policy-fetch': 'RFC 8461 §3.3, STS-HTTP-06: only 200 counts' },
  }),
  scenario('policy-redirect', 'Policy URL answers 301 to another path (which serves a good policy)', {
    policy: { status: 301, redirectTo: '/moved/mta-sts.txt', body: policyBody('policy-redirect', 'enforce', ['mx1', 'mx2']) },
    expected: { ...ALL_PASS, 'policy-fetch': 'fail', 'policy-syntax': 'skipped', 'policy-mx-match': 'skipped' },
    why: { 'policy-fetch': 'RFC 8461 §3.3, STS-HTTP-07: senders MUST NOT follow redirects' },
  }),
  scenario('policy-content-type', 'Policy served as text/html', {
    policy: { contentType: 'text/html; charset=utf-8', body: policyBody('policy-content-type', 'enforce', ['mx1', 'mx2']) },
    expected: { ...ALL_PASS, 'policy-fetch': 'warn' },
    why: { 'policy-fetch': 'RFC 8461 §3.2, STS-HTTP-09: media type SHOULD be text/plain' },
  }),
  scenario('policy-huge', 'Policy body of 200 KiB (valid fields first, then padding extension lines)', {
    policy: { body: policyBody('policy-huge', 'enforce', ['mx1', 'mx2']), padToBytes: 200 * 1024 },
    expected: { ...ALL_PASS, 'policy-fetch': 'warn' },
    why: { 'policy-fetch': 'RFC 8461 §3.3, STS-HTTP-10 and A16: above the suggested 64 KiB: warn' },
  }),
  scenario('policy-bare-lf', 'Policy lines end in LF only (info only)', {
    policy: { body: policyBody('policy-bare-lf', 'enforce', ['mx1', 'mx2']).replaceAll('\r\n', '\n') },
    why: { 'policy-syntax': 'RFC 8461 §3.2 ABNF allows LF; CHECKLIST A1/STS-POL-12: info' },
  }),

  // ---- policy-syntax ----
  scenario('policy-bad-mode', 'mode: enforcing', {
    policy: { body: policyBody('policy-bad-mode', 'enforcing', ['mx1', 'mx2']) },
    expected: { ...ALL_PASS, 'policy-syntax': 'fail' },
    why: { 'policy-syntax': 'RFC 8461 §3.2, STS-POL-03' },
  }),
  scenario('policy-max-age-too-big', 'max_age: 31557601', {
    policy: { body: policyBody('policy-max-age-too-big', 'enforce', ['mx1', 'mx2'], '31557601') },
    expected: { ...ALL_PASS, 'policy-syntax': 'fail' },
    why: { 'policy-syntax': 'RFC 8461 §3.2, STS-POL-04: at most 31557600' },
  }),
  scenario('policy-missing-mx', 'enforce policy without mx lines', {
    policy: { body: policyBody('policy-missing-mx', 'enforce', []) },
    expected: { ...ALL_PASS, 'policy-syntax': 'fail', 'policy-mx-match': 'fail' },
    why: {
      'policy-syntax': 'RFC 8461 §3.2, STS-POL-06: mx required unless mode is none',
      'policy-mx-match': 'RFC 8461 §4.1: no pattern allows any MX (enforce)',
    },
  }),
  scenario('policy-ulabel-mx', 'mx line with a U-label (bücher) instead of its A-label', {
    policy: { body: crlf(['version: STSv1', 'mode: enforce', 'mx: mx1.policy-ulabel-mx.mtasts.test', 'mx: mx2.policy-ulabel-mx.mtasts.test', 'mx: bücher.policy-ulabel-mx.mtasts.test', 'max_age: 604800']) },
    expected: { ...ALL_PASS, 'policy-syntax': 'fail' },
    why: { 'policy-syntax': 'RFC 8461 §3.2, STS-POL-08: mx values are A-labels' },
  }),
  scenario('mode-testing-no-tlsrpt', 'mode: testing without a TLSRPT record', {
    tlsrpt: [],
    policy: { body: policyBody('mode-testing-no-tlsrpt', 'testing', ['mx1', 'mx2']) },
    expected: { ...ALL_PASS, 'tlsrpt-record': 'warn', 'policy-syntax': 'warn' },
    why: {
      'tlsrpt-record': 'RFC 8460 §3, RPT-TXT-01: not deployed; optional, so warn',
      'policy-syntax': 'RFC 8461 §5, STS-POL-16: testing produces no reports without TLSRPT',
    },
  }),

  // ---- policy-mx-match and mx ----
  scenario('mx-not-matched', 'mx2 is not covered by the policy', {
    policy: { body: policyBody('mx-not-matched', 'enforce', ['mx1']) },
    expected: { ...ALL_PASS, 'policy-mx-match': 'fail' },
    why: { 'policy-mx-match': 'RFC 8461 §4.1, STS-MX-01: every MX must match (enforce)' },
  }),
  scenario('wildcard-match', 'Policy mx: *.wildcard-match.mtasts.test covers both MX hosts', {
    policy: { body: policyBody('wildcard-match', 'enforce', ['*']) },
    why: { 'policy-mx-match': 'RFC 8461 §4.1; STS-MX-05 broad wildcard is info only' },
  }),
  scenario('wildcard-too-deep', '*.domain does not match a.eu.domain (one label only)', {
    mx: [
      { preference: 10, target: 'mx1' },
      { preference: 20, target: 'mx2.eu' },
    ],
    hosts: [
      { name: 'mx1', cert: 'good', behaviour: 'normal' },
      { name: 'mx2.eu', cert: 'good', behaviour: 'normal' },
    ],
    policy: { body: policyBody('wildcard-too-deep', 'enforce', ['*']) },
    expected: { ...ALL_PASS, 'policy-mx-match': 'fail' },
    why: { 'policy-mx-match': 'RFC 8461 §4.1: "*" matches exactly the left-most label' },
  }),
  scenario('implicit-mx', 'No MX records: the domain itself is the implicit MX', {
    mx: [],
    hosts: [{ name: '@', cert: 'good', behaviour: 'normal' }],
    policy: { body: policyBody('implicit-mx', 'enforce', ['@']) },
    expected: { ...ALL_PASS, mx: 'fail' },
    why: { mx: 'RFC 5321 §5.1, DESIGN: no MX is a failure of the mx check, explained' },
  }),
  scenario('null-mx', 'Null MX (0 .): the domain accepts no mail', {
    mx: 'null',
    hosts: [],
    policy: { body: policyBody('null-mx', 'enforce', ['mx1']) },
    expected: { ...ALL_PASS, mx: 'warn', starttls: 'skipped', 'policy-mx-match': 'skipped' },
    why: { mx: 'RFC 7505, STS-MX-04: warn and skip the MX checks' },
  }),
  scenario('mx-cname', 'MX target mail.<domain> is a CNAME to mx1.<domain>', {
    mx: [{ preference: 10, target: 'mail' }],
    hosts: [{ name: 'mx1', cert: 'good', certNames: ['mail', 'mx1'], behaviour: 'normal' }],
    cnames: [{ name: 'mail', target: 'mx1' }],
    policy: { body: policyBody('mx-cname', 'enforce', ['mail']) },
    expected: { ...ALL_PASS, mx: 'warn' },
    why: { mx: 'RFC 5321 §5.1, RFC 2181 §10.3, STS-MX-03: CNAME target is warn' },
  }),

  // ---- starttls ----
  scenario('cert-expired', 'mx2 presents an expired certificate', {
    ...oneBadHost('cert-expired', { name: 'mx2', cert: 'expired', behaviour: 'normal' }),
    expected: { ...ALL_PASS, starttls: 'fail' },
    why: { starttls: 'RFC 8461 §4.2, STS-TLS-02' },
  }),
  scenario('cert-wrong-name', 'mx2 presents a certificate for another name', {
    ...oneBadHost('cert-wrong-name', { name: 'mx2', cert: 'wrong-name', behaviour: 'normal' }),
    expected: { ...ALL_PASS, starttls: 'fail' },
    why: { starttls: 'RFC 8461 §4.2, RFC 6125, STS-TLS-04' },
  }),
  scenario('cert-self-signed', 'mx2 presents a self-signed certificate', {
    ...oneBadHost('cert-self-signed', { name: 'mx2', cert: 'self-signed', behaviour: 'normal' }),
    expected: { ...ALL_PASS, starttls: 'fail' },
    why: { starttls: 'RFC 8461 §4.2, STS-TLS-03' },
  }),
  scenario('cert-missing-intermediate', 'mx2 sends its leaf without the intermediate', {
    ...oneBadHost('cert-missing-intermediate', { name: 'mx2', cert: 'missing-intermediate', behaviour: 'normal' }),
    expected: { ...ALL_PASS, starttls: 'fail' },
    why: { starttls: 'RFC 8461 §4.2, STS-TLS-03: chain does not reach a trusted root' },
  }),
  scenario('no-starttls', 'mx2 does not offer STARTTLS', {
    ...oneBadHost('no-starttls', { name: 'mx2', cert: 'good', behaviour: 'no-starttls' }),
    expected: { ...ALL_PASS, starttls: 'fail' },
    why: { starttls: 'RFC 3207, RFC 8461 §4, STS-TLS-01 (enforce)' },
  }),
  scenario('starttls-454', 'mx2 answers 454 to STARTTLS', {
    ...oneBadHost('starttls-454', { name: 'mx2', cert: 'good', behaviour: 'starttls-454' }),
    expected: { ...ALL_PASS, starttls: 'warn' },
    why: { starttls: 'RFC 3207 §4, SMTP-01: 454 is temporary, warn' },
  }),
  scenario('greeting-421', 'mx2 greets with 421 and closes', {
    ...oneBadHost('greeting-421', { name: 'mx2', cert: 'good', behaviour: 'greeting-421' }),
    expected: { ...ALL_PASS, starttls: 'warn' },
    why: { starttls: 'RFC 5321 §3.1/§4.2.3: 421 is a temporary refusal; TLS could not be judged' },
  }),
  scenario('silent-mx', 'mx2 accepts the connection and never sends a banner', {
    ...oneBadHost('silent-mx', { name: 'mx2', cert: 'good', behaviour: 'silent' }),
    expected: { ...ALL_PASS, starttls: 'warn' },
    why: { starttls: 'timeout: could not probe, which is not a verdict on TLS (CHECKLIST Observe: SMTP)' },
  }),
  scenario('endless-banner', 'mx2 sends 220- continuation lines without end', {
    ...oneBadHost('endless-banner', { name: 'mx2', cert: 'good', behaviour: 'endless-banner' }),
    expected: { ...ALL_PASS, starttls: 'warn' },
    why: { starttls: 'RFC 5321 §4.5.3.1.5: protocol error before any TLS; like silence, no verdict on TLS' },
  }),
  scenario('garbage-tls', 'mx2 accepts STARTTLS, then sends bytes that are not TLS', {
    ...oneBadHost('garbage-tls', { name: 'mx2', cert: 'good', behaviour: 'garbage-tls' }),
    expected: { ...ALL_PASS, starttls: 'fail' },
    why: { starttls: 'RFC 3207 §4, RFC 8461 §4.2: TLS handshake fails (enforce)' },
  }),

  // ---- tlsrpt-record ----
  scenario('tlsrpt-bad-rua', 'TLSRPT rua with only an unsupported scheme (ftp:)', {
    tlsrpt: ['v=TLSRPTv1; rua=ftp://reports.tlsrpt-bad-rua.mtasts.test/in'],
    expected: { ...ALL_PASS, 'tlsrpt-record': 'warn' },
    why: { 'tlsrpt-record': 'RFC 8460 §3, RPT-RUA-01 (fail by the RFC, capped to warn by DESIGN)' },
  }),

  // ---- DNSSEC ----
  scenario('unsigned', 'Everything correct, but the zone is not signed (no AD)', {
    dnssec: 'unsigned',
    expected: { ...ALL_PASS, mx: 'warn', 'sts-record': 'warn', 'tlsrpt-record': 'warn' },
    why: {
      mx: 'CHECKLIST DNS-01 (RFC 4035 §3.2.3): an answer without AD is warn on the check that used it',
      'sts-record': 'CHECKLIST DNS-01: _mta-sts answer without AD',
      'tlsrpt-record': 'CHECKLIST DNS-01: _smtp._tls answer without AD',
    },
  }),
  scenario('bogus-dnssec', 'Signatures expired: the validator answers SERVFAIL (EDE 7)', {
    dnssec: 'bogus',
    expected: {
      mx: 'fail',
      starttls: 'skipped',
      'sts-record': 'fail',
      'tlsrpt-record': 'warn',
      'policy-fetch': 'fail',
      'policy-syntax': 'skipped',
      'policy-mx-match': 'skipped',
    },
    why: {
      mx: 'RFC 4035 §5.5, CHECKLIST DNS-02: bogus is fail on every check that needed the answer',
      'sts-record': 'RFC 4035 §5.5, CHECKLIST DNS-02: the _mta-sts answer is bogus',
      'tlsrpt-record': 'DNS-02, capped to warn (DESIGN)',
      'policy-fetch': 'STS-HTTP-01: policy host does not resolve',
    },
  }),

  // ---- dane (RFC 7672), next to MTA-STS; appended last so earlier scenarios keep their addresses ----
  scenario('dane-good', 'DANE-EE 3 1 1 matching both MX (mx1 with a "current + next" pair), signed zone', {
    hosts: [
      { name: 'mx1', cert: 'good', behaviour: 'normal', tlsa: ['ee-current', 'ee-next'] },
      { name: 'mx2', cert: 'good', behaviour: 'normal', tlsa: ['ee-current'] },
    ],
    expected: { ...ALL_PASS, dane: 'pass' },
    why: {
      dane: 'RFC 7672 §3.1.1, §3.2: every address matches; mx1 has the RFC 7671 §8.1 rollover pair (info), mx2 a single "3 1 1" whose 90-day certificate is not due within 30 days (info only in evaluate.ts)',
    },
  }),
  scenario('dane-mismatch', 'DANE-EE 3 1 1 on both MX, but the record of mx2 matches another key', {
    hosts: [
      { name: 'mx1', cert: 'good', behaviour: 'normal', tlsa: ['ee-current'] },
      { name: 'mx2', cert: 'good', behaviour: 'normal', tlsa: ['ee-wrong'] },
    ],
    expected: { ...ALL_PASS, dane: 'fail' },
    why: { dane: 'RFC 7672 §3.2: validated TLSA records that match nothing: DANE senders MUST NOT deliver to mx2 (dane.no-match)' },
  }),
  scenario('dane-ta', 'DANE-TA 2 0 1 pinning the intermediate the MX hosts send, one record each', {
    hosts: [
      { name: 'mx1', cert: 'good', behaviour: 'normal', tlsa: ['ta-intermediate'] },
      { name: 'mx2', cert: 'good', behaviour: 'normal', tlsa: ['ta-intermediate'] },
    ],
    expected: { ...ALL_PASS, dane: 'warn' },
    why: {
      dane: 'RFC 7672 §3.1.2: the sent intermediate matches (and the leaf names the host, §3.2.2), but a single DANE-TA record pinning an intermediate breaks when the CA rotates it: RFC 7671 §8.1, RFC 7672 §9.2 (dane.single-record warn)',
    },
  }),
  scenario('dane-ta-root', 'DANE-TA 2 0 1 pinning the root, which the MX hosts send in their chain', {
    hosts: [
      { name: 'mx1', cert: 'good', behaviour: 'normal', sendRoot: true, tlsa: ['ta-root'] },
      { name: 'mx2', cert: 'good', behaviour: 'normal', sendRoot: true, tlsa: ['ta-root'] },
    ],
    expected: { ...ALL_PASS, dane: 'pass' },
    why: { dane: 'RFC 7672 §3.1.2: the TA certificate is in the presented chain; a single record pinning a self-signed root is info only (RFC 7671 §8.1)' },
  }),
  scenario('dane-unsigned', 'DANE-EE 3 1 1 records that match, in an unsigned zone', {
    dnssec: 'unsigned',
    hosts: [
      { name: 'mx1', cert: 'good', behaviour: 'normal', tlsa: ['ee-current'] },
      { name: 'mx2', cert: 'good', behaviour: 'normal', tlsa: ['ee-current'] },
    ],
    expected: { ...ALL_PASS, mx: 'warn', 'sts-record': 'warn', 'tlsrpt-record': 'warn', dane: 'warn' },
    why: {
      mx: 'CHECKLIST DNS-01 (RFC 4035 §3.2.3): an answer without AD is warn on the check that used it',
      'sts-record': 'CHECKLIST DNS-01: _mta-sts answer without AD',
      'tlsrpt-record': 'CHECKLIST DNS-01: _smtp._tls answer without AD',
      dane: 'RFC 7672 §2.1.1, §2.2: TLSA records that are not DNSSEC-validated are ignored by senders (dane.tlsa-not-validated warn)',
    },
  }),
];

/** The fully qualified domain of a scenario. */
export const scenarioDomain = (s: Pick<Scenario, 'label'>): string => `${s.label}.${TEST_TLD}`;
/** A relative name ('mx1', '@') made absolute under a scenario's domain. */
export const absoluteName = (s: Pick<Scenario, 'label'>, rel: string): string => fqdn(s.label, rel);
