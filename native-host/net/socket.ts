// TCP connect and TLS upgrade with bounded time, shared by the SMTP probe and the policy fetch.
// Both return values (never throw); sockets are registered with a tracker that destroys them all.
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { connectDiagnosticTls, describeTlsError } from '../tls/tls-info.ts';

const noop = (): void => {};

/** Every socket opened for one address, destroyed together at the end (or on abort). */
export class SocketTracker {
  private readonly sockets = new Set<net.Socket>();

  add<T extends net.Socket>(socket: T): T {
    // A late 'error' after we stopped listening must never crash the helper.
    socket.on('error', noop);
    this.sockets.add(socket);
    return socket;
  }

  /**
   * Newest first: a TLS socket before the TCP socket it wraps. Destroying the TCP socket first while
   * the server's last bytes (221, close_notify) arrive crashes Node 20's TLSWrap (SSL_read on a freed
   * BIO, a segfault seen here); the TLS socket's own destroy closes what it wraps in the right order.
   */
  destroyAll(): void {
    for (const s of [...this.sockets].reverse()) s.destroy();
    this.sockets.clear();
  }
}

export type ConnectResult =
  | { ok: true; socket: net.Socket; ms: number }
  | { ok: false; kind: 'refused' | 'unreachable' | 'timeout' | 'aborted' | 'error'; code?: string; message: string };

const UNREACHABLE = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);

export function connectTcp(
  address: string,
  port: number,
  family: 4 | 6,
  timeoutMs: number,
  tracker: SocketTracker,
  signal: AbortSignal,
): Promise<ConnectResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ ok: false, kind: 'aborted', message: 'cancelled' });
    const socket = tracker.add(net.connect({ host: address, port, family }));
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: ConnectResult): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, kind: 'aborted', message: 'cancelled' });
    const onConnect = (): void => finish({ ok: true, socket, ms: performance.now() - started });
    const onError = (err: NodeJS.ErrnoException): void => {
      const code = err.code ?? 'ERROR';
      if (code === 'ECONNREFUSED') return finish({ ok: false, kind: 'refused', code, message: err.message });
      if (code === 'ETIMEDOUT') return finish({ ok: false, kind: 'timeout', code, message: err.message });
      if (UNREACHABLE.has(code)) return finish({ ok: false, kind: 'unreachable', code, message: err.message });
      finish({ ok: false, kind: 'error', code, message: err.message });
    };
    timer = setTimeout(() => finish({ ok: false, kind: 'timeout', message: `no TCP answer within ${Math.ceil(timeoutMs / 1000)} s` }), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', onConnect);
    socket.on('error', onError);
  });
}

export type TlsResult =
  | { ok: true; socket: TLSSocket; ms: number }
  /** `message`: a clause without a full stop (see describeTlsError). */
  | { ok: false; kind: 'failed' | 'timeout' | 'aborted'; code: string; message: string };

/** Upgrade `socket` to TLS (RFC 3207 §4.2: the handshake starts right after the 220). */
export function upgradeToTls(
  socket: net.Socket,
  servername: string | undefined,
  ca: string[] | undefined,
  timeoutMs: number,
  tracker: SocketTracker,
  signal: AbortSignal,
): Promise<TlsResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ ok: false, kind: 'aborted', code: 'ABORTED', message: 'the check was cancelled before the TLS handshake' });
    let secure: TLSSocket;
    try {
      secure = tracker.add(connectDiagnosticTls({ socket }, servername, ca));
    } catch (err) {
      const e = describeTlsError(err);
      return resolve({ ok: false, kind: 'failed', ...e });
    }
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: TlsResult): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      secure.off('secureConnect', onSecure);
      secure.off('error', onError);
      secure.off('close', onClose);
      if (!result.ok) secure.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, kind: 'aborted', code: 'ABORTED', message: 'the check was cancelled during the TLS handshake' });
    const onSecure = (): void => finish({ ok: true, socket: secure, ms: performance.now() - started });
    const onError = (err: unknown): void => finish({ ok: false, kind: 'failed', ...describeTlsError(err) });
    const onClose = (): void =>
      finish({ ok: false, kind: 'failed', code: 'ECONNRESET', message: 'the server closed the connection during the TLS handshake' });
    timer = setTimeout(
      () => finish({ ok: false, kind: 'timeout', code: 'ETIMEDOUT', message: `the TLS handshake did not finish within ${Math.ceil(timeoutMs / 1000)} s` }),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    secure.once('secureConnect', onSecure);
    secure.on('error', onError);
    secure.once('close', onClose);
  });
}
