// Turns each decoded message into exactly one reply. Requests run concurrently and are answered
// as each finishes; at most `maxInFlight` run at once (beyond that: `busy`); each has a deadline
// (its `timeoutMs`, plus a grace so the worker's own timeout can report which step was slow).
import { HelperRequestSchema, type HelperRequest, type HelperResponse } from '../../core/protocol/helper.ts';
import { POLICY_TIMEOUT_MS } from '../../core/protocol/policy-fetch.ts';
import { classifyAddress, parseIp } from '../../core/net/address.ts';
import { errorReply, idOf } from './errors.ts';
import { handleHello } from './handlers/hello.ts';
import { handleProbeMx, type ProbeMxWorker } from './handlers/probe-mx.ts';
import { handleFetchPolicy, type FetchPolicyWorker } from './handlers/fetch-policy.ts';
import type { HandlerContext } from './handlers/context.ts';

export const DEFAULT_MAX_IN_FLIGHT = 16;
// The same as probeMx's own default: the whole probe of one address, both connections.
export const DEFAULT_PROBE_TIMEOUT_MS = 60_000;
export const DEADLINE_GRACE_MS = 2_000;
const KNOWN_TYPES = new Set(['hello', 'probe-mx', 'fetch-policy']);

export interface DispatcherOptions {
  send: (reply: HelperResponse) => void;
  log: (line: string) => void;
  env?: Record<string, string | undefined>;
  workers?: { probeMx?: ProbeMxWorker; fetchPolicy?: FetchPolicyWorker };
  maxInFlight?: number;
  graceMs?: number;
  version?: string;
}

export interface Dispatcher {
  handle(message: unknown): void;
  readonly inFlight: number;
  /** The browser went away: abort everything running. */
  abortAll(): void;
  /** Resolves when nothing is in flight. */
  idle(): Promise<void>;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const grace = options.graceMs ?? DEADLINE_GRACE_MS;
  const envAllows = options.env?.MTA_STS_INSPECTOR_ALLOW_PRIVATE === '1';
  const running = new Map<symbol, AbortController>();
  let idleWaiters: (() => void)[] = [];

  const settle = (key: symbol) => {
    running.delete(key);
    if (running.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  function run(req: Exclude<HelperRequest, { type: 'hello' }>): void {
    if (running.size >= maxInFlight) {
      options.send(errorReply('busy', `${running.size} requests are already running; retry when one has been answered`, req.id));
      return;
    }
    const timeoutMs = req.timeoutMs ?? (req.type === 'probe-mx' ? DEFAULT_PROBE_TIMEOUT_MS : POLICY_TIMEOUT_MS);
    const controller = new AbortController();
    const key = Symbol(req.id);
    running.set(key, controller);
    const ctx: HandlerContext = { signal: controller.signal, allowPrivate: req.allowPrivate === true || envAllows, timeoutMs };
    const work =
      req.type === 'probe-mx'
        ? handleProbeMx(req, ctx, options.workers?.probeMx)
        : handleFetchPolicy(req, ctx, options.workers?.fetchPolicy);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<HelperResponse>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error('deadline'));
        resolve(errorReply('timeout', `no answer within ${timeoutMs} ms (+${grace} ms grace)`, req.id));
      }, timeoutMs + grace);
    });
    Promise.race([work, deadline])
      .catch((e: unknown) => {
        options.log(`request ${req.id} (${req.type}) threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return errorReply('internal', `the ${req.type} handler failed: ${e instanceof Error ? e.message : String(e)}`, req.id);
      })
      .then((reply) => {
        clearTimeout(timer);
        options.send(reply);
        settle(key);
      });
  }

  function handle(message: unknown): void {
    const id = idOf(message);
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      options.send(errorReply('bad-request', 'a message must be a JSON object with a "type"', id));
      return;
    }
    const type = (message as { type?: unknown }).type;
    if (typeof type !== 'string') {
      options.send(errorReply('bad-request', 'the message has no "type" string', id));
      return;
    }
    if (!KNOWN_TYPES.has(type)) {
      options.send(errorReply('unknown-type', `unknown message type ${JSON.stringify(type.slice(0, 64))}; this helper speaks hello, probe-mx, fetch-policy`, id));
      return;
    }
    // A port other than 25 is refused by name, before the schema turns it into a plain bad-request.
    const port = (message as { port?: unknown }).port;
    if (type === 'probe-mx' && port !== undefined && port !== 25) {
      options.send(errorReply('forbidden-port', 'MX hosts are probed on port 25 only', id));
      return;
    }
    const parsed = HelperRequestSchema.safeParse(message);
    if (!parsed.success) {
      const why = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ');
      options.send(errorReply('bad-request', `invalid ${type} request: ${why}`, id));
      return;
    }
    const req = parsed.data;
    if (req.type === 'hello') {
      options.send(handleHello(options.version));
      return;
    }
    const addressProblem = checkAddresses(req.addresses ?? []);
    if (addressProblem) {
      options.send(errorReply(addressProblem.code, addressProblem.message, req.id));
      return;
    }
    run(req);
  }

  return {
    handle,
    get inFlight() {
      return running.size;
    },
    abortAll() {
      for (const c of running.values()) c.abort(new Error('the browser disconnected'));
    },
    idle() {
      return running.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

/**
 * Addresses must be IP literals (else bad-request). The unspecified address and multicast are never
 * a mail or web server: `forbidden-address` whatever the permission. Loopback, private and link-local
 * addresses go on to the worker, which refuses them per address (`refused-private` in the result,
 * so the report shows which address was skipped) unless private addresses are allowed.
 */
function checkAddresses(addresses: readonly string[]): { code: 'bad-request' | 'forbidden-address'; message: string } | undefined {
  for (const a of addresses) {
    const ip = parseIp(a);
    if (!ip) return { code: 'bad-request', message: `${JSON.stringify(a)} is not an IP address` };
    const kind = classifyAddress(ip);
    if (kind === 'unspecified' || kind === 'multicast' || kind === 'invalid') {
      return { code: 'forbidden-address', message: `${a} is a ${kind} address: nothing to connect to` };
    }
  }
  return undefined;
}
