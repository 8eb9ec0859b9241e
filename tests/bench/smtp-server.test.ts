// The bench's own SMTP server (greets at once, so the bound needs no server think time) must speak
// enough ESMTP + STARTTLS for our prober to judge it a fully correct MX. No timing assertions.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer } from '../../bench/net/smtp-server.ts';
import type { Listening } from '../../bench/net/servers.ts';
import { probeMx } from '../../native-host/probe/probe-mx.ts';
import { TestPki, type CertificateAuthority } from '../helpers/pki.ts';

const HOST = 'mx1.bench.test';
let pki: TestPki;
let root: CertificateAuthority;
let server: Listening;

beforeAll(async () => {
  pki = new TestPki();
  root = pki.createRoot();
  const leaf = pki.issueLeaf(pki.createIntermediate(root), { dnsNames: [HOST] });
  server = await startSmtpServer(HOST, { key: leaf.key, chain: leaf.chain });
});
afterAll(async () => {
  await server.close();
  pki.dispose();
});

/** Collects what a stream says until `until` matches the text so far. */
function readUntil(stream: net.Socket | tls.TLSSocket, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (d: Buffer): void => {
      got += d.toString('latin1');
      if (until.test(got)) {
        stream.off('data', onData);
        resolve(got);
      }
    };
    stream.on('data', onData);
    stream.once('error', reject);
    stream.once('close', () => resolve(got));
  });
}

describe('bench SMTP server', () => {
  it('RFC 5321 §4.3.1: greets before the client says anything', async () => {
    const c = net.connect(server.port, '127.0.0.1');
    const greeting = await readUntil(c, /\r\n$/);
    c.destroy();
    expect(greeting).toBe(`220 ${HOST} ESMTP bench\r\n`);
  });

  it.each([
    { sent: 'EHLO client.test', expected: /^250-mx1\.bench\.test\r\n(250-[A-Z0-9 ]+\r\n)*250-STARTTLS\r\n250 SMTPUTF8\r\n$/ },
    { sent: 'NOOP', expected: /^250 / },
    { sent: 'MAIL FROM:<a@b.test>', expected: /^502 / },
    { sent: 'QUIT', expected: /^221 / },
    { sent: 'x'.repeat(5000), expected: /^500 5\.5\.2 / },
  ])('RFC 5321 §4.2: "$sent" before TLS is answered $expected', async ({ sent, expected }) => {
    const c = net.connect(server.port, '127.0.0.1');
    await readUntil(c, /\r\n$/);
    const reply = readUntil(c, /(^|\n)\d{3} [^\r\n]*\r\n$/);
    c.write(sent.length > 4096 ? sent : `${sent}\r\n`);
    const text = await reply;
    c.destroy();
    expect(text).toMatch(expected);
  });

  it('RFC 3207 §4.2: after STARTTLS, pipelined text is dropped and EHLO no longer offers STARTTLS', async () => {
    const c = net.connect(server.port, '127.0.0.1');
    await readUntil(c, /\r\n$/);
    const ready = readUntil(c, /\r\n$/);
    c.write('STARTTLS\r\nNOOP\r\n');
    expect(await ready).toMatch(/^220 /);
    const secure = tls.connect({ socket: c, servername: HOST, ca: [root.cert] });
    await new Promise<void>((r, j) => secure.once('secureConnect', () => r()).once('error', j));
    const ehlo = readUntil(secure, /\n250 [^\r\n]*\r\n$/);
    secure.write('EHLO client.test\r\n');
    const text = await ehlo;
    secure.destroy();
    expect(text).not.toMatch(/^250 mx1/m); // the pipelined NOOP was not answered
    expect(text).not.toContain('STARTTLS');
    expect(text).toMatch(/^250-mx1\.bench\.test\r\n/);
  });

  it('RFC 8461 §7.1: our prober finds a fully correct MX (with and without SNI)', async () => {
    const result = await probeMx({ host: HOST, addresses: ['127.0.0.1'], port: server.port, allowPrivate: true, ca: [root.cert], timeoutMs: 10_000 });
    const probe = result.addresses[0];
    expect(probe?.outcome).toBe('ok');
    expect(probe?.starttlsAfterTls).toBe(false);
    expect(probe?.tls?.trusted).toBe(true);
    expect(probe?.noSni?.handshakeCompleted).toBe(true);
  });
});
