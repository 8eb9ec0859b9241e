// The `dane` check in the human report, from a hand-built CheckResult (RFC 7672 §2, §3).
import { describe, expect, it } from 'vitest';
import { DaneEvidenceSchema, type DaneEvidence } from '../../../core/dane/evidence.ts';
import { ref } from '../../../core/report/refs.ts';
import type { CheckId, CheckResult, Report } from '../../../core/report/schema.ts';
import { renderReport } from '../../../native-host/cli/render/report.ts';
import { styleFor } from '../../../native-host/cli/style.ts';

const plain = styleFor({ isTTY: false, env: {} });
const SPKI = 'c'.repeat(64);
const OTHER = 'd'.repeat(64);

const evidence: DaneEvidence = DaneEvidenceSchema.parse({
  probed: true,
  stsMode: 'enforce',
  hosts: [
    {
      host: 'mx1.example.com',
      preference: 10,
      tlsaName: '_25._tcp.mx1.example.com',
      query: { name: '_25._tcp.mx1.example.com', type: 'TLSA', status: 'ok', ad: true },
      addressesSecure: true,
      state: 'secure',
      daneInEffect: true,
      status: 'fail',
      summary: '1 of 2 addresses presents a certificate no TLSA record matches.',
      senderAction: 'DANE senders require TLS and a matching TLSA record.',
      records: [
        {
          text: `3 1 1 ${SPKI}`,
          mnemonic: 'DANE-EE(3) SPKI(1) SHA2-256(1)',
          usage: 3,
          selector: 1,
          matchingType: 1,
          ttl: 3600,
          usable: true,
          problems: [],
          matched: [{ address: '192.0.2.1', depth: 0, subject: 'CN=mx1.example.com', sha256: 'e'.repeat(64) }],
        },
        { text: '0 0 1 aa', mnemonic: 'PKIX-TA(0) Cert(0) SHA2-256(1)', usage: 0, selector: 0, matchingType: 1, ttl: 3600, usable: false, problems: ['PKIX-TA(0) is not used for SMTP (RFC 7672 §3.1.3).'], matched: [] },
      ],
      addresses: [
        { address: '192.0.2.1', outcome: 'ok', result: 'match', leafSubject: 'CN=mx1.example.com', leafSpkiSha256: SPKI, matchedRecords: [0], notes: [] },
        { address: '2001:db8::1', outcome: 'ok', result: 'mismatch', leafSubject: 'CN=mx1.example.com', leafSpkiSha256: OTHER, matchedRecords: [], notes: ['No usable record matches this chain.'] },
        { address: '192.0.2.2', outcome: 'timeout', result: 'inconclusive', matchedRecords: [], notes: [] },
      ],
      suggestedRecords: [`_25._tcp.mx1.example.com. IN TLSA 3 1 1 ${SPKI}`, `_25._tcp.mx1.example.com. IN TLSA 3 1 1 ${OTHER}`],
    },
    {
      host: 'mx2.example.com',
      tlsaName: '_25._tcp.mx2.example.com',
      query: { name: '_25._tcp.mx2.example.com', type: 'TLSA', status: 'servfail', ad: false, ede: [{ code: 6, text: 'DNSSEC Bogus' }] },
      addressesSecure: true,
      state: 'bogus',
      daneInEffect: false,
      status: 'fail',
      summary: 'The TLSA lookup is DNSSEC bogus.',
      senderAction: 'DANE senders treat the host as unreachable.',
      records: [],
      addresses: [],
      suggestedRecords: [],
    },
    {
      host: 'mx3.example.com',
      tlsaName: '_25._tcp.mx3.example.com',
      query: { name: '_25._tcp.mx3.example.com', type: 'TLSA', status: 'nxdomain', ad: true },
      addressesSecure: true,
      state: 'absent',
      daneInEffect: false,
      status: 'pass',
      summary: 'No TLSA records.',
      senderAction: 'Senders use MTA-STS or opportunistic TLS.',
      records: [],
      addresses: [],
      suggestedRecords: [],
    },
  ],
});

function reportWith(check: CheckResult): Report {
  return {
    schema: 1,
    domain: 'example.com',
    input: 'example.com',
    checkedAt: '2025-06-01T00:00:00.000Z',
    durationMs: 10,
    resolver: { name: 'Cloudflare', url: 'https://cloudflare-dns.com/dns-query' },
    status: check.status === 'fail' ? 'fail' : 'pass',
    advice: [],
    checks: [check],
  };
}

function daneCheck(ev: Record<string, unknown>): CheckResult {
  return {
    // A string id: 'dane' may not be in CHECK_IDS yet; the renderer compares strings.
    id: 'dane' as CheckId,
    title: 'DANE (TLSA) for the MX hosts',
    status: 'fail',
    summary: '2 of 3 hosts fail.',
    durationMs: 5,
    findings: [{ id: 'dane.mismatch', severity: 'fail', message: 'No TLSA record matches the certificate on 2001:db8::1.', refs: [ref('RFC7672', '3.1')], host: 'mx1.example.com' }],
    evidence: ev,
  };
}

describe('dane check rendering (RFC 7672)', () => {
  const text = renderReport(reportWith(daneCheck(evidence)), plain);

  it.each<[string, string]>([
    ['the host with its status and summary', '✗ FAIL  mx1.example.com (preference 10): 1 of 2 addresses presents a certificate no TLSA record matches.'],
    ['RFC 7672 §2.2: the TLSA RRset with its DNSSEC state', '_25._tcp.mx1.example.com TLSA: TLSA records, DNSSEC-validated'],
    ['whether DANE is in effect and what a sender does', 'DANE in effect: DANE senders require TLS and a matching TLSA record.'],
    ['RFC 7672 §3.1: each record with its mnemonic, TTL and verdict', `[0] 3 1 1 ${SPKI}  DANE-EE(3) SPKI(1) SHA2-256(1), TTL 3600: usable`],
    ['RFC 7672 §3.1.3: why a record is unusable', '[1] 0 0 1 aa  PKIX-TA(0) Cert(0) SHA2-256(1), TTL 3600: unusable'],
    ['the problem of an unusable record', 'PKIX-TA(0) is not used for SMTP (RFC 7672 §3.1.3).'],
    ['which record matched which certificate on which address', 'matched the leaf CN=mx1.example.com on 192.0.2.1'],
    ['the address a record matched', `192.0.2.1: match, by record [0] 3 1 1 ${SPKI}; leaf CN=mx1.example.com (SPKI SHA-256 ${SPKI})`],
    ['the address no record matched', `2001:db8::1: mismatch, leaf CN=mx1.example.com (SPKI SHA-256 ${OTHER})`],
    ['a note on an address', 'No usable record matches this chain.'],
    ['an address not reached', '192.0.2.2: inconclusive (timeout)'],
    ['the list of addresses with no match', 'no record matches the certificate on 2001:db8::1'],
    ['RFC 7672 §3.1.1: the suggested 3 1 1 record', `suggested: _25._tcp.mx1.example.com. IN TLSA 3 1 1 ${OTHER}`],
    ['RFC 8914: a bogus lookup with its Extended DNS Error', '_25._tcp.mx2.example.com TLSA: DNSSEC bogus (senders treat the host as unreachable) (servfail; EDE 6 DNSSEC Bogus)'],
    ['RFC 7672 §2.2.1: an authenticated denial', '_25._tcp.mx3.example.com TLSA: no TLSA records (authenticated denial)'],
    ['the findings still follow the evidence', 'FAIL No TLSA record matches the certificate on 2001:db8::1. [mx1.example.com]'],
  ])('shows %s', (_name, line) => {
    expect(text).toContain(line);
  });

  it('says when there were no probes to match records against', () => {
    const out = renderReport(reportWith(daneCheck({ ...evidence, probed: false })), plain);
    expect(out).toContain('No MX probes: TLSA records were not matched against certificates.');
    expect(out).not.toContain('192.0.2.2: inconclusive');
  });

  it('RFC 7672 §2.2.2: warns when the addresses are not validated, so senders skip the TLSA records', () => {
    const host = { ...evidence.hosts[0]!, addressesSecure: false, daneInEffect: false };
    const out = renderReport(reportWith(daneCheck({ ...evidence, hosts: [host] })), plain);
    expect(out).toContain('not DNSSEC-validated, so senders skip its TLSA records (RFC 7672 §2.2.2)');
    expect(out).toContain('DANE not in effect');
  });

  it('escapes control characters from certificate subjects', () => {
    const host = { ...evidence.hosts[0]!, addresses: [{ ...evidence.hosts[0]!.addresses[0]!, leafSubject: 'CN=evil\u001b[2J' }] };
    const out = renderReport(reportWith(daneCheck({ ...evidence, hosts: [host] })), plain);
    expect(out).toContain('leaf CN=evil\\u001b[2J');
    expect(out).not.toContain('\u001b');
  });

  it('evidence that does not match the schema renders the check and its findings, without a crash', () => {
    const out = renderReport(reportWith(daneCheck({ hosts: 'nope' })), plain);
    expect(out).toContain('[dane]: 2 of 3 hosts fail.');
    expect(out).not.toContain('TLSA records');
  });
});
