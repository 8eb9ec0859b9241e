// TLSA records computed from the harness's certificates: digests checked against the openssl
// command, and the matching rules the DANE scenarios rely on (RFC 6698 §2.1, RFC 7672 §3.1).
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { TestPki } from '../helpers/pki.ts';
import type { TlsaSpec } from './scenarios.ts';
import { certSha256, spkiSha256, tlsaMatchesChain, tlsaOwner, tlsaRecords } from './tlsa.ts';

const pki = new TestPki();
afterAll(() => pki.dispose());
const root = pki.createRoot('TLSA Test Root');
const intermediate = pki.createIntermediate(root, 'TLSA Test Intermediate');
const leaf = pki.issueLeaf(intermediate, { dnsNames: ['mx1.dane.mtasts.test'] });
const der = (pem: string): Uint8Array => new Uint8Array(new X509Certificate(pem).raw);
const sent = [der(leaf.cert), der(intermediate.cert)];
const sentWithRoot = [...sent, der(root.cert)];
const record = (spec: TlsaSpec): string => tlsaRecords([spec], { leaf: leaf.cert, intermediate: intermediate.cert, root: root.cert })[0] ?? '';

describe('TLSA digests', () => {
  it('RFC 6698 §2.1.2: selector 1 digests the SubjectPublicKeyInfo, as openssl computes it', () => {
    const viaOpenssl = execFileSync('sh', ['-c', 'openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r'], { input: leaf.cert, encoding: 'utf8' }).split(' ')[0];
    expect(spkiSha256(leaf.cert)).toBe(viaOpenssl);
  });

  it('RFC 6698 §2.1.2: selector 0 digests the whole DER certificate, as openssl computes it', () => {
    const viaOpenssl = execFileSync('sh', ['-c', 'openssl x509 -outform DER | openssl dgst -sha256 -r'], { input: intermediate.cert, encoding: 'utf8' }).split(' ')[0];
    expect([certSha256(intermediate.cert), certSha256(der(intermediate.cert))]).toEqual([viaOpenssl, viaOpenssl]);
  });

  it('RFC 7671 §8.1: every ee-next / ee-wrong record names a different, unused key', () => {
    const records = tlsaRecords(['ee-current', 'ee-next', 'ee-wrong', 'ee-next'], { leaf: leaf.cert, intermediate: intermediate.cert, root: root.cert });
    expect({ distinct: new Set(records).size, shape: records.every((r) => /^3 1 1 [0-9a-f]{64}$/.test(r)) }).toEqual({ distinct: 4, shape: true });
  });

  it('RFC 7672 §2.2.3: the owner name is _25._tcp.<host>', () => {
    expect(tlsaOwner('mx1.dane.mtasts.test')).toBe('_25._tcp.mx1.dane.mtasts.test');
  });
});

describe('TLSA matching against a presented chain', () => {
  it.each([
    ['RFC 7672 §3.1.1: DANE-EE current key matches the leaf', 'ee-current', sent, true],
    ['RFC 7671 §8.1: the "next" key matches nothing yet', 'ee-next', sent, false],
    ['RFC 7672 §3.2: a wrong key matches nothing', 'ee-wrong', sent, false],
    ['RFC 7672 §3.1.2: DANE-TA intermediate matches the sent intermediate', 'ta-intermediate', sent, true],
    ['RFC 7672 §3.1.2: DANE-TA intermediate does not match when only the leaf is sent', 'ta-intermediate', sent.slice(0, 1), false],
    ['RFC 7672 §3.1.2: DANE-TA root does not match when the root is not sent', 'ta-root', sent, false],
    ['RFC 7672 §3.1.2: DANE-TA root matches when the root is sent', 'ta-root', sentWithRoot, true],
  ] as const)('%s', (_n, spec, chain, match) => {
    expect(tlsaMatchesChain(record(spec), chain)).toBe(match);
  });

  it.each([
    ['RFC 7672 §3.1.1: DANE-EE looks at the leaf only, not the chain', `3 0 1 ${certSha256(intermediate.cert)}`, false],
    ['RFC 7672 §3.1.2: DANE-TA never matches the leaf position', `2 0 1 ${certSha256(leaf.cert)}`, false],
    ['RFC 6698 §2.1.3: matching type 2 (SHA-512) is not computed here', `3 1 2 ${spkiSha256(leaf.cert)}`, false],
    ['RFC 6698 §2.1.1: PKIX usages are not used by the scenarios', `1 1 1 ${spkiSha256(leaf.cert)}`, false],
    ['RFC 6698 §2.1: upper-case hex matches', `3 1 1 ${spkiSha256(leaf.cert).toUpperCase()}`, true],
  ] as const)('%s', (_n, text, match) => {
    expect(tlsaMatchesChain(text, sent)).toBe(match);
  });
});
