// Servers that break in one precise way each; the probe must say which step and why.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TestPki, type Issued } from '../../helpers/pki.ts';
import { probeMx, type ProbeMxParams } from '../../../native-host/probe/probe-mx.ts';
import { MxProbeResultSchema, type AddressProbe } from '../../../core/protocol/probe.ts';
import { closedPort, startRawServer, startScriptedServer, until, type Running, type Script } from './smtp-servers.ts';

const HOST = 'mx.example.test';
const ADDRESS = '127.0.10.1';
let pki: TestPki;
let rootPem: string;
let leaf: Issued;
const running: Running[] = [];

beforeAll(() => {
  pki = new TestPki();
  const root = pki.createRoot();
  rootPem = root.cert;
  leaf = pki.issueLeaf(pki.createIntermediate(root), { dnsNames: [HOST] });
});
afterAll(() => pki.dispose());
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function probe(port: number, extra: Partial<ProbeMxParams> = {}): Promise<AddressProbe> {
  const result = await probeMx({
    host: HOST,
    addresses: [ADDRESS],
    port,
    allowPrivate: true,
    ca: [rootPem],
    stepTimeouts: { connectMs: 2000, bannerMs: 2000, stepMs: 2000 },
    ...extra,
  });
  expect(MxProbeResultSchema.safeParse(result).success).toBe(true);
  return result.addresses[0]!;
}

async function scripted(script: Script): Promise<Running> {
  const server = await startScriptedServer({ tls: { key: leaf.key, cert: leaf.chain }, ...script });
  running.push(server);
  return server;
}

async function raw(handler: Parameters<typeof startRawServer>[0]): Promise<Running> {
  const server = await startRawServer(handler);
  running.push(server);
  return server;
}

describe('probeMx against misbehaving servers', () => {
  it.each<[string, Script, Partial<AddressProbe>, RegExp]>([
    ['RFC 3207 §4: 454 to STARTTLS', { starttls: '454 4.7.0 TLS not available due to local problem\r\n' },
      { outcome: 'starttls-rejected', step: 'starttls', starttlsOffered: true, starttlsReply: { code: 454, lines: ['4.7.0 TLS not available due to local problem'] } },
      /temporarily unavailable/],
    ['RFC 3207 §4: 501 to STARTTLS', { starttls: '501 5.5.4 Syntax error\r\n' }, { outcome: 'starttls-rejected', step: 'starttls' }, /syntax error/],
    ['RFC 5321 §4.2: a 554 greeting', { greeting: '554 5.7.1 No SMTP service here\r\n' }, { outcome: 'greeting-rejected', step: 'banner' }, /not a STARTTLS problem/],
    ['RFC 5321 §4.2: a multi-line greeting is fine', { greeting: '220-mx.example.test\r\n220-second line\r\n220 ready\r\n' },
      { outcome: 'ok', greeting: { code: 220, lines: ['mx.example.test', 'second line', 'ready'] } }, /handshake completed/],
    ['RFC 5321 §4.1.4: EHLO rejected', { ehlo: '550 5.7.1 go away\r\n' }, { outcome: 'ehlo-rejected', step: 'ehlo', ehlo: { code: 550, lines: ['5.7.1 go away'] } }, /does not accept this client/],
    ['RFC 5321 §4.2: thousands of EHLO lines', { ehlo: '250-X-EXTENSION\r\n'.repeat(5000) + '250 OK\r\n' }, { outcome: 'protocol-error', step: 'ehlo' }, /more than 200 lines/],
    ['RFC 5321 §4.2: a greeting that is not SMTP', { greeting: 'HTTP/1.1 400 Bad Request\r\n' }, { outcome: 'protocol-error', step: 'banner' }, /not an SMTP reply/],
    ['RFC 3207 §4.2: garbage instead of a TLS handshake', { afterStarttls: 'garbage' }, { outcome: 'tls-failed', step: 'tls', tls: expect.objectContaining({ handshakeCompleted: false }) }, /did not answer with TLS/],
    ['RFC 3207 §4.2: STARTTLS advertised again after TLS', { ehloAfterTls: '250-raw.example.test\r\n250-STARTTLS\r\n250 OK\r\n' },
      { outcome: 'ok', starttlsAfterTls: true }, /RFC 3207 §4\.2 forbids/],
    ['RFC 3207 §4.2: data after 220 to STARTTLS', { starttls: '220 go ahead\r\n250 injected\r\n' }, { outcome: 'protocol-error', step: 'starttls' }, /more bytes before the TLS handshake/],
    ['close before the greeting', { closeAt: 'connect' }, { outcome: 'closed', step: 'banner' }, /closed the connection before greeting/],
    ['close after EHLO', { closeAt: 'ehlo' }, { outcome: 'closed', step: 'ehlo' }, /closed the connection during the reply to EHLO/],
    ['close after STARTTLS', { closeAt: 'starttls' }, { outcome: 'closed', step: 'starttls' }, /closed the connection during the reply to STARTTLS/],
    ['close during the TLS handshake', { closeAt: 'tls-hello' }, { outcome: 'tls-failed', step: 'tls' }, /handshake failed/],
  ])('%s', async (_name, script, expected, message) => {
    const server = await scripted(script);
    const result = await probe(server.port);
    expect(result).toMatchObject(expected);
    expect(result.message).toMatch(message);
    await until(() => server.open() === 0);
  });

  it('RFC 3207 §4.2: garbage instead of TLS is explained once, in words, with the OpenSSL code kept', async () => {
    const server = await scripted({ afterStarttls: 'garbage' });
    const result = await probe(server.port);
    expect(result.message).toBe('STARTTLS was accepted but the TLS handshake failed: the server did not answer with TLS (it sent something else: wrong version number).');
    expect(result.tls?.error).toEqual({ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'the server did not answer with TLS (it sent something else: wrong version number)' });
  });

  it('RFC 8461 §7.1: a server that requires SNI: the no-SNI error is the handshake clause, not a nested sentence', async () => {
    const server = await scripted({ requireSni: true });
    const result = await probe(server.port);
    expect(result).toMatchObject({ outcome: 'ok', tls: { handshakeCompleted: true, servername: HOST }, noSni: { handshakeCompleted: false } });
    expect(result.noSni?.error).toMatch(/^the server (aborted the handshake|ended the handshake with a TLS alert|closed the connection)/);
    expect(result.noSni?.error).not.toMatch(/STARTTLS was accepted|error:|SSL routines/);
    expect(server.servernames).toEqual([HOST]);
  });

  it('RFC 8461 §7.1: the no-SNI session runs alongside the main one, not after it', async () => {
    // Nobody is greeted until both connections are open: one after the other would time out at the banner.
    const server = await scripted({ greetWhenOpen: 2 });
    const result = await probe(server.port);
    expect(result).toMatchObject({ outcome: 'ok', step: 'quit', noSni: { handshakeCompleted: true, differentCertificate: false } });
    expect(server.accepted()).toBe(2);
    await until(() => server.servernames.length === 2);
    expect([...server.servernames].sort()).toEqual(['', HOST]);
  });

  it('RFC 8461 §7.1: a 421 to the concurrent no-SNI connection is retried after the main session, not taken as "requires SNI"', async () => {
    const server = await scripted({ onePerClient: true });
    const result = await probe(server.port);
    expect(result).toMatchObject({ outcome: 'ok', noSni: { handshakeCompleted: true, differentCertificate: false } });
    expect(server.accepted()).toBe(3);
    await until(() => server.open() === 0);
  });

  it('RFC 5321 §4.1.1.10: QUIT is sent on both sessions without waiting for the 221', { timeout: 4000 }, async () => {
    // The server never answers QUIT: a client waiting for 221 would sit out its QUIT timeout (seconds).
    const server = await scripted({ silentQuit: true });
    const result = await probe(server.port, { stepTimeouts: { stepMs: 20_000 } });
    expect(result).toMatchObject({ outcome: 'ok', step: 'quit', noSni: { handshakeCompleted: true } });
    await until(() => server.quits?.() === 2);
    await until(() => server.open() === 0);
  });

  it('RFC 8461 §7.1: when the main session fails, the no-SNI one is dropped and closed', async () => {
    const server = await scripted({ ehlo: '550 5.7.1 go away\r\n' });
    const result = await probe(server.port);
    expect(result).toMatchObject({ outcome: 'ehlo-rejected', step: 'ehlo' });
    expect(result.noSni).toBeUndefined();
    await until(() => server.open() === 0);
  });

  it('RFC 5321 §4.5.3.2: silent after connect is a banner timeout (tarpit), not a refusal', async () => {
    const server = await raw(() => {});
    const result = await probe(server.port, { stepTimeouts: { bannerMs: 300 } });
    expect(result).toMatchObject({ outcome: 'timeout', step: 'banner' });
    expect(result.message).toMatch(/no greeting came/);
    await until(() => server.open() === 0);
  });

  it('RFC 5321 §4.2: an endless banner becomes a protocol error', async () => {
    const server = await raw((socket) => {
      const timer = setInterval(() => socket.writable && socket.write('220-still greeting you\r\n'.repeat(50)), 5);
      socket.on('close', () => clearInterval(timer));
    });
    const result = await probe(server.port);
    expect(result).toMatchObject({ outcome: 'protocol-error', step: 'banner' });
    expect(result.message).toMatch(/more than 200 lines/);
  });

  it('RFC 5321 §4.5.3.1.5: a line without CRLF becomes a protocol error', async () => {
    const server = await raw((socket) => socket.write(`220 ${'x'.repeat(5000)}`));
    const result = await probe(server.port);
    expect(result).toMatchObject({ outcome: 'protocol-error', step: 'banner' });
    expect(result.message).toMatch(/no end \(no CRLF\)/);
  });

  it('connection refused', async () => {
    const result = await probe(await closedPort());
    expect(result).toMatchObject({ outcome: 'refused', step: 'connect' });
    expect(result.message).toMatch(/refused/);
  });

  it('RFC 8461 §7.2: a TLS 1.0-only server is probed and its version recorded', async () => {
    const server = await scripted({
      tls: { key: leaf.key, cert: leaf.chain, minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' },
    });
    const result = await probe(server.port);
    expect(result).toMatchObject({ outcome: 'ok', tls: { handshakeCompleted: true, protocol: 'TLSv1' } });
  });

  it('a signal aborts the probe and closes its socket', async () => {
    const server = await raw(() => {});
    const controller = new AbortController();
    const pending = probe(server.port, { signal: controller.signal, stepTimeouts: { bannerMs: 20_000 } });
    await until(() => server.accepted() >= 1);
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ outcome: 'error', step: 'banner', message: 'The probe was cancelled.' });
    await until(() => server.open() === 0);
  });

  it('the total time limit per address stops a slow server', async () => {
    const server = await raw(() => {});
    const result = await probe(server.port, { timeoutMs: 300, stepTimeouts: { bannerMs: 20_000 } });
    expect(result).toMatchObject({ outcome: 'timeout', step: 'banner' });
  });
});

describe('private-address gate', () => {
  it.each([
    ['127.0.10.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['::1', 'loopback'],
    ['::ffff:127.0.10.1', 'loopback'],
  ])('refuses %s (%s) unless allowed, without connecting', async (address, kind) => {
    vi.stubEnv('MTA_STS_INSPECTOR_ALLOW_PRIVATE', '');
    const result = await probeMx({ host: HOST, addresses: [address], port: 25, allowPrivate: false });
    expect(result.addresses[0]).toMatchObject({ outcome: 'refused-private', step: 'connect' });
    expect(result.addresses[0]?.message).toContain(kind);
  });

  it('refuses loopback by default and no connection is made', async () => {
    vi.stubEnv('MTA_STS_INSPECTOR_ALLOW_PRIVATE', '');
    const server = await scripted({});
    const result = await probeMx({ host: HOST, addresses: [ADDRESS], port: server.port });
    expect(result.addresses[0]?.outcome).toBe('refused-private');
    expect(server.accepted()).toBe(0);
  });

  it('MTA_STS_INSPECTOR_ALLOW_PRIVATE=1 lets the probe through', async () => {
    vi.stubEnv('MTA_STS_INSPECTOR_ALLOW_PRIVATE', '1');
    const server = await scripted({});
    const result = await probeMx({ host: HOST, addresses: [ADDRESS], port: server.port, ca: [rootPem] });
    expect(result.addresses[0]?.outcome).toBe('ok');
  });

  it('an invalid address is an error, never contacted', async () => {
    const result = await probeMx({ host: HOST, addresses: ['0x7f.0.0.1'], port: 25, allowPrivate: true });
    expect(result.addresses[0]).toMatchObject({ outcome: 'error', step: 'connect' });
  });
});
