// Probe one MX host over SMTP (RFC 5321) with STARTTLS (RFC 3207), every address in parallel:
// connect, greeting, EHLO, STARTTLS, TLS with SNI = the MX host (RFC 8461 §7.1), EHLO again
// (RFC 3207 §4.2: STARTTLS must not be offered again), QUIT; at the same time a second connection
// without SNI to see whether the server requires it. Never throws; every socket is destroyed at the end.
import type net from 'node:net';
import type { AddressProbe, MxProbeResult, ProbeOutcome, ProbeStep, SmtpReply } from '../../core/protocol/probe.ts';
import type { TlsInfo } from '../../core/protocol/tls.ts';
import { gateAddress, privateAllowed, resolveStepTimeouts, type StepTimeouts } from '../net/limits.ts';
import { connectionSemaphore } from '../net/concurrency.ts';
import { failedTlsInfo, sniName, tlsInfoFromSocket } from '../tls/tls-info.ts';
import { SmtpReader, stepWords, type ReplyResult } from './smtp-reader.ts';
import { defaultEhloName, send } from './smtp-session.ts';
import { SocketTracker, connectTcp, upgradeToTls } from '../net/socket.ts';

export interface ProbeMxParams {
  host: string;
  addresses: string[];
  /** 25 unless a test says otherwise. */
  port?: number;
  /** Everything for one address (both connections). Default 60 s. */
  timeoutMs?: number;
  stepTimeouts?: Partial<StepTimeouts>;
  allowPrivate?: boolean;
  signal?: AbortSignal;
  /** Extra trusted roots (tests), added to Node's bundled ones. */
  ca?: string[];
  /** Overrides the EHLO name (see defaultEhloName). */
  ehloName?: string;
  /** The second connection without SNI (default on). */
  checkNoSni?: boolean;
}

const MAX_ADDRESSES = 64;
/** Before retrying the no-SNI session, wait at most this long for the server to close the main one. */
const CLOSE_WAIT_MS = 5_000;

interface Fields {
  greeting?: SmtpReply;
  ehlo?: SmtpReply;
  starttlsOffered?: boolean;
  starttlsReply?: SmtpReply;
  tls?: TlsInfo;
  starttlsAfterTls?: boolean;
  connectMs?: number;
  bannerMs?: number;
  tlsMs?: number;
}

interface SessionEnd {
  outcome: ProbeOutcome;
  step: ProbeStep;
  message: string;
  fields: Fields;
  /** SHA-256 of the leaf, when the handshake completed. */
  leafSha256?: string;
  /** The session's last socket (plain or TLS), to know when the server has let go of it. */
  socket?: net.Socket;
}

interface SessionContext {
  address: string;
  family: 4 | 6;
  port: number;
  host: string;
  servername: string | undefined;
  timeouts: StepTimeouts;
  deadline: number;
  ca: string[] | undefined;
  ehloName: string | undefined;
  signal: AbortSignal;
  tracker: SocketTracker;
  /** Stop after the handshake (the no-SNI comparison needs nothing more). */
  tlsOnly: boolean;
}

function quote(reply: SmtpReply): string {
  const text = reply.lines.join(' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  return text ? `${reply.code} "${text}"` : String(reply.code);
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

/** EHLO keywords (RFC 5321 §4.1.1.1: the first line is the greeting, then one extension per line). */
function extensions(reply: SmtpReply): string[] {
  return reply.lines.slice(1).map((l) => (l.trim().split(/\s+/)[0] ?? '').toUpperCase()).filter(Boolean);
}

function rejectedMessage(what: string, reply: SmtpReply): string {
  if (reply.code === 421 || (reply.code >= 400 && reply.code < 500)) {
    return (
      `${what} was answered ${quote(reply)}: the server is refusing connections for now ` +
      '(rate limiting, too many connections, greylisting or a temporary problem). ' +
      'This says nothing about STARTTLS support; try again later.'
    );
  }
  return (
    `${what} was answered ${quote(reply)}: the server does not accept this client ` +
    '(a blocklist, a policy, or it is not a mail server). This is not a STARTTLS problem.'
  );
}

/** Turn a failed read into how the probe ended. */
function readFailure(result: Extract<ReplyResult, { ok: false }>, step: ProbeStep, ctx: SessionContext, stepMs: number): Omit<SessionEnd, 'fields'> {
  switch (result.kind) {
    case 'timeout':
      if (step === 'banner') {
        return {
          outcome: 'timeout',
          step,
          message:
            `The TCP connection was accepted but no greeting came within ${seconds(stepMs)}: a tarpit, ` +
            'a server that delays its banner on purpose, or a filter in between.',
        };
      }
      return { outcome: 'timeout', step, message: `No answer during ${stepWords(step)} within ${seconds(stepMs)}.` };
    case 'closed':
      return {
        outcome: 'closed',
        step,
        message:
          step === 'banner'
            ? 'The server closed the connection before greeting: it may be refusing this client (blocklist, connection limits).'
            : `The server closed the connection during ${stepWords(step)}.`,
      };
    case 'protocol-error':
      return { outcome: 'protocol-error', step, message: result.message };
    case 'aborted':
      return abortedEnd(step, ctx);
    default:
      return { outcome: 'error', step, message: `Connection error during ${stepWords(step)}: ${result.code ?? ''} ${result.message}`.trim() };
  }
}

function abortedEnd(step: ProbeStep, ctx: SessionContext): Omit<SessionEnd, 'fields'> {
  if (Date.now() >= ctx.deadline) {
    return {
      outcome: 'timeout',
      step,
      message: `The probe of this address took longer than ${seconds(ctx.timeouts.totalMs)} in all (stopped during ${stepWords(step)}).`,
    };
  }
  return { outcome: 'error', step, message: 'The probe was cancelled.' };
}

/**
 * RFC 5321 §4.1.1.10: QUIT, then close. The 221 is not awaited: it would cost a round trip and tells
 * nothing (the client may close once QUIT is sent); end() still flushes QUIT (and close_notify) first.
 */
function quit(socket: net.Socket, reader: SmtpReader): void {
  send(socket, 'QUIT');
  reader.detach();
  socket.end();
}

/** One SMTP conversation up to (and, unless tlsOnly, after) the TLS handshake. */
async function runSession(ctx: SessionContext): Promise<SessionEnd> {
  const fields: Fields = {};
  const remaining = (ms: number): number => Math.max(1, Math.min(ms, ctx.deadline - Date.now()));
  let current: net.Socket | undefined;
  const end = (e: Omit<SessionEnd, 'fields'>): SessionEnd => ({ ...e, fields, ...(current ? { socket: current } : {}) });

  const connectMs = remaining(ctx.timeouts.connectMs);
  const tcp = await connectTcp(ctx.address, ctx.port, ctx.family, connectMs, ctx.tracker, ctx.signal);
  if (!tcp.ok) {
    const where = `${ctx.address} port ${ctx.port}`;
    switch (tcp.kind) {
      case 'refused':
        return end({ outcome: 'refused', step: 'connect', message: `Connection to ${where} refused: no mail server listens there, or a firewall rejects the connection.` });
      case 'timeout':
        return end({
          outcome: 'timeout',
          step: 'connect',
          message:
            `No answer to the TCP connection to ${where} within ${seconds(connectMs)}: the port is filtered by a firewall, ` +
            'or outgoing port 25 is blocked on the network this check runs from (common on home and cloud networks).',
        });
      case 'unreachable':
        return end({ outcome: 'unreachable', step: 'connect', message: `No route to ${ctx.address} (${tcp.code}): this machine cannot reach that network (for IPv6: no IPv6 connectivity here).` });
      case 'aborted':
        return end(abortedEnd('connect', ctx));
      default:
        return end({ outcome: 'error', step: 'connect', message: `Could not connect to ${where}: ${tcp.code ?? ''} ${tcp.message}`.trim() });
    }
  }
  fields.connectMs = tcp.ms;
  const socket = tcp.socket;
  current = socket;
  let reader = new SmtpReader(socket);

  const bannerStarted = performance.now();
  const bannerMs = remaining(ctx.timeouts.bannerMs);
  const banner = await reader.read('banner', bannerMs, ctx.signal);
  if (!banner.ok) return end(readFailure(banner, 'banner', ctx, bannerMs));
  fields.greeting = banner.reply;
  fields.bannerMs = performance.now() - bannerStarted;
  if (banner.reply.code < 200 || banner.reply.code >= 300) {
    quit(socket, reader);
    return end({ outcome: 'greeting-rejected', step: 'banner', message: rejectedMessage('The connection', banner.reply) });
  }

  const ehloName = ctx.ehloName ?? defaultEhloName(socket.localAddress);
  send(socket, `EHLO ${ehloName}`);
  let stepMs = remaining(ctx.timeouts.stepMs);
  const ehlo = await reader.read('ehlo', stepMs, ctx.signal);
  if (!ehlo.ok) return end(readFailure(ehlo, 'ehlo', ctx, stepMs));
  fields.ehlo = ehlo.reply;
  if (ehlo.reply.code !== 250) {
    quit(socket, reader);
    return end({ outcome: 'ehlo-rejected', step: 'ehlo', message: rejectedMessage(`EHLO ${ehloName}`, ehlo.reply) });
  }
  fields.starttlsOffered = extensions(ehlo.reply).includes('STARTTLS');
  if (!fields.starttlsOffered) {
    quit(socket, reader);
    const offered = extensions(ehlo.reply).slice(0, 20).join(', ') || 'none';
    return end({
      outcome: 'no-starttls',
      step: 'ehlo',
      message:
        'The server does not offer STARTTLS in its EHLO reply, so no sender can encrypt mail to it (RFC 3207 §4, RFC 8461 §4). ' +
        `Extensions offered: ${offered}.`,
    });
  }

  send(socket, 'STARTTLS');
  stepMs = remaining(ctx.timeouts.stepMs);
  const starttls = await reader.read('starttls', stepMs, ctx.signal);
  if (!starttls.ok) return end(readFailure(starttls, 'starttls', ctx, stepMs));
  fields.starttlsReply = starttls.reply;
  if (starttls.reply.code !== 220) {
    quit(socket, reader);
    const meaning =
      starttls.reply.code === 454
        ? 'TLS is temporarily unavailable on the server (RFC 3207 §4), often because its certificate or key cannot be loaded'
        : starttls.reply.code === 501
          ? 'the server calls a plain STARTTLS a syntax error (RFC 3207 §4)'
          : 'the server refused to start TLS';
    return end({ outcome: 'starttls-rejected', step: 'starttls', message: `STARTTLS is offered but was answered ${quote(starttls.reply)}: ${meaning}.` });
  }
  if (reader.buffered > 0) {
    // Bytes after "220" and before the handshake would be read as TLS, or smuggled into the session.
    return end({
      outcome: 'protocol-error',
      step: 'starttls',
      message: `After "220" to STARTTLS the server sent ${reader.buffered} more bytes before the TLS handshake; a client must start TLS right away (RFC 3207 §4.2).`,
    });
  }
  reader.detach();

  stepMs = remaining(ctx.timeouts.stepMs);
  const upgraded = await upgradeToTls(socket, ctx.servername, ctx.ca, stepMs, ctx.tracker, ctx.signal);
  if (!upgraded.ok) {
    fields.tls = failedTlsInfo({ code: upgraded.code, message: upgraded.message }, ctx.servername);
    if (upgraded.kind === 'aborted') return end(abortedEnd('tls', ctx));
    if (upgraded.kind === 'timeout') return end({ outcome: 'timeout', step: 'tls', message: `STARTTLS was accepted but the TLS handshake did not finish within ${seconds(stepMs)}.` });
    return end({ outcome: 'tls-failed', step: 'tls', message: `STARTTLS was accepted but the TLS handshake failed: ${upgraded.message}.` });
  }
  fields.tlsMs = upgraded.ms;
  const secure = upgraded.socket;
  current = secure;
  fields.tls = tlsInfoFromSocket(secure, ctx.host, { ...(ctx.servername ? { servername: ctx.servername } : {}) });
  const leafSha256 = fields.tls.chain[0]?.sha256;
  const done = `STARTTLS offered and accepted; TLS handshake completed (${fields.tls.protocol ?? 'TLS'}${fields.tls.cipher ? `, ${fields.tls.cipher}` : ''}).`;
  reader = new SmtpReader(secure);
  if (ctx.tlsOnly) {
    quit(secure, reader);
    return { ...end({ outcome: 'ok', step: 'tls', message: done }), ...(leafSha256 ? { leafSha256 } : {}) };
  }

  // RFC 3207 §4.2: the client discards what it knew and asks again; STARTTLS must not be offered now.
  send(secure, `EHLO ${ehloName}`);
  stepMs = remaining(ctx.timeouts.stepMs);
  const again = await reader.read('ehlo-after-tls', stepMs, ctx.signal);
  const withLeaf = (e: SessionEnd): SessionEnd => (leafSha256 ? { ...e, leafSha256 } : e);
  if (!again.ok) {
    const failure = readFailure(again, 'ehlo-after-tls', ctx, stepMs);
    return withLeaf(end({ outcome: 'ok', step: 'ehlo-after-tls', message: `${done} But EHLO after TLS failed: ${failure.message}` }));
  }
  if (again.reply.code === 250) {
    fields.starttlsAfterTls = extensions(again.reply).includes('STARTTLS');
  }
  quit(secure, reader);
  const after =
    again.reply.code !== 250
      ? ` EHLO after TLS was answered ${quote(again.reply)}.`
      : fields.starttlsAfterTls
        ? ' After TLS the server still offers STARTTLS, which RFC 3207 §4.2 forbids.'
        : '';
  return withLeaf(end({ outcome: 'ok', step: 'quit', message: done + after }));
}

async function probeAddress(req: ProbeMxParams, address: string, timeouts: StepTimeouts, allowPrivate: boolean): Promise<AddressProbe> {
  const started = performance.now();
  const gate = gateAddress(address, allowPrivate);
  const family: 4 | 6 = gate.family ?? (address.includes(':') ? 6 : 4);
  const base = { address: address.slice(0, 64), family };
  const finish = (e: SessionEnd, extra: Partial<AddressProbe> = {}): AddressProbe => {
    const { connectMs, bannerMs, tlsMs, ...rest } = e.fields;
    return {
      ...base,
      outcome: e.outcome,
      step: e.step,
      message: e.message.slice(0, 2048),
      ...rest,
      ...extra,
      timings: {
        ...(connectMs !== undefined ? { connectMs } : {}),
        ...(bannerMs !== undefined ? { bannerMs } : {}),
        ...(tlsMs !== undefined ? { tlsMs } : {}),
        totalMs: performance.now() - started,
      },
    };
  };
  if (!gate.ok) {
    return finish({ outcome: gate.kind === 'invalid' ? 'error' : 'refused-private', step: 'connect', message: gate.message, fields: {} });
  }

  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  if (req.signal?.aborted) controller.abort();
  const deadline = Date.now() + timeouts.totalMs;
  const totalTimer = setTimeout(() => controller.abort(), timeouts.totalMs);
  const tracker = new SocketTracker();
  const host = req.host.slice(0, 255);
  const ctx: SessionContext = {
    address,
    family,
    port: req.port ?? 25,
    host,
    servername: sniName(host),
    timeouts,
    deadline,
    ca: req.ca,
    ehloName: req.ehloName,
    signal: controller.signal,
    tracker,
    tlsOnly: false,
  };
  // RFC 8461 §7.1: a server must not require SNI. The session without it starts together with the
  // main one (same slots, same deadline) so it adds no round trips; it is dropped if the main one fails.
  const noSniController = new AbortController();
  const stopNoSni = (): void => noSniController.abort();
  controller.signal.addEventListener('abort', stopNoSni, { once: true });
  const noSniTracker = new SocketTracker();
  const noSniCtx: SessionContext = { ...ctx, servername: undefined, tlsOnly: true, signal: noSniController.signal, tracker: noSniTracker };
  try {
    // Asked for first: when slots are short the main session gets one first (the semaphore is FIFO).
    const firstRun = withSlot(ctx, () => runSession(ctx));
    const noSniRun = req.checkNoSni !== false ? withSlot(noSniCtx, () => runSession(noSniCtx)) : undefined;
    const first = await firstRun;
    const extra: Partial<AddressProbe> = {};
    if (!(first.outcome === 'ok' && first.fields.tls?.handshakeCompleted)) {
      noSniController.abort();
      await noSniRun;
    } else if (noSniRun) {
      let second = await noSniRun;
      if (second.outcome !== 'ok' && second.step !== 'tls' && !noSniController.signal.aborted) {
        // It failed before any handshake (e.g. 421 to a second connection from one client at once):
        // that says nothing about SNI, so try once more once the server has closed the main session.
        noSniTracker.destroyAll();
        await closed(first.socket, Math.min(CLOSE_WAIT_MS, ctx.deadline - Date.now()), noSniController.signal);
        second = await withSlot(noSniCtx, () => runSession(noSniCtx));
      }
      const completed = second.outcome === 'ok';
      extra.noSni = {
        handshakeCompleted: completed,
        ...(second.leafSha256 ? { leafSha256: second.leafSha256 } : {}),
        ...(completed && second.leafSha256 && first.leafSha256 ? { differentCertificate: second.leafSha256 !== first.leafSha256 } : {}),
        // The handshake's own clause, not the session sentence around it (no nested "STARTTLS was accepted…").
        ...(completed ? {} : { error: (second.fields.tls?.error?.message ?? second.message).slice(0, 1024) }),
      };
    }
    return finish(first, extra);
  } catch (err) {
    // Defensive: nothing above should throw, but a probe must always return a value.
    return finish({ outcome: 'error', step: 'connect', message: `Internal error: ${String(err).slice(0, 500)}`, fields: {} });
  } finally {
    clearTimeout(totalTimer);
    req.signal?.removeEventListener('abort', onAbort);
    controller.signal.removeEventListener('abort', stopNoSni);
    tracker.destroyAll();
    noSniTracker.destroyAll();
  }
}

/** Resolves when `socket` has closed (the server answered our QUIT and FIN), after `ms`, or on abort. */
function closed(socket: net.Socket | undefined, ms: number, signal: AbortSignal): Promise<void> {
  if (!socket || socket.closed || signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      socket.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    socket.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function withSlot(ctx: SessionContext, run: () => Promise<SessionEnd>): Promise<SessionEnd> {
  let release: (() => void) | undefined;
  try {
    release = await connectionSemaphore.acquire(ctx.signal);
  } catch {
    // Never connected: the wait was for a local connection slot, which says nothing about the
    // server or the network (it must not count towards "outbound port 25 is blocked").
    if (Date.now() >= ctx.deadline) {
      return {
        outcome: 'error',
        step: 'connect',
        message: `Not probed: no free connection slot on this machine within ${seconds(ctx.timeouts.totalMs)} (too many probes at once; check fewer domains at a time).`,
        fields: {},
      };
    }
    return { ...abortedEnd('connect', ctx), fields: {} };
  }
  try {
    return await run();
  } finally {
    release();
  }
}

/** Probe every address of `host` in parallel. Never throws. */
export async function probeMx(req: ProbeMxParams): Promise<MxProbeResult> {
  const timeouts = resolveStepTimeouts(req.stepTimeouts, req.timeoutMs);
  const allowPrivate = privateAllowed(req.allowPrivate);
  const port = Number.isInteger(req.port) && (req.port ?? 0) >= 1 && (req.port ?? 0) <= 65535 ? (req.port as number) : 25;
  const addresses = [...new Set(Array.isArray(req.addresses) ? req.addresses : [])].slice(0, MAX_ADDRESSES);
  const results = await Promise.all(addresses.map((a) => probeAddress({ ...req, port }, String(a), timeouts, allowPrivate)));
  return { host: String(req.host ?? '').slice(0, 255), port, addresses: results };
}
