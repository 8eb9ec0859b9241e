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

// why: Node's own listener type (EventEmitter.on takes `(...args: any[]) => void`).
type Listener = (...args: any[]) => void;

/**
 * The first of `socket`'s events (`on`), the time limit or the abort signal settles the promise,
 * once; every listener and the timer go with it, and a failed socket is destroyed. The one shape
 * of connectTcp and upgradeToTls.
 */
function settleOnce<T extends { ok: boolean }>(
  socket: net.Socket,
  signal: AbortSignal,
  timeoutMs: number,
  outcomes: { timeout: () => T; aborted: () => T },
  on: (finish: (result: T) => void) => Record<string, Listener>,
): Promise<T> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let listeners: [string, Listener][] = [];
    const finish = (result: T): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      for (const [event, listener] of listeners) socket.off(event, listener);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish(outcomes.aborted());
    listeners = Object.entries(on(finish));
    timer = setTimeout(() => finish(outcomes.timeout()), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    for (const [event, listener] of listeners) socket.on(event, listener);
  });
}

export type ConnectResult =
  | { ok: true; socket: net.Socket; ms: number }
  | { ok: false; kind: 'refused' | 'unreachable' | 'timeout' | 'aborted' | 'error'; code?: string; message: string };

const UNREACHABLE = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);

function connectFailure(err: NodeJS.ErrnoException): ConnectResult {
  const code = err.code ?? 'ERROR';
  if (code === 'ECONNREFUSED') return { ok: false, kind: 'refused', code, message: err.message };
  if (code === 'ETIMEDOUT') return { ok: false, kind: 'timeout', code, message: err.message };
  if (UNREACHABLE.has(code)) return { ok: false, kind: 'unreachable', code, message: err.message };
  return { ok: false, kind: 'error', code, message: err.message };
}

export function connectTcp(
  address: string,
  port: number,
  family: 4 | 6,
  timeoutMs: number,
  tracker: SocketTracker,
  signal: AbortSignal,
): Promise<ConnectResult> {
  const started = performance.now();
  if (signal.aborted) return Promise.resolve({ ok: false, kind: 'aborted', message: 'cancelled' });
  const socket = tracker.add(net.connect({ host: address, port, family }));
  return settleOnce<ConnectResult>(
    socket,
    signal,
    timeoutMs,
    {
      timeout: () => ({ ok: false, kind: 'timeout', message: `no TCP answer within ${Math.ceil(timeoutMs / 1000)} s` }),
      aborted: () => ({ ok: false, kind: 'aborted', message: 'cancelled' }),
    },
    (finish) => ({
      connect: () => finish({ ok: true, socket, ms: performance.now() - started }),
      error: (err: NodeJS.ErrnoException) => finish(connectFailure(err)),
    }),
  );
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
  if (signal.aborted) return Promise.resolve({ ok: false, kind: 'aborted', code: 'ABORTED', message: 'the check was cancelled before the TLS handshake' });
  let secure: TLSSocket;
  try {
    secure = tracker.add(connectDiagnosticTls({ socket }, servername, ca));
  } catch (err) {
    return Promise.resolve({ ok: false, kind: 'failed', ...describeTlsError(err) });
  }
  return settleOnce<TlsResult>(
    secure,
    signal,
    timeoutMs,
    {
      timeout: () => ({ ok: false, kind: 'timeout', code: 'ETIMEDOUT', message: `the TLS handshake did not finish within ${Math.ceil(timeoutMs / 1000)} s` }),
      aborted: () => ({ ok: false, kind: 'aborted', code: 'ABORTED', message: 'the check was cancelled during the TLS handshake' }),
    },
    (finish) => ({
      secureConnect: () => finish({ ok: true, socket: secure, ms: performance.now() - started }),
      error: (err: unknown) => finish({ ok: false, kind: 'failed', ...describeTlsError(err) }),
      close: () => finish({ ok: false, kind: 'failed', code: 'ECONNRESET', message: 'the server closed the connection during the TLS handshake' }),
    }),
  );
}
