// A minimal RFC 8484 DoH server on loopback for in-process CLI tests: answers from a static zone,
// NXDOMAIN for unknown names, NODATA for known names without the asked type.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from '@dnsquery/dns-packet';

export type ZoneRecord =
  | { name: string; type: 'A' | 'AAAA'; data: string }
  | { name: string; type: 'MX'; data: { preference: number; exchange: string } }
  | { name: string; type: 'TXT'; data: string };

export interface DohServer {
  url: string;
  queries: { name: string; type: string }[];
  close(): Promise<void>;
}

export async function startDohServer(records: ZoneRecord[], host = '127.0.20.1'): Promise<DohServer> {
  const queries: { name: string; type: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Uint8Array) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = req.method === 'GET' ? Buffer.from(url.searchParams.get('dns') ?? '', 'base64url') : Buffer.concat(chunks);
      const query = dnsPacket.decode(body);
      const q = query.questions?.[0];
      if (!q) {
        res.writeHead(400).end();
        return;
      }
      queries.push({ name: q.name, type: q.type });
      const name = q.name.toLowerCase().replace(/\.$/, '');
      const owned = records.filter((r) => r.name === name);
      const answers = owned
        .filter((r) => r.type === q.type)
        .map((r) => ({ name: q.name, type: r.type, class: 'IN', ttl: 300, data: r.type === 'TXT' ? [r.data] : r.data }) as dnsPacket.Answer);
      const reply = dnsPacket.encode({
        type: 'response',
        id: query.id ?? 0,
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (owned.length === 0 ? 3 : 0),
        questions: [q],
        answers,
      });
      res.writeHead(200, { 'content-type': 'application/dns-message', 'content-length': reply.length }).end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/dns-query`,
    queries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
