// One native-messaging port to the helper, shared by every request (DESIGN.md "Native-messaging
// protocol"). Requests carry ids and run concurrently; answers are validated with the shared
// schemas. When the helper exits, every request in flight fails with the reason and the next
// request reconnects.
import {
  HelperRequestSchema,
  HelperResponseSchema,
  MAX_MESSAGE_BYTES,
  type FetchPolicyRequest,
  type HelperResponse,
  type ProbeMxRequest,
} from '../../core/protocol/helper.ts';
import type { HelperState } from '../shared/ui-protocol.ts';

/** What runtime.connectNative returns, reduced to what we use (Chromium and Firefox differ in `error`). */
export interface NativePortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: (port: NativePortLike) => void): void };
  /** Firefox puts the reason here. */
  error?: { message?: string } | null;
}

export interface HelperClientOptions {
  connect: () => NativePortLike;
  /** Chromium puts the disconnect reason in runtime.lastError. */
  lastError?: () => string | undefined;
  helloTimeoutMs?: number;
  /** A helper state is reused this long before asking again. */
  stateTtlMs?: number;
  maxInFlight?: number;
  now?: () => number;
}

export class HelperError extends Error {
  constructor(
    readonly code: 'disconnected' | 'timeout' | 'aborted' | 'busy' | 'bad-response' | 'helper' | 'not-available',
    message: string,
  ) {
    super(message);
    this.name = 'HelperError';
  }
}

type Pending = { resolve: (r: HelperResponse) => void; reject: (e: HelperError) => void; expect: string };

export type HelperCall =
  | Omit<ProbeMxRequest, 'id'>
  | Omit<FetchPolicyRequest, 'id'>;

/** Chromium's and Firefox's words for a host that is not registered or not allowed. */
export function classifyDisconnect(message: string): HelperState {
  if (/not found|no such native application|not registered|manifest/i.test(message)) {
    return { state: 'not-installed', message };
  }
  if (/forbidden|not allowed|access to|permission/i.test(message)) return { state: 'blocked', message };
  return { state: 'error', message };
}

export class HelperClient {
  private port: NativePortLike | undefined;
  private pending = new Map<string, Pending>();
  private helloWaiters: { resolve: (s: HelperState) => void }[] = [];
  private lastState: { state: HelperState; at: number } | undefined;
  /** Ports on which a helper process answered at least once. */
  private answered = new WeakSet<NativePortLike>();
  private nextId = 1;
  private readonly o: Required<Omit<HelperClientOptions, 'lastError'>> & Pick<HelperClientOptions, 'lastError'>;

  constructor(options: HelperClientOptions) {
    this.o = {
      helloTimeoutMs: 3000,
      stateTtlMs: 30_000,
      maxInFlight: 64,
      now: () => Date.now(),
      ...options,
    };
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Found (with version), not installed, blocked, or an error. Cached for a short while. */
  async state(refresh = false): Promise<HelperState> {
    const cached = this.lastState;
    if (!refresh && cached && this.o.now() - cached.at < this.o.stateTtlMs) return cached.state;
    const state = await this.hello();
    this.lastState = { state, at: this.o.now() };
    return state;
  }

  private hello(): Promise<HelperState> {
    return new Promise<HelperState>((resolve) => {
      let done = false;
      const finish = (s: HelperState) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(s);
      };
      const timer = setTimeout(
        () => finish({ state: 'error', message: `the helper did not answer "hello" within ${this.o.helloTimeoutMs} ms` }),
        this.o.helloTimeoutMs,
      );
      this.helloWaiters.push({ resolve: finish });
      const port = this.ensurePort();
      if (!port.ok) return finish(classifyDisconnect(port.message));
      try {
        port.port.postMessage({ type: 'hello' });
      } catch (e) {
        finish(classifyDisconnect(String(e)));
      }
    });
  }

  /** Send one request and wait for its answer (or an `error` with its id). */
  request(call: HelperCall, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<HelperResponse> {
    return new Promise<HelperResponse>((resolve, reject) => {
      if (options.signal?.aborted) return reject(new HelperError('aborted', 'cancelled'));
      if (this.pending.size >= this.o.maxInFlight) {
        return reject(new HelperError('busy', `more than ${this.o.maxInFlight} helper requests in flight`));
      }
      const id = `r${this.nextId++}`;
      const parsed = HelperRequestSchema.safeParse({ ...call, id });
      if (!parsed.success) return reject(new HelperError('bad-response', `invalid request: ${parsed.error.issues[0]?.message}`));
      const text = JSON.stringify(parsed.data);
      if (new TextEncoder().encode(text).byteLength > MAX_MESSAGE_BYTES) {
        return reject(new HelperError('bad-response', 'request over 1 MiB'));
      }
      const port = this.ensurePort();
      if (!port.ok) return reject(new HelperError('not-available', port.message));

      // The helper enforces its own limit; ours is a backstop a little later, so the helper's answer wins.
      const limit = (options.timeoutMs ?? 60_000) + 5_000;
      const timer = setTimeout(() => settle(() => reject(new HelperError('timeout', `no answer from the helper within ${limit} ms`))), limit);
      const onAbort = () => settle(() => reject(new HelperError('aborted', 'cancelled')));
      const settle = (fn: () => void) => {
        if (!this.pending.delete(id)) return;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        expect: call.type === 'probe-mx' ? 'probe-mx-result' : 'fetch-policy-result',
        resolve: (r) => settle(() => resolve(r)),
        reject: (e) => settle(() => reject(e)),
      });
      try {
        port.port.postMessage(parsed.data);
      } catch (e) {
        this.pending.get(id)?.reject(new HelperError('disconnected', `could not write to the helper: ${String(e)}`));
      }
    });
  }

  /** Close the port (tests, extension shutdown): in-flight requests fail. */
  close(): void {
    const port = this.port;
    if (!port) return;
    this.port = undefined;
    try {
      port.disconnect();
    } catch {
      // already gone
    }
    this.failAll('the helper connection was closed');
  }

  private ensurePort(): { ok: true; port: NativePortLike } | { ok: false; message: string } {
    if (this.port) return { ok: true, port: this.port };
    let port: NativePortLike;
    try {
      port = this.o.connect();
    } catch (e) {
      // Firefox throws when nativeMessaging is missing; Chromium reports through onDisconnect.
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    this.port = port;
    port.onMessage.addListener((m) => this.onMessage(port, m));
    port.onDisconnect.addListener((p) => {
      if (this.port !== port) return;
      this.port = undefined;
      const reason = p.error?.message ?? port.error?.message ?? this.o.lastError?.() ?? 'the helper exited';
      // A helper that answered on this port and then died (crashed, killed) is still installed: forget
      // the state so the next check says hello to a fresh one instead of skipping probes for a while.
      this.lastState = this.answered.has(port) ? undefined : { state: classifyDisconnect(reason), at: this.o.now() };
      this.failAll(reason);
    });
    return { ok: true, port };
  }

  private failAll(reason: string): void {
    for (const w of this.helloWaiters.splice(0)) w.resolve(classifyDisconnect(reason));
    for (const p of [...this.pending.values()]) p.reject(new HelperError('disconnected', `the helper stopped: ${reason}`));
  }

  private onMessage(port: NativePortLike, message: unknown): void {
    if (port !== this.port) return;
    this.answered.add(port);
    const parsed = HelperResponseSchema.safeParse(message);
    if (!parsed.success) {
      // An answer we cannot read: fail the request it names, if any, rather than wait for its timeout.
      const id = typeof (message as { id?: unknown } | null)?.id === 'string' ? (message as { id: string }).id : undefined;
      if (id) this.pending.get(id)?.reject(new HelperError('bad-response', 'the helper sent an answer that does not fit the protocol'));
      return;
    }
    const m = parsed.data;
    if (m.type === 'hello') {
      for (const w of this.helloWaiters.splice(0)) w.resolve({ state: 'found', version: m.version });
      return;
    }
    if (m.id === undefined) return; // an error about a frame we cannot attribute
    const p = this.pending.get(m.id);
    if (!p) return; // cancelled or timed out: the late answer is dropped
    if (m.type === 'error') p.reject(new HelperError('helper', `${m.code}: ${m.message}`));
    else if (m.type !== p.expect) p.reject(new HelperError('bad-response', `expected ${p.expect}, got ${m.type}`));
    else p.resolve(m);
  }
}
