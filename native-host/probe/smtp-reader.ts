// Bounded SMTP reply reading (RFC 5321 §4.2): `250-text` continues a reply, `250 text` (or a bare
// `250`) ends it. Lines are capped at 2048 bytes (RFC 5321 §4.5.3.1.5 says 512; servers exceed it)
// and replies at 200 lines, so an endless banner, a line that never ends or thousands of EHLO
// lines become a protocol error instead of unbounded memory.
import type { Duplex } from 'node:stream';
import type { ProbeStep, SmtpReply } from '../../core/protocol/probe.ts';

export const MAX_LINE_BYTES = 2048;
export const MAX_REPLY_LINES = 200;
/** Unread bytes kept at most: one reply of maximal lines. Anything beyond is a flood. */
const MAX_BUFFERED = MAX_REPLY_LINES * (MAX_LINE_BYTES + 2);
/** The schema keeps at most this much text per line. */
const MAX_TEXT = 1024;

export type ReplyFailure = 'timeout' | 'closed' | 'protocol-error' | 'aborted' | 'error';

export type ReplyResult =
  | { ok: true; reply: SmtpReply }
  | { ok: false; kind: ReplyFailure; message: string; code?: string; partial?: SmtpReply };

type ParseStep = { reply: SmtpReply } | { error: string } | undefined;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** The byte-level parser, separate from sockets so it can be tested with any chunking. */
export class SmtpReplyParser {
  private pending = new Uint8Array(0);
  private lines: string[] = [];
  private code: number | undefined;
  private failed: string | undefined;

  /** Bytes received but not yet consumed as a reply. */
  get buffered(): number {
    return this.pending.length;
  }

  /** Lines of the reply read so far (for a partial reply on timeout). */
  partial(): SmtpReply | undefined {
    return this.code === undefined ? undefined : { code: this.code, lines: [...this.lines] };
  }

  push(chunk: Uint8Array): void {
    if (this.failed) return;
    if (this.pending.length + chunk.length > MAX_BUFFERED) {
      this.fail(`more than ${MAX_BUFFERED} bytes without a complete reply being asked for`);
      return;
    }
    const next = new Uint8Array(this.pending.length + chunk.length);
    next.set(this.pending);
    next.set(chunk, this.pending.length);
    this.pending = next;
  }

  /** A complete reply, an error (after which the parser stays failed), or undefined: need more bytes. */
  next(): ParseStep {
    if (this.failed) return { error: this.failed };
    for (;;) {
      const lf = this.pending.indexOf(0x0a);
      if (lf === -1) {
        // Room for the CR of a CRLF that is still to come.
        if (this.pending.length > MAX_LINE_BYTES + 1) return this.fail(`a reply line longer than ${MAX_LINE_BYTES} bytes with no end (no CRLF)`);
        return undefined;
      }
      let lineBytes = this.pending.subarray(0, lf);
      this.pending = this.pending.slice(lf + 1);
      if (lineBytes[lineBytes.length - 1] === 0x0d) lineBytes = lineBytes.subarray(0, lineBytes.length - 1);
      if (lineBytes.length > MAX_LINE_BYTES) return this.fail(`a reply line of ${lineBytes.length} bytes (at most ${MAX_LINE_BYTES})`);
      const line = decoder.decode(lineBytes);
      const m = /^([1-5][0-9][0-9])(?:([ -])(.*))?$/s.exec(line);
      if (!m) return this.fail(`a line that is not an SMTP reply: "${printable(line)}"`);
      const code = Number(m[1]);
      if (this.code !== undefined && code !== this.code) {
        return this.fail(`reply lines with different codes (${this.code}, then ${code}) in one reply`);
      }
      this.code = code;
      this.lines.push((m[3] ?? '').slice(0, MAX_TEXT));
      if (m[2] === '-') {
        if (this.lines.length >= MAX_REPLY_LINES) return this.fail(`a reply of more than ${MAX_REPLY_LINES} lines`);
        continue;
      }
      const reply = { code, lines: this.lines };
      this.lines = [];
      this.code = undefined;
      return { reply };
    }
  }

  private fail(message: string): ParseStep {
    this.failed = message;
    this.pending = new Uint8Array(0);
    return { error: message };
  }
}

function printable(text: string): string {
  return text.slice(0, 80).replace(/[^\x20-\x7e]/g, '?');
}

const STEP_WORDS: Record<ProbeStep, string> = {
  connect: 'connecting',
  banner: 'waiting for the greeting (banner)',
  ehlo: 'the reply to EHLO',
  starttls: 'the reply to STARTTLS',
  tls: 'the TLS handshake',
  'ehlo-after-tls': 'the reply to EHLO after TLS',
  quit: 'the reply to QUIT',
};

export function stepWords(step: ProbeStep): string {
  return STEP_WORDS[step];
}

/** Reads replies from a socket, one `read()` at a time. `detach()` before handing the socket to TLS. */
export class SmtpReader {
  private readonly parser = new SmtpReplyParser();
  private ended: { kind: 'closed' | 'error'; message: string; code?: string } | undefined;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer | string): void => {
    this.parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    this.wake?.();
  };
  private readonly onEnd = (): void => {
    this.ended ??= { kind: 'closed', message: 'the server closed the connection' };
    this.wake?.();
  };
  private readonly onError = (err: NodeJS.ErrnoException): void => {
    this.ended ??= { kind: 'error', message: err.message, ...(err.code ? { code: err.code } : {}) };
    this.wake?.();
  };

  constructor(private readonly socket: Duplex) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** Bytes the server sent beyond the last reply. */
  get buffered(): number {
    return this.parser.buffered;
  }

  /** The next complete reply, within `timeoutMs`. Never rejects. */
  read(step: ProbeStep, timeoutMs: number, signal?: AbortSignal): Promise<ReplyResult> {
    return new Promise<ReplyResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: ReplyResult): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.wake = undefined;
        resolve(result);
      };
      const onAbort = (): void => finish({ ok: false, kind: 'aborted', message: 'cancelled' });
      const check = (): void => {
        const step_ = this.parser.next();
        if (step_ && 'reply' in step_) return finish({ ok: true, reply: step_.reply });
        if (step_ && 'error' in step_) {
          return finish({ ok: false, kind: 'protocol-error', message: `During ${STEP_WORDS[step]} the server sent ${step_.error}.` });
        }
        if (this.ended) {
          const partial = this.parser.partial();
          return finish({
            ok: false,
            kind: this.ended.kind,
            message: this.ended.message,
            ...(this.ended.code ? { code: this.ended.code } : {}),
            ...(partial ? { partial } : {}),
          });
        }
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(() => {
        const partial = this.parser.partial();
        finish({
          ok: false,
          kind: 'timeout',
          message: `no complete reply within ${Math.ceil(timeoutMs / 1000)} s`,
          ...(partial ? { partial } : {}),
        });
      }, timeoutMs);
      this.wake = check;
      check();
    });
  }

  /** Stop listening (the TLS layer takes the socket over). */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    this.wake = undefined;
  }
}
