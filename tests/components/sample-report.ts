// A report as the engine writes it, with hostile text where the network supplies text, for the
// component and Markdown tests.
import { ref } from '../../core/report/refs.ts';
import type { CheckResult, Report } from '../../core/report/schema.ts';
import { DANE_EVIDENCE } from './sample-dane.ts';

export const HOSTILE_TXT = 'v=STSv1; id=<img src=x onerror=alert(1)><script>alert(2)</script>';
export const HOSTILE_POLICY_LINE = 'mx: <b>mail</b>.example.com';

const cert = {
  subject: 'CN=mx1.example.com',
  issuer: 'CN=Test CA',
  dnsNames: ['mx1.example.com', '*.example.com'],
  ipAddresses: [],
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2025-04-01T00:00:00.000Z',
  serialNumber: '01',
  sha256: 'ab'.repeat(32),
  spkiSha256: 'cd'.repeat(32),
  keyType: 'EC',
  keyBits: 256,
  selfSigned: false,
  derBase64: 'AAAA',
};

const query = (name: string, type: string, ad = false) => ({ name, type, status: 'ok' as const, ad });

export const CHECKS: CheckResult[] = [
  {
    id: 'mx',
    title: 'MX records',
    status: 'pass',
    summary: '2 MX hosts',
    durationMs: 12,
    findings: [],
    evidence: {
      query: query('example.com', 'MX', true),
      implicit: false,
      nullMx: false,
      hosts: [
        { preference: 10, host: 'mx1.example.com', ipv4: ['192.0.2.1'], ipv6: [], addressesSecure: true, queries: [] },
        { preference: 20, host: 'mx2.example.com', ipv4: ['192.0.2.2'], ipv6: ['2001:db8::2'], addressesSecure: false, queries: [] },
      ],
    },
  },
  {
    id: 'starttls',
    title: 'STARTTLS on every MX host',
    status: 'fail',
    summary: '1 of 2 MX hosts fails',
    durationMs: 300,
    findings: [
      {
        id: 'starttls.certificate-host-mismatch',
        severity: 'fail',
        message: 'The certificate of mx2.example.com does not name it.',
        refs: [ref('RFC8461', '4.2')],
        host: 'mx2.example.com',
        tlsrptResultType: 'certificate-host-mismatch',
      },
    ],
    evidence: {
      probed: true,
      hosts: [
        {
          host: 'mx1.example.com',
          preference: 10,
          status: 'pass',
          summary: 'STARTTLS with a valid certificate',
          addresses: [
            {
              address: '192.0.2.1',
              family: 4,
              outcome: 'ok',
              step: 'quit',
              message: 'TLS 1.3, trusted certificate',
              starttlsOffered: true,
              greeting: { code: 220, lines: ['mx1.example.com ESMTP <script>x</script>'] },
              tls: { handshakeCompleted: true, protocol: 'TLSv1.3', chain: [cert], trusted: true, nameMatches: true, matchedName: 'mx1.example.com', daysToExpiry: 40 },
              timings: { totalMs: 120 },
            },
          ],
        },
        {
          host: 'mx2.example.com',
          preference: 20,
          status: 'fail',
          summary: 'certificate does not match',
          addresses: [
            {
              address: '192.0.2.2',
              family: 4,
              outcome: 'ok',
              step: 'quit',
              message: 'name mismatch',
              tls: { handshakeCompleted: true, protocol: 'TLSv1.2', chain: [cert], trusted: true, nameMatches: false },
              timings: { totalMs: 130 },
            },
            { address: '2001:db8::2', family: 6, outcome: 'timeout', step: 'connect', message: 'no answer', timings: { totalMs: 15000 } },
          ],
        },
      ],
    },
  },
  {
    id: 'dane',
    title: 'DANE (TLSA) for the MX hosts',
    status: 'fail',
    summary: 'No usable TLSA record matches the certificate of mx2.example.com.',
    durationMs: 40,
    findings: [
      {
        id: 'dane.no-match',
        severity: 'fail',
        message: 'No usable TLSA record of mx2.example.com matches the certificate it presents.',
        refs: [ref('RFC7672', '3.2')],
        host: 'mx2.example.com',
        tlsrptResultType: 'tlsa-invalid',
      },
    ],
    evidence: DANE_EVIDENCE,
  },
  {
    id: 'sts-record',
    title: 'MTA-STS TXT record',
    status: 'fail',
    summary: 'the record is invalid',
    durationMs: 10,
    findings: [
      {
        id: 'sts-record.bad-id',
        severity: 'fail',
        message: 'The id holds characters other than letters and digits.',
        refs: [ref('RFC8461', '3.1')],
        fix: 'v=STSv1; id=20250101T000000;',
      },
    ],
    evidence: {
      query: query('_mta-sts.example.com', 'TXT'),
      records: [{ strings: [HOSTILE_TXT], text: HOSTILE_TXT, counted: true }],
    },
  },
  {
    id: 'tlsrpt-record',
    title: 'TLS reporting (TLSRPT) record',
    status: 'warn',
    summary: 'no TLSRPT record',
    durationMs: 9,
    findings: [{ id: 'tlsrpt-record.missing', severity: 'warn', message: 'No TLSRPT record.', refs: [ref('RFC8460', '3')], fix: 'v=TLSRPTv1; rua=mailto:tlsrpt@example.com' }],
    // Evidence of an unexpected shape: shown raw.
    evidence: { surprise: '<i>raw</i>' },
  },
  {
    id: 'policy-fetch',
    title: 'Policy fetch over HTTPS',
    status: 'pass',
    summary: 'HTTP 200, text/plain',
    durationMs: 80,
    findings: [],
    evidence: {
      url: 'https://mta-sts.example.com/.well-known/mta-sts.txt',
      via: 'browser',
      attempts: [
        {
          response: { status: 200, headers: [['content-type', 'text/plain']], bodyBase64: '', bodyBytes: 60, bodyTruncated: false },
          redirects: [],
          timings: { totalMs: 80 },
        },
      ],
    },
  },
  {
    id: 'policy-syntax',
    title: 'Policy file syntax',
    status: 'warn',
    summary: 'LF line endings',
    durationMs: 1,
    findings: [
      {
        id: 'policy-syntax.bad-mx',
        severity: 'fail',
        message: 'The mx value is not a host name.',
        refs: [ref('RFC8461', '3.2')],
        location: { line: 3, column: 5 },
      },
    ],
    evidence: {
      lines: [
        { number: 1, text: 'version: STSv1', terminator: 'CRLF' },
        { number: 2, text: 'mode: enforce', terminator: 'LF' },
        { number: 3, text: HOSTILE_POLICY_LINE, terminator: 'none' },
      ],
      terminators: 'mixed',
      version: 'STSv1',
      mode: 'enforce',
      mx: [],
      extensions: [],
    },
  },
  {
    id: 'policy-mx-match',
    title: 'MX hosts allowed by the policy',
    status: 'skipped',
    summary: 'no valid policy',
    durationMs: 0,
    findings: [],
    evidence: {},
  },
];

export const REPORT: Report = {
  schema: 1,
  domain: 'example.com',
  input: 'example.com',
  checkedAt: '2025-02-20T10:11:12.000Z',
  durationMs: 412,
  resolver: { name: 'Cloudflare', url: 'https://cloudflare-dns.com/dns-query' },
  status: 'fail',
  mode: { value: 'enforce', meaning: 'Senders must not deliver over unvalidated TLS.' },
  advice: [{ severity: 'fail', text: 'Fix the certificate of mx2.example.com.', refs: [ref('RFC8461', '4.2')] }],
  checks: CHECKS,
};
