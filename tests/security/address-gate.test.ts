// Bypass attempts against the private-address gate: core/net/address.ts (parseIp,
// classifyAddress, isPublicAddress), native-host/net/limits.ts (gateAddress), and the places
// that must apply it before any connection: probeMx, fetchPolicyWithEvidence and the helper
// dispatcher. Decisions (SECURITY.md, "The private-address gate"):
// - Only the strict text forms are IP addresses: dotted-quad without leading zeros (RFC 3986
//   §3.2.2 dec-octet) and RFC 4291 §2.2 IPv6. inet_aton spellings (2130706433, 0177.0.0.1,
//   0x7f.0.0.1, 127.1), zone ids, brackets, ports and whitespace are "not an IP address":
//   refused, never resolved, never connected to.
// - An IPv6 address that carries an IPv4 address is judged as that IPv4 address: IPv4-mapped
//   (::ffff:0:0/96), NAT64 well-known prefix (64:ff9b::/96), 6to4 (2002::/16). Local-use NAT64
//   (64:ff9b:1::/48) is private. Teredo (2001::/32) and IPv4-compatible (::/96) are reserved:
//   never contacted, whatever they embed.
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { classifyAddress, formatIp, isPublicAddress, parseIp, type AddressClass } from '../../core/net/address.ts';
import { ALLOW_PRIVATE_ENV, gateAddress } from '../../native-host/net/limits.ts';
import { probeMx } from '../../native-host/probe/probe-mx.ts';
import { fetchPolicyWithEvidence } from '../../native-host/policy/fetch-policy.ts';
import { createDispatcher } from '../../native-host/helper/dispatch.ts';
import type { HelperResponse } from '../../core/protocol/helper.ts';

/** Strict spellings of non-public addresses, with the class each must get. */
const EMBEDDED: [string, AddressClass][] = [
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::FFFF:127.0.0.1', 'loopback'],
  ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
  ['0000:0000:0000:0000:0000:0000:0000:0001', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:192.168.1.1', 'private'],
  ['::ffff:169.254.169.254', 'link-local'], // cloud metadata service
  ['::ffff:0.0.0.0', 'unspecified'],
  ['64:ff9b::7f00:1', 'loopback'], // NAT64 well-known prefix (RFC 6052)
  ['64:ff9b::127.0.0.1', 'loopback'],
  ['64:ff9b::a00:1', 'private'],
  ['64:ff9b::169.254.169.254', 'link-local'],
  ['64:ff9b:1::a00:1', 'private'], // local-use NAT64 (RFC 8215)
  ['2002:7f00:1::', 'loopback'], // 6to4 (RFC 3056) of 127.0.0.1
  ['2002:a00:1::1', 'private'],
  ['2002:c0a8:101::1', 'private'],
  ['2002:a9fe:a9fe::1', 'link-local'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'], // Teredo (RFC 4380)
  ['2001::a00:1', 'reserved'],
  ['::127.0.0.1', 'reserved'], // IPv4-compatible, deprecated (RFC 4291 §2.5.5.1)
  ['::7f00:1', 'reserved'],
  ['::ffff:0:7f00:1', 'reserved'], // SIIT IPv4-translated (RFC 6145)
];
const PLAIN: [string, AddressClass][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified'],
  ['0.1.2.3', 'reserved'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.0.1', 'private'],
  ['100.64.0.1', 'private'], // CGNAT (RFC 6598)
  ['169.254.169.254', 'link-local'],
  ['fe80::1', 'link-local'],
  ['febf::1', 'link-local'],
  ['fc00::1', 'private'],
  ['fd00:ec2::254', 'private'], // AWS metadata over IPv6
  ['fec0::1', 'private'],
  ['224.0.0.1', 'multicast'],
  ['ff02::1', 'multicast'],
  ['255.255.255.255', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
];
/** Spellings other software reads as an address (inet_aton, URL parsers, zone ids): not IPs here. */
const NOT_IPS = [
  '2130706433', '0177.0.0.1', '0x7f.0.0.1', '0x7f000001', '0x7F.1', '127.1', '127.0.1', '017700000001', '127.000.000.001', '0127.0.0.1',
  '127.0.0.01', '127.0.0.1.', ' 127.0.0.1', '127.0.0.1 ', '127.0.0.1\n', '\u0031\u0032\u0037.0.0.1\u0000', '１２７.0.0.1', '127。0。0。1',
  '[::1]', '[127.0.0.1]', 'fe80::1%eth0', 'fe80::1%25eth0', '::1%lo', '::ffff:0177.0.0.1', '::ffff:0x7f.0.0.1', '::ffff:127.1', '::ffff:2130706433',
  '1.2.3.4:25', '[::1]:25', 'localhost', 'localhost.', '', '256.0.0.1', '::ffff:127.0.0.256', ':::1', '1::2::3', '0:0:0:0:0:0:0:0:1', '::00001',
  'a'.repeat(100), '::ffff:127.0.0.1/8', '127.0.0.1/32',
];

describe('address gate: bypass spellings (core/net/address.ts)', () => {
  it.each([...EMBEDDED, ...PLAIN])('%s is %s, never public', (text, kind) => {
    expect(parseIp(text)).toBeDefined();
    expect(classifyAddress(text)).toBe(kind);
    expect(isPublicAddress(text)).toBe(false);
  });

  it.each(NOT_IPS)('%j is not an IP address (invalid, never public)', (text) => {
    expect(parseIp(text)).toBeUndefined();
    expect(classifyAddress(text)).toBe('invalid');
    expect(isPublicAddress(text)).toBe(false);
  });

  it.each(['8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:808:808::1'])('control: %s is public', (text) => {
    expect(isPublicAddress(text)).toBe(true);
  });

  const v4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
  it('property: an IPv4 address embedded in IPv4-mapped, NAT64 or 6to4 IPv6 gets the class of the IPv4 address', () => {
    const seen = new Set<AddressClass>();
    fc.assert(
      fc.property(v4, fc.constantFrom('mapped', 'nat64', '6to4'), fc.uint8Array({ minLength: 10, maxLength: 10 }), (bytes, how, rest) => {
        const kind = classifyAddress({ family: 4, bytes });
        seen.add(kind);
        const six = new Uint8Array(16);
        if (how === 'mapped') six.set([0xff, 0xff, ...bytes], 10);
        else if (how === 'nat64') six.set([0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ...bytes]);
        else six.set([0x20, 0x02, ...bytes, ...rest]);
        expect(classifyAddress({ family: 6, bytes: six })).toBe(kind);
        // And through its canonical text, as a resolver or the extension would send it.
        expect(classifyAddress(formatIp({ family: 6, bytes: six }))).toBe(kind);
      }),
      { seed: 0x6a7e, numRuns: 3000 },
    );
    // Reached both sides of the gate.
    expect(seen.has('public')).toBe(true);
    expect([...seen].filter((k) => k !== 'public').length).toBeGreaterThanOrEqual(3);
  });

  it('property: the only IPv4 text parseIp accepts is the canonical dotted quad of its bytes', () => {
    let accepted = 0;
    const spelling = fc.oneof(
      fc.ipV4(),
      fc.ipV4Extended(), // octal, hex and shortened forms
      fc.tuple(v4, fc.constantFrom(10, 8, 16)).map(([b, radix]) => [...b].map((x) => (radix === 8 ? `0${x.toString(8)}` : radix === 16 ? `0x${x.toString(16)}` : String(x))).join('.')),
      fc.nat().map(String),
    );
    fc.assert(
      fc.property(spelling, (text) => {
        const ip = parseIp(text);
        if (!ip || ip.family !== 4) return;
        accepted++;
        expect(formatIp(ip)).toBe(text);
      }),
      { seed: 0x1b4, numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(500);
  });
});

describe('address gate: gateAddress refuses every bypass unless private addresses are allowed (native-host/net/limits.ts)', () => {
  it.each([...EMBEDDED, ...PLAIN])('%s (%s) is refused by default', (text, kind) => {
    const gate = gateAddress(text, false);
    expect(gate).toMatchObject({ ok: false, kind });
  });
  it.each(NOT_IPS)('%j is refused as not an IP address, even when private addresses are allowed', (text) => {
    expect(gateAddress(text, true)).toMatchObject({ ok: false, kind: 'invalid' });
  });
  it.each(['0.0.0.0', '::', '::ffff:0.0.0.0', '224.0.0.1', 'ff02::1'])('%s (unspecified or multicast) is refused even when private addresses are allowed', (text) => {
    expect(gateAddress(text, true).ok).toBe(false);
  });
});

// Loopback listeners count connections: with the gate closed, none may arrive.
const servers: { server: net.Server; port: number; accepted: number }[] = [];
async function listen(host: string): Promise<{ server: net.Server; port: number; accepted: number } | undefined> {
  const server = net.createServer((socket) => {
    entry.accepted++;
    socket.destroy();
  });
  const entry = { server, port: 0, accepted: 0 };
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, host, () => resolve(true));
  });
  if (!ok) return undefined;
  const address = server.address();
  entry.port = typeof address === 'object' && address ? address.port : 0;
  servers.push(entry);
  return entry;
}

describe('probeMx refuses non-public addresses without connecting (allowPrivate false)', () => {
  let v4: { server: net.Server; port: number; accepted: number } | undefined;
  beforeAll(async () => {
    vi.stubEnv(ALLOW_PRIVATE_ENV, '');
    v4 = await listen('127.0.0.1');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.server.close(() => resolve()))));
  });

  const loopbackSpellings = ['127.0.0.1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::', '::127.0.0.1'];
  it('control: with allowPrivate the listener does see the probe (so a refusal below is observable)', async () => {
    if (!v4) throw new Error('no loopback listener');
    const before = v4.accepted;
    const result = await probeMx({ host: 'mx.test', addresses: ['127.0.0.1'], port: v4.port, allowPrivate: true, timeoutMs: 5_000, checkNoSni: false });
    expect(result.addresses[0]?.outcome).not.toBe('refused-private');
    expect(v4.accepted).toBeGreaterThan(before);
  });

  it('every strict spelling of a non-public address: refused-private at the connect step, nothing accepted', async () => {
    if (!v4) throw new Error('no loopback listener');
    const before = v4.accepted;
    const addresses = [...loopbackSpellings, ...EMBEDDED.map(([a]) => a), ...PLAIN.map(([a]) => a)];
    const result = await probeMx({ host: 'mx.test', addresses, port: v4.port, timeoutMs: 5_000 });
    const unique = new Set(addresses);
    expect(result.addresses).toHaveLength(Math.min(64, unique.size));
    for (const a of result.addresses) {
      expect({ address: a.address, outcome: a.outcome, step: a.step }).toEqual({ address: a.address, outcome: 'refused-private', step: 'connect' });
      expect(a.timings.connectMs).toBeUndefined();
    }
    expect(v4.accepted).toBe(before);
  });

  it('every non-IP spelling (decimal, octal, hex, zone id, brackets): error "not an IP address", never resolved or contacted', async () => {
    if (!v4) throw new Error('no loopback listener');
    const before = v4.accepted;
    const addresses = NOT_IPS.filter((a) => a.length > 0);
    const result = await probeMx({ host: 'mx.test', addresses, port: v4.port, allowPrivate: true, timeoutMs: 5_000 });
    for (const a of result.addresses) {
      expect(a.outcome).toBe('error');
      expect(a.step).toBe('connect');
      expect(a.message).toMatch(/not an IP address/);
    }
    expect(v4.accepted).toBe(before);
  });
});

describe('fetchPolicyWithEvidence refuses non-public addresses before connecting', () => {
  it('addresses given by the caller: every bypass spelling is blocked, no TLS, no response', async () => {
    vi.stubEnv(ALLOW_PRIVATE_ENV, '');
    try {
      const addresses = ['::ffff:127.0.0.1', '64:ff9b::a00:1', '2002:a9fe:a9fe::1', '169.254.169.254', '0x7f.0.0.1', '2130706433', 'fe80::1%eth0'];
      const result = await fetchPolicyWithEvidence('example.com', { addresses, timeoutMs: 2_000 });
      expect(result.attempts).toHaveLength(addresses.length);
      for (const a of result.attempts) {
        expect(a.error?.kind).toBe('blocked');
        expect(a.response).toBeUndefined();
        expect(a.tls).toBeUndefined();
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a DNS answer that changes between lookups cannot swap in a private address: the gated literal is the one used, resolved once', async () => {
    vi.stubEnv(ALLOW_PRIVATE_ENV, '');
    try {
      let calls = 0;
      // A rebinding resolver: a different non-public spelling each time it is asked.
      const answers = [['127.0.0.1'], ['::ffff:7f00:1'], ['10.0.0.1']];
      const resolve = async () => ({ ok: true as const, addresses: answers[calls++ % answers.length] ?? [] });
      const result = await fetchPolicyWithEvidence('example.com', { resolve, timeoutMs: 2_000 });
      expect(calls).toBe(1);
      expect(result.attempts.map((a) => [a.address, a.error?.kind])).toEqual([['127.0.0.1', 'blocked']]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('helper dispatcher: what a request may ask for', () => {
  function dispatch(message: unknown, env: Record<string, string | undefined> = {}) {
    const replies: HelperResponse[] = [];
    const calls: { addresses: string[]; allowPrivate?: boolean; port?: number }[] = [];
    const d = createDispatcher({
      send: (r) => replies.push(r),
      log: () => {},
      env,
      workers: {
        probeMx: async (req) => {
          calls.push({ addresses: req.addresses, ...(req.allowPrivate !== undefined ? { allowPrivate: req.allowPrivate } : {}), ...(req.port !== undefined ? { port: req.port } : {}) });
          return { host: req.host, port: 25, addresses: [] };
        },
      },
    });
    d.handle(message);
    return { replies, calls, idle: () => d.idle() };
  }
  const base = { type: 'probe-mx', id: 'r1', host: 'mx.example' };

  it.each([22, 443, 587, 0, 65536, '25'])('port %j: forbidden-port, no probe', async (port) => {
    const r = dispatch({ ...base, addresses: ['192.0.2.1'], port });
    await r.idle();
    expect(r.replies[0]).toMatchObject({ type: 'error', code: 'forbidden-port' });
    expect(r.calls).toEqual([]);
  });

  it.each(['2130706433', '0x7f.0.0.1', 'fe80::1%eth0', '[::1]', 'localhost'])('address %j: bad-request, no probe', async (address) => {
    const r = dispatch({ ...base, addresses: [address] });
    await r.idle();
    expect(r.replies[0]).toMatchObject({ type: 'error', code: 'bad-request' });
    expect(r.calls).toEqual([]);
  });

  it.each(['0.0.0.0', '::', '224.0.0.1', 'ff02::1'])('address %s: forbidden-address even with allowPrivate', async (address) => {
    const r = dispatch({ ...base, addresses: [address], allowPrivate: true });
    await r.idle();
    expect(r.replies[0]).toMatchObject({ type: 'error', code: 'forbidden-address' });
    expect(r.calls).toEqual([]);
  });

  it('a loopback address goes to the worker with allowPrivate false by default (refused there, per address), port 25', async () => {
    const r = dispatch({ ...base, addresses: ['::ffff:127.0.0.1'] });
    await r.idle();
    expect(r.calls).toEqual([{ addresses: ['::ffff:127.0.0.1'], allowPrivate: false, port: 25 }]);
  });
});
