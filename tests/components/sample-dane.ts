// The `dane` check's evidence as core/dane/evaluate.ts writes it: mx1 matched by a "current + next"
// pair, mx2 with a record that matches nothing (a broken rollover) and an unusable PKIX-EE record,
// plus hostile text where the network supplies text (certificate subjects, notes).
import type { DaneEvidence } from '../../core/dane/evidence.ts';

export const SPKI_NOW = '1f850a337e6db9c609c522d136a475638cc43e1ed424f8eec8513d747d1d085d';
export const SPKI_NEXT = '9a'.repeat(32);
export const SPKI_WRONG = '00'.repeat(32);
export const HOSTILE_SUBJECT = 'CN=<img src=x onerror=alert(1)>mx2.example.com';

const query = (name: string, ad: boolean) => ({ name, type: 'TLSA', status: 'ok' as const, ad });
const ee = (hex: string) => ({ text: `3 1 1 ${hex}`, mnemonic: 'DANE-EE(3) SPKI(1) SHA2-256(1)', usage: 3, selector: 1, matchingType: 1, ttl: 3600 });

export const DANE_EVIDENCE: DaneEvidence = {
  probed: true,
  stsMode: 'enforce',
  hosts: [
    {
      host: 'mx1.example.com',
      preference: 10,
      tlsaName: '_25._tcp.mx1.example.com',
      query: query('_25._tcp.mx1.example.com', true),
      addressesSecure: true,
      state: 'secure',
      daneInEffect: true,
      status: 'pass',
      summary: 'Every address matches a DANE-EE record.',
      senderAction: 'authenticates mx1.example.com with its TLSA records and delivers.',
      records: [
        { ...ee(SPKI_NOW), usable: true, problems: [], matched: [{ address: '192.0.2.1', depth: 0, subject: 'CN=mx1.example.com', sha256: 'ab'.repeat(32) }] },
        { ...ee(SPKI_NEXT), usable: true, problems: [], matched: [] },
      ],
      addresses: [
        { address: '192.0.2.1', outcome: 'ok', result: 'match', leafSubject: 'CN=mx1.example.com', leafSpkiSha256: SPKI_NOW, matchedRecords: [0], notes: [] },
      ],
      suggestedRecords: [`_25._tcp.mx1.example.com. IN TLSA 3 1 1 ${SPKI_NOW}`],
    },
    {
      host: 'mx2.example.com',
      preference: 20,
      tlsaName: '_25._tcp.mx2.example.com',
      query: query('_25._tcp.mx2.example.com', true),
      addressesSecure: true,
      state: 'secure',
      daneInEffect: true,
      status: 'fail',
      summary: 'No usable record matches the certificate of 192.0.2.2.',
      senderAction: 'finds no matching record and does not deliver to mx2.example.com (MTA-STS must not override this, RFC 8461 §2).',
      records: [
        { ...ee(SPKI_WRONG), usable: true, problems: [], matched: [] },
        {
          text: `1 1 1 ${SPKI_NOW}`,
          mnemonic: 'PKIX-EE(1) SPKI(1) SHA2-256(1)',
          usage: 1,
          selector: 1,
          matchingType: 1,
          ttl: 3600,
          usable: false,
          problems: ['PKIX-EE(1) is not for SMTP: senders treat it as unusable (RFC 7672 §3.1.3).'],
          matched: [],
        },
      ],
      addresses: [
        {
          address: '192.0.2.2',
          outcome: 'ok',
          result: 'mismatch',
          leafSubject: HOSTILE_SUBJECT,
          leafSpkiSha256: SPKI_NEXT,
          matchedRecords: [],
          notes: ['<script>alert(3)</script> no record matches'],
        },
        { address: '2001:db8::2', outcome: 'timeout', result: 'inconclusive', matchedRecords: [], notes: [] },
        { address: '10.0.0.2', outcome: 'refused-private', result: 'inconclusive', matchedRecords: [], notes: [] },
      ],
      suggestedRecords: [`_25._tcp.mx2.example.com. IN TLSA 3 1 1 ${SPKI_NEXT}`],
    },
    {
      host: 'mx3.example.com',
      tlsaName: '_25._tcp.mx3.example.com',
      query: query('_25._tcp.mx3.example.com', false),
      addressesSecure: false,
      state: 'insecure',
      daneInEffect: false,
      status: 'warn',
      summary: 'TLSA records that are not DNSSEC-validated.',
      senderAction: 'ignores the records (not validated) and uses MTA-STS.',
      records: [{ ...ee(SPKI_NOW), usable: true, problems: [], matched: [] }],
      addresses: [],
      suggestedRecords: [],
    },
  ],
};
