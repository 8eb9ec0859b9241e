// The bench's latency proxies must deliver every byte, in order, both ways; the delay itself is
// not asserted (no timing assertions in tests).
import { createSocket } from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpDelayProxy, startUdpDelayProxy, type DelayProxy } from '../../bench/net/delay-proxy.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(): Promise<number> {
  const server = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

const track = (p: DelayProxy) => (cleanups.push(() => p.close()), p);

describe('bench delay proxies', () => {
  it.each([{ chunks: 1 }, { chunks: 50 }])('TCP: a client-first stream of $chunks chunks comes back whole and in order', async ({ chunks }) => {
    const upstream = await echoServer();
    const proxy = track(await startTcpDelayProxy({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: upstream }, 1));
    const sent = Array.from({ length: chunks }, (_, i) => `chunk-${i};`).join('');
    const received = await new Promise<string>((resolve, reject) => {
      const c = net.connect(proxy.port, '127.0.0.1');
      let got = '';
      c.on('data', (d) => {
        got += d.toString();
        if (got.length >= sent.length) (c.end(), resolve(got));
      });
      c.on('error', reject);
      // Written at once, before the proxy has opened its upstream connection: must be queued, not lost.
      for (let i = 0; i < chunks; i++) c.write(`chunk-${i};`);
    });
    expect(received).toBe(sent);
  });

  it('TCP: a server-first greeting reaches the client', async () => {
    const server = net.createServer((s) => s.end('220 hello\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const proxy = track(await startTcpDelayProxy({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, 1));
    const greeting = await new Promise<string>((resolve, reject) => {
      const c = net.connect(proxy.port, '127.0.0.1');
      let got = '';
      c.on('data', (d) => (got += d.toString()));
      c.on('end', () => resolve(got));
      c.on('error', reject);
    });
    expect(greeting).toBe('220 hello\r\n');
  });

  it('UDP: each datagram is relayed and the answer returns to the sender', async () => {
    const server = createSocket('udp4');
    server.on('message', (m, r) => server.send(Buffer.concat([Buffer.from('re:'), m]), r.port, r.address));
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    cleanups.push(() => void server.close());
    const proxy = track(await startUdpDelayProxy({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: server.address().port }, 1));
    const client = createSocket('udp4');
    cleanups.push(() => void client.close());
    const answers = new Promise<string[]>((resolve) => {
      const got: string[] = [];
      client.on('message', (m) => (got.push(m.toString()), got.length === 3 && resolve(got.sort())));
    });
    for (const q of ['a', 'b', 'c']) client.send(q, proxy.port, '127.0.0.1');
    expect(await answers).toEqual(['re:a', 're:b', 're:c']);
  });
});
