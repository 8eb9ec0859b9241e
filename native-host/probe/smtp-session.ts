// SMTP-specific pieces of a probe: writing commands and choosing the EHLO name.
import net from 'node:net';
import os from 'node:os';
import { isLdhDomain } from '../../core/parse/domain-name.ts';

/** Write a command; false when the socket is already gone. */
export function send(socket: net.Socket, line: string): boolean {
  if (socket.destroyed || !socket.writable) return false;
  socket.write(`${line}\r\n`);
  return true;
}

/** Names that are not names on the Internet; a server may check the EHLO name against DNS. */
const LOCAL_SUFFIX = /\.(local|localdomain|lan|home|internal|localhost|home\.arpa)$/i;

/**
 * RFC 5321 §4.1.4: EHLO carries the client's fully-qualified domain name, or, when it has no
 * meaningful one, an address literal (§4.1.3). We use the machine's name only if it is an FQDN
 * that could exist in the DNS; otherwise the literal of the local address of this connection,
 * which is always RFC-valid (unlike an invented name that some servers reject as unresolvable).
 */
export function defaultEhloName(localAddress: string | undefined, hostname: string = os.hostname()): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.includes('.') && isLdhDomain(host) && !LOCAL_SUFFIX.test(host)) return host;
  const local = (localAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  if (net.isIPv4(local)) return `[${local}]`;
  if (net.isIPv6(local)) return `[IPv6:${local}]`;
  return '[127.0.0.1]';
}
