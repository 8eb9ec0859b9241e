import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import tls from 'node:tls';
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import { TestPki, type CertificateAuthority, type Issued } from '../../helpers/pki.ts';
import {
  cachedSecureContexts,
  classifyTrustError,
  connectDiagnosticTls,
  describeTlsError,
  diagnosticSecureContext,
  diagnosticTlsOptions,
  opensslReason,
  sniName,
  tlsInfoFromSocket,
} from '../../../native-host/tls/tls-info.ts';
import { TlsInfoSchema, type TlsInfo } from '../../../core/protocol/tls.ts';
import { issueLeafWithAia, selfSignedLeaf, selfSignedWith } from './pki-extra.ts';

const HOST = 'policy.example.test';
let pki: TestPki;
let root: CertificateAuthority;
let intermediate: CertificateAuthority;
const servers: tls.Server[] = [];

beforeAll(() => {
  pki = new TestPki();
  root = pki.createRoot();
  intermediate = pki.createIntermediate(root);
});
afterAll(() => pki.dispose());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const der = (pem: string): string => new X509Certificate(pem).raw.toString('base64');

async function handshake(cert: Issued, servername: string | undefined, trust: 'test-root' | 'default-store' = 'test-root'): Promise<TlsInfo> {
  const ca = trust === 'test-root' ? [root.cert] : undefined;
  const server = tls.createServer({ key: cert.key, cert: cert.chain }, (s) => s.end());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.10.6', () => r()));
  const { port } = server.address() as net.AddressInfo;
  const socket = tls.connect({ host: '127.0.10.6', port, ...diagnosticTlsOptions(servername, ca) });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', reject);
  });
  const info = tlsInfoFromSocket(socket, HOST, servername ? { servername } : {});
  socket.destroy();
  expect(TlsInfoSchema.safeParse(info).success).toBe(true);
  return info;
}

describe('tlsInfoFromSocket', () => {
  it('RFC 8461 §3.3: a good chain is trusted, matches, and lists what the server sent (leaf, intermediate)', async () => {
    const info = await handshake(pki.issueLeaf(intermediate, { dnsNames: [HOST] }), HOST);
    expect(info).toMatchObject({ handshakeCompleted: true, trusted: true, nameMatches: true, matchedName: HOST, servername: HOST });
    expect(info.protocol).toBe('TLSv1.3');
    expect(info.cipher).toMatch(/^TLS_/);
    // RFC 7672 §3.1.2: the root comes from our store, not from the server, so it is not recorded.
    expect(info.chain.map((c) => c.selfSigned)).toEqual([false, false]);
  });

  it.each([
    ['leaf and intermediate', false, ['leaf', 'intermediate']],
    ['leaf, intermediate and root', true, ['leaf', 'intermediate', 'root']],
  ] as const)('RFC 7672 §3.1.2: a server that sends %s has exactly those recorded, and is trusted', async (_label, sendRoot, expected) => {
    const leaf = pki.issueLeaf(intermediate, { dnsNames: [HOST] });
    const info = await handshake({ ...leaf, chain: sendRoot ? leaf.chain + root.cert : leaf.chain }, HOST);
    expect(info).toMatchObject({ trusted: true, nameMatches: true });
    const names: Record<string, string> = { [der(leaf.cert)]: 'leaf', [der(intermediate.cert)]: 'intermediate', [der(root.cert)]: 'root' };
    // The exact DER the server sent (the genuine root, not the store's copy).
    expect(info.chain.map((c) => names[c.derBase64] ?? c.subject)).toEqual(expected);
    expect(info.chain.map((c) => c.sha256)).toEqual(info.chain.map((c) => new X509Certificate(Buffer.from(c.derBase64, 'base64')).fingerprint256.replace(/:/g, '').toLowerCase()));
  });

  it('RFC 7672 §3.1.2: a root the server sends but nobody trusts is recorded (self-signed in chain)', async () => {
    const other = pki.createRoot('Sent But Untrusted Root');
    const otherInt = pki.createIntermediate(other, 'Sent But Untrusted Intermediate');
    const leaf = pki.issueLeaf(otherInt, { dnsNames: [HOST] });
    const info = await handshake({ ...leaf, chain: leaf.chain + other.cert }, HOST);
    expect(info).toMatchObject({ trusted: false, trustError: { code: 'SELF_SIGNED_CERT_IN_CHAIN', kind: 'self-signed' } });
    expect(info.chain.map((c) => c.derBase64)).toEqual([der(leaf.cert), der(otherInt.cert), der(other.cert)]);
  });

  // OpenSSL reports its last error only; the leaf decides (RFC 5280 §3.2), the raw code stays.
  const DAY = 86_400_000;
  const selfWith = (extensions: string, from = -DAY, to = 30 * DAY): Issued =>
    selfSignedWith(pki, [HOST], { extensions, notBefore: new Date(Date.now() + from), notAfter: new Date(Date.now() + to) });
  it.each([
    ['CA certificate used as the server certificate', 'INVALID_PURPOSE', () => pki.selfSigned([HOST])],
    ['leaf (CA:FALSE)', 'DEPTH_ZERO_SELF_SIGNED_CERT', () => selfSignedLeaf(pki, [HOST])],
    ['leaf without keyCertSign, for clientAuth only', 'INVALID_PURPOSE', () => selfWith('basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyEncipherment\nextendedKeyUsage=clientAuth')],
    ['expired leaf', 'CERT_HAS_EXPIRED', () => selfWith('basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature', -90 * DAY, -30 * DAY)],
    ['CA certificate not valid yet', 'CERT_NOT_YET_VALID', () => selfWith('basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign', 30 * DAY, 90 * DAY)],
  ])('RFC 5280 §3.2: a self-signed %s is self-signed whatever OpenSSL said (%s)', async (_label, code, make) => {
    const info = await handshake(make(), HOST);
    expect(info).toMatchObject({ trusted: false, trustError: { code, kind: 'self-signed' } });
    expect(info.trustError?.message).toMatch(/self-signed/);
    expect(info.chain.map((c) => c.selfSigned)).toEqual([true]);
  });

  it('RFC 5280 §3.2: a leaf named like its CA but signed by the CA key is not self-signed (unknown issuer)', async () => {
    const twin = pki.createRoot(HOST);
    const info = await handshake(pki.issueLeaf(twin, { dnsNames: [HOST] }), HOST);
    expect(info.chain[0]).toMatchObject({ subject: info.chain[0]?.issuer, selfSigned: false });
    expect(info.trustError).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', kind: 'unknown-issuer' });
  });

  it('RFC 8461 §3.3: without the extra root, the test chain is not trusted', async () => {
    const info = await handshake(pki.issueLeaf(intermediate, { dnsNames: [HOST] }), HOST, 'default-store');
    expect(info).toMatchObject({ trusted: false, nameMatches: true, trustError: { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', kind: 'unknown-issuer' } });
  });

  it('missing intermediate from a CA that publishes its certificate (AIA)', async () => {
    const info = await handshake(issueLeafWithAia(pki, intermediate, [HOST]), HOST);
    expect(info).toMatchObject({ trusted: false, trustError: { kind: 'missing-intermediate' } });
    expect(info.chain).toHaveLength(1);
  });

  it('RFC 8461 §7.1: without SNI no servername is recorded', async () => {
    const info = await handshake(pki.issueLeaf(intermediate, { dnsNames: [HOST] }), undefined);
    expect(info.servername).toBeUndefined();
    expect(info.nameMatches).toBe(true);
  });

  it('daysToExpiry counts whole days, negative once expired', async () => {
    const leaf = pki.issueLeaf(intermediate, { dnsNames: [HOST], notBefore: new Date(Date.now() - 30 * 86_400_000), notAfter: new Date(Date.now() - 2.5 * 86_400_000) });
    const info = await handshake(leaf, HOST);
    expect(info.daysToExpiry).toBe(-3);
    expect(info.trustError?.kind).toBe('expired');
  });
});

describe('connectDiagnosticTls', () => {
  async function listen(key: string, cert: string): Promise<number> {
    const server = tls.createServer({ key, cert }, (s) => s.on('error', () => {}));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.10.6', () => r()));
    return (server.address() as net.AddressInfo).port;
  }

  async function connected(socket: tls.TLSSocket): Promise<tls.TLSSocket> {
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', () => resolve());
      socket.once('error', reject);
    });
    return socket;
  }

  /** Evidence from one handshake, and how often tlsInfoFromSocket had to ask Node for the chain itself. */
  async function evidence(port: number, via: 'capture' | 'plain', now: Date): Promise<{ info: TlsInfo; asked: number }> {
    const socket = await connected(
      via === 'capture'
        ? connectDiagnosticTls({ host: '127.0.10.6', port }, HOST, [root.cert])
        : tls.connect({ host: '127.0.10.6', port, ...diagnosticTlsOptions(HOST, [root.cert]) }),
    );
    const spy = vi.spyOn(socket, 'getPeerCertificate');
    const info = tlsInfoFromSocket(socket, HOST, { servername: HOST, now });
    const asked = spy.mock.calls.length;
    socket.destroy();
    return { info, asked };
  }

  it.each([
    ['leaf and intermediate', 'good', true, 0],
    ['leaf, intermediate and root', 'good+root', true, 0],
    ['an untrusted chain with its root', 'untrusted', false, 1],
    ['a self-signed leaf', 'self-signed', false, 1],
  ] as const)('RFC 7672 §3.1.2: %s (%s): the chain kept from the identity check of Node gives the same evidence as asking Node again', async (_label, kind, trusted, asked) => {
    const leaf = pki.issueLeaf(intermediate, { dnsNames: [HOST] });
    const other = pki.createRoot('Capture Untrusted Root');
    const otherInt = pki.createIntermediate(other, 'Capture Untrusted Intermediate');
    const otherLeaf = pki.issueLeaf(otherInt, { dnsNames: [HOST] });
    const self = pki.selfSigned([HOST]);
    const served =
      kind === 'good' ? { key: leaf.key, cert: leaf.chain }
      : kind === 'good+root' ? { key: leaf.key, cert: leaf.chain + root.cert }
      : kind === 'untrusted' ? { key: otherLeaf.key, cert: otherLeaf.chain + other.cert }
      : { key: self.key, cert: self.chain };
    const port = await listen(served.key, served.cert);
    const now = new Date();
    const captured = await evidence(port, 'capture', now);
    const plain = await evidence(port, 'plain', now);
    expect(captured.info).toEqual(plain.info);
    expect(captured.info.trusted).toBe(trusted);
    // Node builds the chain for its own identity check only when the chain verifies.
    expect(captured.asked).toBe(asked);
    expect(plain.asked).toBe(1);
    expect(captured.info.chain.map((c) => c.derBase64)).toEqual(
      kind === 'good' ? [der(leaf.cert), der(intermediate.cert)]
      : kind === 'good+root' ? [der(leaf.cert), der(intermediate.cert), der(root.cert)]
      : kind === 'untrusted' ? [der(otherLeaf.cert), der(otherInt.cert), der(other.cert)]
      : [der(self.cert)],
    );
  });

  it('daysToExpiry is computed for every handshake, never remembered with the certificate', async () => {
    const leaf = pki.issueLeaf(intermediate, { dnsNames: [HOST], notAfter: new Date(Date.now() + 10.5 * 86_400_000) });
    const port = await listen(leaf.key, leaf.chain);
    const first = await evidence(port, 'capture', new Date());
    const later = await evidence(port, 'capture', new Date(Date.now() + 20 * 86_400_000));
    expect(first.info.daysToExpiry).toBe(10);
    expect(later.info.daysToExpiry).toBe(-10);
    expect(later.info.chain).toEqual(first.info.chain);
  });
});

describe('classifyTrustError', () => {
  type Leaf = 'plain' | 'aia' | 'self' | 'self-leaf' | 'self-issued';
  const chains = {} as Record<Leaf, Uint8Array[]>;
  const only = (pem: string): Uint8Array[] => [new Uint8Array(new X509Certificate(pem).raw)];
  beforeAll(() => {
    chains.plain = only(pki.issueLeaf(intermediate, { dnsNames: [HOST] }).cert);
    chains.aia = only(issueLeafWithAia(pki, intermediate, [HOST]).cert);
    chains.self = only(pki.selfSigned([HOST]).cert);
    chains['self-leaf'] = only(selfSignedLeaf(pki, [HOST]).cert);
    chains['self-issued'] = only(pki.issueLeaf(pki.createRoot(HOST), { dnsNames: [HOST] }).cert);
  });

  it.each([
    ['CERT_HAS_EXPIRED', 'plain', 'expired'],
    ['CERT_NOT_YET_VALID', 'plain', 'not-yet-valid'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'plain', 'self-signed'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'plain', 'self-signed'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'plain', 'unknown-issuer'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'plain', 'unknown-issuer'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'aia', 'missing-intermediate'],
    ['UNABLE_TO_GET_ISSUER_CERT', 'aia', 'missing-intermediate'],
    ['CERT_REVOKED', 'plain', 'other'],
    ['INVALID_PURPOSE', 'plain', 'other'],
    ['INVALID_PURPOSE', 'self', 'self-signed'],
    ['CERT_HAS_EXPIRED', 'self', 'self-signed'],
    ['CERT_NOT_YET_VALID', 'self-leaf', 'self-signed'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'self-leaf', 'self-signed'],
    ['UNKNOWN', 'self', 'self-signed'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'self-issued', 'unknown-issuer'],
  ] as const)('RFC 5280 §6: %s with a %s lone leaf is %s', (code, which, kind) => {
    expect(classifyTrustError(code, chains[which])).toBe(kind);
  });

  it('RFC 5280 §6: an empty chain is classified by the code alone', () => {
    expect(classifyTrustError('INVALID_PURPOSE', [])).toBe('other');
    expect(classifyTrustError('CERT_HAS_EXPIRED', [])).toBe('expired');
  });
});

describe('helpers', () => {
  it.each([
    ['mx.example.com.', 'mx.example.com'],
    ['MX.Example.COM', 'mx.example.com'],
    ['192.0.2.1', undefined],
    ['2001:db8::1', undefined],
    ['', undefined],
  ])('RFC 6066 §3: SNI for %s is %s', (host, sni) => {
    expect(sniName(host)).toBe(sni);
  });

  // Real Node/OpenSSL 3 error strings: the message becomes words, the code stays, the stack noise goes.
  const ssl = (code: string, reason: string, alert?: number): Error =>
    Object.assign(
      new Error(`80AC81502C7F0000:error:0A00010B:SSL routines:ssl3_get_record:${reason}:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:${alert ? `SSL alert number ${alert}` : ''}\n`),
      { code, reason, library: 'SSL routines' },
    );
  it.each([
    [ssl('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), 'the server did not answer with TLS (it sent something else: wrong version number)'],
    [ssl('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tlsv1 alert protocol version', 70), 'the server and this client share no TLS version (tlsv1 alert protocol version, alert 70)'],
    [
      ssl('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure', 40),
      'the server aborted the handshake: no shared cipher, or it requires something this client did not send (sslv3 alert handshake failure, alert 40)',
    ],
    [ssl('ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR', 'tlsv1 alert internal error', 80), 'the server ended the handshake with a TLS alert (tlsv1 alert internal error, alert 80)'],
    [Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), { code: 'ECONNRESET' }), 'the server closed the connection during the TLS handshake'],
    [Object.assign(new Error('error:0A000086:SSL routines::certificate verify failed'), { code: 'ERR_SSL_X' }), 'the TLS library reported an error (certificate verify failed)'],
  ])('a TLS error is a clause a postmaster understands, without OpenSSL noise (%#)', (err, message) => {
    const described = describeTlsError(err);
    expect(described).toEqual({ code: (err as NodeJS.ErrnoException).code, message });
    expect(described.message).not.toMatch(/error:|routines|\.c:\d|\n|\.$/);
  });

  it.each([
    ['1C0A0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:ssl/record/ssl3_record.c:354:\n', 'wrong version number'],
    ['error:0A00010B:SSL routines::wrong version number', 'wrong version number'],
    ['socket hang up', 'socket hang up'],
    ['error:', undefined],
  ])('opensslReason(%j) is %j', (message, reason) => {
    expect(opensslReason(new Error(message))).toBe(reason);
  });

  it.each([
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' }, /did not answer with TLS/],
    [{ code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'alert protocol version' }, /share no TLS version/],
    [{ code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'handshake failure' }, /aborted the handshake/],
    [{ code: 'ECONNRESET', message: 'socket hang up' }, /closed the connection/],
  ])('describes TLS error %o', (err, pattern) => {
    expect(describeTlsError(Object.assign(new Error(err.message), { code: err.code })).message).toMatch(pattern);
  });
});

describe('diagnosticSecureContext', () => {
  it('one secure context per distinct root list, shared by every connection', async () => {
    const otherRoot = pki.createRoot('Other Root');
    const a = diagnosticSecureContext([root.cert]);
    expect(diagnosticSecureContext([root.cert])).toBe(a);
    expect(diagnosticTlsOptions('x.example.test', [root.cert]).secureContext).toBe(a);
    expect(diagnosticSecureContext([otherRoot.cert])).not.toBe(a);
    expect(diagnosticSecureContext([root.cert, otherRoot.cert])).not.toBe(a);
    expect(diagnosticSecureContext()).toBe(diagnosticSecureContext([]));
    // Many handshakes with the same extra root add no context.
    const before = cachedSecureContexts();
    for (let i = 0; i < 5; i += 1) await handshake(pki.issueLeaf(intermediate, { dnsNames: [HOST] }), HOST);
    expect(cachedSecureContexts()).toBe(before);
  });

  it('the cache is bounded', () => {
    for (let i = 0; i < 12; i += 1) diagnosticSecureContext([root.cert, `${root.cert}\n`.repeat(i + 1)]);
    expect(cachedSecureContexts()).toBeLessThanOrEqual(8);
  });

  it('TLS 1.0 and SECLEVEL 0 stay allowed through the shared context (old servers are reported, not opaque)', async () => {
    const cert = pki.issueLeaf(intermediate, { dnsNames: [HOST] });
    const server = tls.createServer({ key: cert.key, cert: cert.chain, minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }, (s) => s.end());
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.10.6', () => r()));
    const { port } = server.address() as net.AddressInfo;
    const socket = tls.connect({ host: '127.0.10.6', port, ...diagnosticTlsOptions(HOST, [root.cert]) });
    const protocol = await new Promise<string | null>((resolve) => {
      socket.once('secureConnect', () => resolve(socket.getProtocol()));
      socket.once('error', () => resolve(null));
    });
    socket.destroy();
    expect(protocol).toBe('TLSv1');
  });
});
