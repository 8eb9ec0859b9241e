import { describe, expect, it } from 'vitest';
import type { AddressProbe } from '../../../core/protocol/probe.ts';
import { ref } from '../../../core/report/refs.ts';
import type { Report } from '../../../core/report/schema.ts';
import { renderReport } from '../../../native-host/cli/render/report.ts';
import { styleFor } from '../../../native-host/cli/style.ts';

const plain = styleFor({ isTTY: false, env: {} });

const leaf = {
  subject: 'CN=mx1.example.com',
  issuer: 'CN=Example CA',
  dnsNames: ['mx1.example.com'],
  ipAddresses: [],
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2026-01-01T00:00:00.000Z',
  serialNumber: '01',
  sha256: 'a'.repeat(64),
  spkiSha256: 'b'.repeat(64),
  keyType: 'EC',
  selfSigned: false,
  derBase64: '',
};

function address(overrides: Partial<AddressProbe>): AddressProbe {
  return { address: '192.0.2.1', family: 4, outcome: 'ok', step: 'quit', message: 'STARTTLS and TLS completed.', timings: { totalMs: 10 }, ...overrides };
}

function report(addresses: AddressProbe[]): Report {
  return {
    schema: 1,
    domain: 'example.com',
    input: 'postmaster@example.com',
    checkedAt: '2025-06-01T00:00:00.000Z',
    durationMs: 1234,
    resolver: { name: 'Cloudflare', url: 'https://cloudflare-dns.com/dns-query' },
    status: 'fail',
    mode: { value: 'enforce', meaning: 'Senders refuse to deliver over connections that fail validation.' },
    advice: [{ severity: 'fail', text: 'Renew the certificate of mx1.example.com.', refs: [ref('RFC8461', '4.2')] }],
    checks: [
      {
        id: 'starttls',
        title: 'STARTTLS on every MX host',
        status: 'fail',
        summary: '1 of 1 hosts fail.',
        durationMs: 10,
        findings: [{ id: 'starttls.certificate-expired', severity: 'fail', message: 'The certificate of mx1.example.com has expired.', refs: [ref('RFC8461', '4.2')], host: 'mx1.example.com' }],
        evidence: { probed: true, hosts: [{ host: 'mx1.example.com', preference: 10, status: 'fail', summary: 'certificate expired', addresses }] },
      },
    ],
  };
}

describe('human report rendering', () => {
  it('shows per MX host and address the certificate summary and what failed', () => {
    const text = renderReport(
      report([
        address({
          tls: {
            handshakeCompleted: true,
            protocol: 'TLSv1.3',
            chain: [leaf],
            trusted: false,
            trustError: { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired', kind: 'expired' },
            nameMatches: true,
            matchedName: 'mx1.example.com',
            servername: 'mx1.example.com',
            daysToExpiry: -3,
          },
        }),
        address({ address: '2001:db8::1', family: 6, outcome: 'no-starttls', step: 'ehlo', message: 'EHLO did not offer STARTTLS.' }),
      ]),
      plain,
    );
    expect(text).toContain('example.com (from postmaster@example.com): ✗ FAIL');
    expect(text).toContain('Policy mode enforce: Senders refuse');
    expect(text).toContain('mx1.example.com (preference 10): certificate expired');
    expect(text).toContain('certificate for mx1.example.com; issuer CN=Example CA; valid to 2026-01-01T00:00:00.000Z (-3 days)');
    expect(text).toContain('not trusted: certificate has expired');
    expect(text).toContain('2001:db8::1: no-starttls at ehlo, EHLO did not offer STARTTLS.');
    expect(text).toContain('1. FAIL Renew the certificate of mx1.example.com. (RFC8461 §4.2)');
  });
});

describe('human report rendering: multi-line text', () => {
  const multi: Report = {
    ...report([]),
    advice: [{ severity: 'warn', text: 'Publish the records:\n_25._tcp.mx1.example.com. IN TLSA 3 1 1 aa\n_25._tcp.mx2.example.com. IN TLSA 3 1 1 bb', refs: [ref('RFC7672', '3.1')] }],
    checks: [
      {
        id: 'starttls',
        title: 'STARTTLS on every MX host',
        status: 'warn',
        summary: 'One host warns.',
        durationMs: 10,
        findings: [{ id: 'starttls.x', severity: 'warn', message: 'First line.\nSecond line.\r\nThird \u001b[31mline.', refs: [], host: 'mx1.example.com' }],
        evidence: { probed: false, hosts: [] },
      },
    ],
  };

  it.each([
    ['plain', styleFor({ isTTY: false, env: {} })],
    ['coloured', styleFor({ isTTY: true, env: {} })],
  ] as const)('RFC 8461 advice and findings: continuation lines start at the text column (%s)', (_label, style) => {
    const lines = renderReport(multi, style).replace(/\x1b\[[0-9;]*m/g, '').split('\n');
    const at = (start: string) => lines.findIndex((l) => l.startsWith(start));
    const finding = at('      WARN First line.');
    expect(lines.slice(finding, finding + 3)).toEqual([
      '      WARN First line.',
      '           Second line.',
      '           Third \\u001b[31mline. [mx1.example.com]',
    ]);
    const advice = at('  1. WARN Publish the records:');
    expect(lines.slice(advice, advice + 3)).toEqual([
      '  1. WARN Publish the records:',
      '          _25._tcp.mx1.example.com. IN TLSA 3 1 1 aa',
      '          _25._tcp.mx2.example.com. IN TLSA 3 1 1 bb (RFC7672 §3.1)',
    ]);
  });
});
