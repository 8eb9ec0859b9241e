import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import tls from 'node:tls';
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import { TestPki, type CertificateAuthority, type Issued } from '../../helpers/pki.ts';
import { classifyTrustError, describeTlsError, diagnosticTlsOptions, sniName, tlsInfoFromSocket } from '../../../native-host/tls/tls-info.ts';
import { TlsInfoSchema, type TlsInfo } from '../../../core/protocol/tls.ts';
import { issueLeafWithAia } from './pki-extra.ts';

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
  it('RFC 8461 §3.3: a good chain is trusted, matches, and lists leaf, intermediate and root', async () => {
    const info = await handshake(pki.issueLeaf(intermediate, { dnsNames: [HOST] }), HOST);
    expect(info).toMatchObject({ handshakeCompleted: true, trusted: true, nameMatches: true, matchedName: HOST, servername: HOST });
    expect(info.protocol).toBe('TLSv1.3');
    expect(info.cipher).toMatch(/^TLS_/);
    // Node appends the root from the local store when the server did not send it.
    expect(info.chain.map((c) => c.selfSigned)).toEqual([false, false, true]);
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

describe('classifyTrustError', () => {
  let leafOnly: Uint8Array[];
  let leafWithAia: Uint8Array[];
  beforeAll(() => {
    leafOnly = [new Uint8Array(new X509Certificate(pki.issueLeaf(intermediate, { dnsNames: [HOST] }).cert).raw)];
    leafWithAia = [new Uint8Array(new X509Certificate(issueLeafWithAia(pki, intermediate, [HOST]).cert).raw)];
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
  ])('RFC 5280 §6: %s with a %s lone leaf is %s', (code, which, kind) => {
    expect(classifyTrustError(code, which === 'aia' ? leafWithAia : leafOnly)).toBe(kind);
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

  it.each([
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'wrong version number' }, /did not answer with TLS/],
    [{ code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'alert protocol version' }, /share no TLS version/],
    [{ code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'handshake failure' }, /aborted the handshake/],
    [{ code: 'ECONNRESET', message: 'socket hang up' }, /closed the connection/],
  ])('describes TLS error %o', (err, pattern) => {
    expect(describeTlsError(Object.assign(new Error(err.message), { code: err.code })).message).toMatch(pattern);
  });
});
