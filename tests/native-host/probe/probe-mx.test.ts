import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { TestPki, type CertificateAuthority, type Issued } from '../../helpers/pki.ts';
import { probeMx, type ProbeMxParams } from '../../../native-host/probe/probe-mx.ts';
import { MxProbeResultSchema, type AddressProbe } from '../../../core/protocol/probe.ts';
import { issueLeafWithAia, selfSignedLeaf } from '../tls/pki-extra.ts';
import { startSmtpServer, until, type Running } from './smtp-servers.ts';

const HOST = 'mx.example.test';
const DAY = 86_400_000;

let pki: TestPki;
let root: CertificateAuthority;
const leaves: Record<string, Issued> = {};
const running: Running[] = [];

beforeAll(() => {
  pki = new TestPki();
  root = pki.createRoot();
  const intermediate = pki.createIntermediate(root);
  const otherRoot = pki.createRoot('Some Private Root');
  const otherIntermediate = pki.createIntermediate(otherRoot, 'Some Private Intermediate');
  const now = Date.now();
  leaves.good = pki.issueLeaf(intermediate, { dnsNames: [HOST] });
  leaves.expired = pki.issueLeaf(intermediate, { dnsNames: [HOST], notBefore: new Date(now - 100 * DAY), notAfter: new Date(now - 10 * DAY) });
  leaves.notYetValid = pki.issueLeaf(intermediate, { dnsNames: [HOST], notBefore: new Date(now + 10 * DAY), notAfter: new Date(now + 100 * DAY) });
  leaves.wrongName = pki.issueLeaf(intermediate, { dnsNames: ['other.example.test'] });
  leaves.selfSigned = pki.selfSigned([HOST]);
  leaves.selfSignedLeaf = selfSignedLeaf(pki, [HOST]);
  leaves.untrusted = pki.issueLeaf(otherIntermediate, { dnsNames: [HOST] });
  leaves.missingIntermediate = issueLeafWithAia(pki, intermediate, [HOST]);
  leaves.missingNoAia = pki.issueLeaf(intermediate, { dnsNames: [HOST], omitIntermediate: true });
  leaves.wildcard = pki.issueLeaf(intermediate, { dnsNames: ['*.example.test'] });
});

afterAll(() => pki.dispose());

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function serve(leaf: Issued, extra: { hideSTARTTLS?: boolean; rejectWith?: number } = {}): Promise<Running> {
  const server = await startSmtpServer({ key: leaf.key, cert: leaf.chain, ...extra });
  running.push(server);
  return server;
}

async function probeOne(server: Running, extra: Partial<ProbeMxParams> = {}): Promise<AddressProbe> {
  const result = await probeMx({ host: HOST, addresses: ['127.0.10.1'], port: server.port, allowPrivate: true, ca: [root.cert], ...extra });
  // The helper's answer must satisfy the shared schema.
  expect(MxProbeResultSchema.safeParse(result).success).toBe(true);
  const first = result.addresses[0];
  if (!first) throw new Error('no address result');
  return first;
}

describe('probeMx against smtp-server with STARTTLS', () => {
  it('RFC 7672 §3.1.2: a server that sends its root too has all three recorded, the root as sent', async () => {
    const good = leaves.good!;
    const server = await serve({ ...good, chain: good.chain + root.cert });
    const probe = await probeOne(server);
    expect(probe.tls).toMatchObject({ trusted: true, nameMatches: true });
    expect(probe.tls?.chain.map((c) => c.subject)).toEqual([`CN=${HOST}`, 'CN=MTA-STS Inspector Test Intermediate', 'CN=MTA-STS Inspector Test Root']);
    expect(probe.tls?.chain[2]?.derBase64).toBe(new X509Certificate(root.cert).raw.toString('base64'));
    await until(() => server.open() === 0);
  });

  it('RFC 3207 §4 / RFC 8461 §4.2: a good chain completes with every field separate and true', async () => {
    const server = await serve(leaves.good!);
    const probe = await probeOne(server);
    expect(probe).toMatchObject({
      outcome: 'ok',
      step: 'quit',
      family: 4,
      starttlsOffered: true,
      starttlsAfterTls: false,
      greeting: { code: 220 },
      ehlo: { code: 250 },
      starttlsReply: { code: 220 },
      tls: { handshakeCompleted: true, trusted: true, nameMatches: true, matchedName: HOST, servername: HOST },
      noSni: { handshakeCompleted: true, differentCertificate: false },
    });
    expect(probe.tls?.trustError).toBeUndefined();
    // RFC 7672 §3.1.2: exactly what the server sent; the trusted root came from our store.
    expect(probe.tls?.chain.map((c) => c.subject)).toEqual([`CN=${HOST}`, 'CN=MTA-STS Inspector Test Intermediate']);
    expect(probe.tls?.daysToExpiry).toBeGreaterThanOrEqual(88);
    // RFC 8461 §7.1: SNI sent on one connection, none on the other (they run at the same time; the
    // server may note the second handshake just after the probe has returned).
    await until(() => server.servernames.length === 2);
    expect([...server.servernames].sort()).toEqual(['', HOST]);
    await until(() => server.open() === 0);
  });

  it.each([
    ['expired', 'CERT_HAS_EXPIRED', 'expired'],
    ['notYetValid', 'CERT_NOT_YET_VALID', 'not-yet-valid'],
    ['selfSigned', 'INVALID_PURPOSE', 'self-signed'],
    ['selfSignedLeaf', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed'],
    ['untrusted', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unknown-issuer'],
    ['missingIntermediate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'missing-intermediate'],
    ['missingNoAia', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unknown-issuer'],
  ])('RFC 8461 §4.2: %s certificate is recorded with trust error %s (%s)', async (leaf, code, kind) => {
    const probe = await probeOne(await serve(leaves[leaf]!));
    expect(probe.outcome).toBe('ok');
    expect(probe.tls).toMatchObject({ handshakeCompleted: true, trusted: false, trustError: { code, kind } });
  });

  it('RFC 8461 §4.2: a trusted certificate for another name is trusted but does not match', async () => {
    const probe = await probeOne(await serve(leaves.wrongName!));
    expect(probe.tls).toMatchObject({ trusted: true, nameMatches: false });
    expect(probe.tls?.matchedName).toBeUndefined();
    expect(probe.tls?.chain[0]?.dnsNames).toEqual(['other.example.test']);
  });

  it('RFC 9525 §6.3: a wildcard certificate matches the MX host', async () => {
    const probe = await probeOne(await serve(leaves.wildcard!));
    expect(probe.tls).toMatchObject({ trusted: true, nameMatches: true, matchedName: '*.example.test' });
  });

  it('RFC 3207 §4: STARTTLS not advertised is no-starttls, with QUIT sent', async () => {
    const server = await serve(leaves.good!, { hideSTARTTLS: true });
    const probe = await probeOne(server);
    expect(probe).toMatchObject({ outcome: 'no-starttls', step: 'ehlo', starttlsOffered: false });
    expect(probe.tls).toBeUndefined();
    expect(probe.message).toMatch(/does not offer STARTTLS/);
    await until(() => server.open() === 0);
  });

  it('RFC 5321 §4.2: a 421 greeting is rate limiting, not a missing STARTTLS', async () => {
    const probe = await probeOne(await serve(leaves.good!, { rejectWith: 421 }));
    expect(probe).toMatchObject({ outcome: 'greeting-rejected', step: 'banner', greeting: { code: 421 } });
    expect(probe.starttlsOffered).toBeUndefined();
    expect(probe.message).toMatch(/refusing connections for now/);
    expect(probe.message).toMatch(/says nothing about STARTTLS/);
  });

  it('RFC 8461 §7.1: the no-SNI connection can be switched off', async () => {
    const server = await serve(leaves.good!);
    const probe = await probeOne(server, { checkNoSni: false });
    expect(probe.noSni).toBeUndefined();
    expect(server.accepted()).toBe(1);
  });

  it('IPv6: probes ::1 like any address', async () => {
    const server = await startSmtpServer({ key: leaves.good!.key, cert: leaves.good!.chain, host: '::1' });
    running.push(server);
    const result = await probeMx({ host: HOST, addresses: ['::1'], port: server.port, allowPrivate: true, ca: [root.cert] });
    expect(result.addresses[0]).toMatchObject({ address: '::1', family: 6, outcome: 'ok', tls: { trusted: true, nameMatches: true } });
  });

  it('probes every address in parallel and returns one result per address', async () => {
    const server = await serve(leaves.good!);
    // 127.0.10.8: nothing listens there (loopback only: tests never leave the machine).
    const result = await probeMx({ host: HOST, addresses: ['127.0.10.1', '127.0.10.1', '127.0.10.8'], port: server.port, allowPrivate: true, ca: [root.cert] });
    expect(result.addresses.map((a) => [a.address, a.outcome])).toEqual([['127.0.10.1', 'ok'], ['127.0.10.8', 'refused']]);
  });
});
