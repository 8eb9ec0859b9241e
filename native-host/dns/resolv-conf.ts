// The nameservers of /etc/resolv.conf (resolv.conf(5)), and "host[:port]" server addresses.
import { isIP } from 'node:net';

/** glibc reads at most three nameserver lines (MAXNS). */
export const MAX_NAMESERVERS = 3;
export const DEFAULT_NAMESERVER = '127.0.0.1';
const MAX_RESOLV_CONF_CHARS = 64 * 1024;

export interface ServerAddress {
  host: string;
  port: number;
  family: 4 | 6;
}

/** Nameserver addresses in file order; lines that are not an IP address are skipped. */
export function parseResolvConf(text: string): string[] {
  const servers: string[] = [];
  for (const raw of text.slice(0, MAX_RESOLV_CONF_CHARS).split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [keyword, value] = line.split(/\s+/);
    if (keyword !== 'nameserver' || !value) continue;
    if (parseServerAddress(value) && servers.length < MAX_NAMESERVERS) servers.push(value);
  }
  return servers;
}

/** "192.0.2.53", "192.0.2.53:5353", "::1", "[::1]:5353", "fe80::1%eth0"; port 53 by default. */
export function parseServerAddress(text: string): ServerAddress | undefined {
  let host = text.trim();
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(host);
  if (bracketed) {
    host = bracketed[1] ?? '';
    if (bracketed[2]) port = Number(bracketed[2]);
  } else {
    const v4port = /^([\d.]+):(\d{1,5})$/.exec(host);
    if (v4port) {
      host = v4port[1] ?? '';
      port = Number(v4port[2]);
    }
  }
  if (port < 1 || port > 65535) return undefined;
  const family = isIP(host.replace(/%[\w.-]+$/, ''));
  return family === 4 || family === 6 ? { host, port, family } : undefined;
}

export function formatServer(server: ServerAddress): string {
  const host = server.family === 6 ? `[${server.host}]` : server.host;
  return server.port === 53 ? server.host : `${host}:${server.port}`;
}
