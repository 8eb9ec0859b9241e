// TLS evidence from a connected socket: the chain, OpenSSL's trust verdict in our words, and
// the RFC 9525 name check, kept apart so a report can say "trusted but wrong name".
// Connections are made with rejectUnauthorized: false and a no-op checkServerIdentity, so
// `socket.authorized` reflects the chain only and we still see (and record) bad certificates.
import { createHash } from 'node:crypto';
import { connect, createSecureContext, type ConnectionOptions, type SecureContext, type TLSSocket } from 'node:tls';
import type { Certificate, TlsInfo, TrustError } from '../../core/protocol/tls.ts';
import { certNameMatches } from '../../core/net/cert-name.ts';
import { caIssuersUris, isSelfSignedDer, keepPeerChain, peerChainEvidence } from './certificate.ts';
import { storedAnchors } from './trust-store.ts';

const DAY_MS = 86_400_000;

/** Distinct trusted-root lists kept at once (tests use one or two; a bound all the same). */
const MAX_CACHED_CONTEXTS = 8;
const contexts = new Map<string, SecureContext>();

/**
 * The secure context for a root list, built once and shared: building one from every bundled root
 * plus the extra ones for each connection costs memory per connection. Keyed by a hash of the PEMs;
 * the oldest entry is dropped when the cache is full. May throw on an unusable PEM (callers catch).
 */
export function diagnosticSecureContext(ca?: string[]): SecureContext {
  const extra = ca && ca.length > 0 ? ca : undefined;
  const key = extra ? createHash('sha256').update(extra.join('\n')).digest('hex') : 'default';
  const cached = contexts.get(key);
  if (cached) return cached;
  const context = createSecureContext({
    minVersion: 'TLSv1',
    ciphers: 'DEFAULT:@SECLEVEL=0',
    // Always our own store (bundled roots, NODE_EXTRA_CA_CERTS, extra), never Node's default one:
    // its self-signed anchors are marked so the recorded chain holds only what the server sent.
    ca: storedAnchors(extra),
  });
  if (contexts.size >= MAX_CACHED_CONTEXTS) {
    const oldest = contexts.keys().next().value;
    if (oldest !== undefined) contexts.delete(oldest);
  }
  contexts.set(key, context);
  return context;
}

/** How many secure contexts are cached (tests: memory must not grow per connection). */
export function cachedSecureContexts(): number {
  return contexts.size;
}

/**
 * TLS client options for a diagnostic connection. The store holds Node's bundled roots,
 * NODE_EXTRA_CA_CERTS and `ca` (tests), see trust-store.ts. TLS 1.0/1.1 and
 * SECLEVEL 0 are allowed (in the shared secure context) so an old server is reported as "TLSv1"
 * instead of an opaque failure; the checks judge the version (RFC 8461 §7.2).
 */
export function diagnosticTlsOptions(servername: string | undefined, ca?: string[]): ConnectionOptions {
  return {
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
    secureContext: diagnosticSecureContext(ca),
    ...(servername ? { servername } : {}),
  };
}

/**
 * tls.connect with diagnosticTlsOptions. Node builds the detailed peer chain for its identity check
 * once the chain verifies; our check (still a no-op: nameMatches is ours) keeps it for
 * tlsInfoFromSocket, which would otherwise ask Node to build it a second time.
 */
export function connectDiagnosticTls(target: ConnectionOptions, servername: string | undefined, ca?: string[]): TLSSocket {
  let socket: TLSSocket | undefined;
  socket = connect({
    ...target,
    ...diagnosticTlsOptions(servername, ca),
    checkServerIdentity: (_host, peer) => {
      // Called after the handshake, never from within connect() itself, so `socket` is set.
      if (socket) keepPeerChain(socket, peer);
      return undefined;
    },
  });
  return socket;
}

/** The host name for SNI: no trailing dot (RFC 6066 §3), never an IP literal. */
export function sniName(host: string): string | undefined {
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  if (bare.length === 0 || /^[0-9.]+$/.test(bare) || bare.includes(':')) return undefined;
  return bare.toLowerCase();
}

const TRUST_MESSAGES: Record<TrustError['kind'], string> = {
  expired: 'A certificate in the chain has expired.',
  'not-yet-valid': 'A certificate in the chain is not valid yet (check the server clock and the notBefore date).',
  'self-signed': 'The certificate is self-signed (or the chain ends in a root nobody trusts); senders cannot validate it.',
  'unknown-issuer': 'The chain does not lead to a trusted root CA: the certificate was issued by a private or unknown CA.',
  'missing-intermediate':
    'The server sends only its own certificate, without the intermediate CA certificate(s) that link it to a trusted root. ' +
    'Browsers may fetch the missing certificate themselves; mail servers do not. Configure the full chain.',
  other: 'The certificate chain does not verify.',
};

/**
 * OpenSSL's code in our words. OpenSSL reports only the last problem it met, so a self-signed leaf
 * (RFC 5280 §3.2) comes as INVALID_PURPOSE, CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE… as
 * well as DEPTH_ZERO_SELF_SIGNED_CERT: the leaf itself decides, whatever the code (kept in `code`).
 * A lone leaf whose issuer is unknown is the same error whether the
 * intermediate is missing or the CA is private: a leaf that names where its issuer certificate is
 * published (AIA caIssuers, RFC 5280 §4.2.2.1) comes from a public CA, which never issues from a root
 * (CA/Browser Forum baseline requirements), so the intermediate is missing; without it, a private CA.
 */
export function classifyTrustError(code: string, chain: Uint8Array[]): TrustError['kind'] {
  const leaf = chain[0];
  if (leaf && isSelfSignedDer(leaf)) return 'self-signed';
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'expired';
    case 'CERT_NOT_YET_VALID':
      return 'not-yet-valid';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'self-signed';
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT': {
      if (chain.length === 1 && leaf && caIssuersUris(leaf).length > 0) return 'missing-intermediate';
      return 'unknown-issuer';
    }
    default:
      return 'other';
  }
}

/** For a code we have no words for: a validity problem the leaf shows (self-signed is decided above). */
function evidentProblem(leaf: Certificate, now: Date): TrustError['kind'] | undefined {
  if (Date.parse(leaf.validTo) < now.getTime()) return 'expired';
  if (Date.parse(leaf.validFrom) > now.getTime()) return 'not-yet-valid';
  return undefined;
}

function errorCode(value: unknown): string | undefined {
  // Node sets authorizationError to the OpenSSL code string, although its types say Error.
  if (typeof value === 'string') return value;
  if (value instanceof Error) return (value as NodeJS.ErrnoException).code ?? value.message;
  return undefined;
}

export interface TlsInfoOptions {
  /** The SNI that was sent (undefined: none). */
  servername?: string;
  now?: Date;
}

/** Evidence from a socket whose handshake completed. Never throws. */
export function tlsInfoFromSocket(socket: TLSSocket, expectedHost: string, options: TlsInfoOptions = {}): TlsInfo {
  const { der: chainDer, certificates: chain } = peerChainEvidence(socket);
  const leaf = chain[0];
  const code = errorCode(socket.authorizationError);
  // The hostname check is ours (nameMatches), so Node's own altname error is not a trust failure.
  const chainOk = socket.authorized || code === 'ERR_TLS_CERT_ALTNAME_INVALID';
  let trustError: TrustError | undefined;
  if (!chainOk) {
    let kind = classifyTrustError(code ?? 'UNKNOWN', chainDer);
    // An unnamed code (CERT_REVOKED, INVALID_PURPOSE on a CA-issued leaf…): name the more basic
    // problem the evidence shows, if any.
    if (kind === 'other' && leaf) kind = evidentProblem(leaf, options.now ?? new Date()) ?? 'other';
    trustError = {
      code: (code ?? 'UNKNOWN').slice(0, 128),
      kind,
      message: leaf || kind !== 'other' ? TRUST_MESSAGES[kind] : 'The server presented no certificate.',
    };
  }
  const matchedName = leaf ? certNameMatches(leaf.dnsNames, expectedHost) : undefined;
  const cipher = safe(() => socket.getCipher()?.name);
  const protocol = safe(() => socket.getProtocol() ?? undefined);
  const now = (options.now ?? new Date()).getTime();
  return {
    handshakeCompleted: true,
    ...(protocol ? { protocol: protocol.slice(0, 32) } : {}),
    ...(cipher ? { cipher: cipher.slice(0, 128) } : {}),
    ...(options.servername ? { servername: options.servername } : {}),
    chain,
    trusted: chainOk && chain.length > 0,
    ...(trustError ? { trustError } : {}),
    nameMatches: matchedName !== undefined,
    ...(matchedName !== undefined ? { matchedName } : {}),
    ...(leaf ? { daysToExpiry: Math.floor((Date.parse(leaf.validTo) - now) / DAY_MS) } : {}),
  };
}

/** Evidence for a handshake that did not complete. */
export function failedTlsInfo(error: { code: string; message: string }, servername?: string): TlsInfo {
  return {
    handshakeCompleted: false,
    ...(servername ? { servername } : {}),
    chain: [],
    trusted: false,
    nameMatches: false,
    error: { code: error.code.slice(0, 128), message: error.message.slice(0, 1024) },
  };
}

/**
 * OpenSSL's reason ("wrong version number") without its error-stack noise
 * ("80AC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:file.c:350:").
 */
export function opensslReason(err: unknown): string | undefined {
  const e = err as { reason?: unknown; message?: unknown } | undefined;
  const raw = typeof e?.message === 'string' ? e.message : typeof err === 'string' ? err : '';
  const fromStack = /error:[0-9A-Fa-f]{6,8}:[^:\n]*:[^:\n]*:([^:\n]+)/.exec(raw)?.[1];
  const reason = typeof e?.reason === 'string' && e.reason ? e.reason : fromStack;
  const cleaned = (reason ?? (raw.includes('error:') ? '' : raw)).replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
  return cleaned ? cleaned.slice(0, 200) : undefined;
}

/**
 * A TLS handshake error as a clause a postmaster understands (no leading capital, no full stop:
 * callers build sentences around it, e.g. "the TLS handshake failed: <clause>."); OpenSSL's
 * code stays in `code` and its reason in parentheses.
 */
export function describeTlsError(err: unknown): { code: string; message: string } {
  const e = err as (NodeJS.ErrnoException & { reason?: string }) | undefined;
  const code = typeof e?.code === 'string' && e.code ? e.code : 'TLS_ERROR';
  const reason = opensslReason(err);
  const alert = /SSL alert number (\d+)/.exec(typeof e?.message === 'string' ? e.message : '')?.[1];
  const said = reason ? ` (${reason}${alert && !reason.includes(alert) ? `, alert ${alert}` : ''})` : alert ? ` (alert ${alert})` : '';
  const text = `${code} ${reason ?? ''}`;
  let message: string;
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD_LAYER_FAILURE|HTTP_REQUEST|UNKNOWN_PROTOCOL/i.test(text)) {
    message = `the server did not answer with TLS (it sent something else${reason ? `: ${reason}` : ''})`;
  } else if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|VERSION_TOO_LOW/i.test(text)) {
    message = `the server and this client share no TLS version${said}`;
  } else if (/HANDSHAKE_FAILURE|NO_SHARED_CIPHER|NO_CIPHERS/i.test(text)) {
    message = `the server aborted the handshake: no shared cipher, or it requires something this client did not send${said}`;
  } else if (/ALERT/i.test(text)) {
    message = `the server ended the handshake with a TLS alert${said}`;
  } else if (/ECONNRESET|EPIPE|socket hang up|disconnected/i.test(text)) {
    message = 'the server closed the connection during the TLS handshake';
  } else {
    message = `the TLS library reported an error${said}`;
  }
  return { code: code.slice(0, 128), message: message.slice(0, 1024) };
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
