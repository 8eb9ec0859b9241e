// A tiny DNS server for tests: UDP and TCP on the same loopback port, answering through a handler.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { readQuery } from '../../core/dns/packets.ts';

export type Query = { id: number; name: string; type: string; dnssecOk: boolean };
/** Bytes to send, several datagrams in order, or undefined to stay silent. */
export type Reply = Uint8Array | Uint8Array[] | undefined;
export type DnsHandler = (query: Query, transport: 'udp' | 'tcp') => Reply;

export class TestDnsServer {
  readonly hits: { transport: 'udp' | 'tcp'; query: Query }[] = [];
  handler: DnsHandler = () => undefined;
  /** Close TCP connections without answering. */
  tcpHangUp = false;
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;

  constructor(readonly host = '127.0.0.1') {}

  async start(): Promise<this> {
    for (let tries = 0; tries < 20; tries++) {
      const udp = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => udp.bind(0, this.host, resolve));
      const port = udp.address().port;
      const tcp = net.createServer((socket) => this.onTcp(socket));
      const ok = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(port, this.host, () => resolve(true));
      });
      if (ok) {
        this.udp = udp;
        this.tcp = tcp;
        this.port = port;
        udp.on('message', (msg, rinfo) => this.onUdp(msg, rinfo));
        return this;
      }
      udp.close();
    }
    throw new Error('no free port pair for the test DNS server');
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  private onUdp(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const query = readQuery(Uint8Array.from(msg));
    this.hits.push({ transport: 'udp', query });
    const reply = this.handler(query, 'udp');
    for (const datagram of reply === undefined ? [] : Array.isArray(reply) ? reply : [reply]) {
      this.udp?.send(datagram, rinfo.port, rinfo.address);
    }
  }

  private onTcp(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
      const query = readQuery(Uint8Array.from(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
      this.hits.push({ transport: 'tcp', query });
      if (this.tcpHangUp) return void socket.destroy();
      const reply = this.handler(query, 'tcp');
      const message = Array.isArray(reply) ? reply[0] : reply;
      if (!message) return;
      // Written in two pieces: the client must reassemble the frame.
      const framed = Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), Buffer.from(message)]);
      socket.write(framed.subarray(0, 3));
      setImmediate(() => socket.write(framed.subarray(3)));
    });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.udp ? this.udp.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
  }
}
