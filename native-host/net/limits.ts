// Time limits for each network step, and the private-address gate shared by the probe and the fetch.
import { classifyAddress, parseIp, type AddressClass } from '../../core/net/address.ts';

export interface StepTimeouts {
  /** TCP connect. */
  connectMs: number;
  /** The 220 greeting. RFC 5321 §4.5.3.2.1 lets clients wait 5 minutes; we stop earlier. */
  bannerMs: number;
  /** Every other step: EHLO, STARTTLS, TLS handshake, HTTP response, QUIT. */
  stepMs: number;
  /** Everything for one address (both connections of a probe, or one fetch with its redirects). */
  totalMs: number;
}

export const DEFAULT_STEP_TIMEOUTS: Readonly<StepTimeouts> = Object.freeze({
  connectMs: 10_000,
  bannerMs: 30_000,
  stepMs: 15_000,
  totalMs: 60_000,
});

/** No caller may ask for more than this per step or per address. */
export const MAX_TIMEOUT_MS = 300_000;

function clampMs(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(MAX_TIMEOUT_MS, Math.max(1, Math.floor(value)));
}

/** The defaults overridden by whatever was given, each clamped to 1 ms … 5 min. */
export function resolveStepTimeouts(overrides?: Partial<StepTimeouts>, totalMs?: number): StepTimeouts {
  return {
    connectMs: clampMs(overrides?.connectMs, DEFAULT_STEP_TIMEOUTS.connectMs),
    bannerMs: clampMs(overrides?.bannerMs, DEFAULT_STEP_TIMEOUTS.bannerMs),
    stepMs: clampMs(overrides?.stepMs, DEFAULT_STEP_TIMEOUTS.stepMs),
    totalMs: clampMs(totalMs ?? overrides?.totalMs, DEFAULT_STEP_TIMEOUTS.totalMs),
  };
}

export const ALLOW_PRIVATE_ENV = 'MTA_STS_INSPECTOR_ALLOW_PRIVATE';

/** Non-public addresses may be contacted: asked for explicitly, or the helper runs on a test network. */
export function privateAllowed(allowPrivate?: boolean, env: Record<string, string | undefined> = process.env): boolean {
  return allowPrivate === true || env[ALLOW_PRIVATE_ENV] === '1';
}

export type GateResult =
  | { ok: true; family: 4 | 6; kind: AddressClass }
  | { ok: false; family?: 4 | 6; kind: AddressClass; message: string };

const KIND_WORDS: Record<AddressClass, string> = {
  public: 'a public address',
  private: 'a private-network address',
  loopback: 'a loopback address',
  'link-local': 'a link-local address',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved or documentation address',
  invalid: 'not an IP address',
};

/**
 * May we connect to `address`? Only public addresses, unless private ones are allowed;
 * invalid, unspecified and multicast addresses never (nothing can answer there).
 */
export function gateAddress(address: string, allowPrivate: boolean): GateResult {
  const parsed = parseIp(address);
  const kind = classifyAddress(parsed ?? address);
  if (!parsed) return { ok: false, kind: 'invalid', message: `"${address.slice(0, 64)}" is not an IP address.` };
  if (kind === 'public') return { ok: true, family: parsed.family, kind };
  if (kind === 'unspecified' || kind === 'multicast' || !allowPrivate) {
    return {
      ok: false,
      family: parsed.family,
      kind,
      message:
        `Not contacted: ${address} is ${KIND_WORDS[kind]}, which senders on the Internet cannot reach.` +
        (kind === 'unspecified' || kind === 'multicast'
          ? ''
          : ` (Allow non-public addresses, or set ${ALLOW_PRIVATE_ENV}=1, to test a private network.)`),
    };
  }
  return { ok: true, family: parsed.family, kind };
}
