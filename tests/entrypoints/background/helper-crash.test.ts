// Issue 7: the extension survives the helper crashing or being killed in the middle of a request.
// The real engine and the real HelperClient run over a fake native port whose helper dies on its
// first probe: the probes in flight become `error` outcomes (starttls `error`, no hang), and the
// next check says hello to a fresh helper on a new port and gets its answers.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

vi.mock('wxt/browser', () => ({ browser: fakeBrowser }));

import { checkDomain } from '../../../core/engine.ts';
import type { AddressProbe } from '../../../core/protocol/probe.ts';
import type { Report } from '../../../core/report/schema.ts';
import { HelperClient } from '../../../entrypoints/background/helper-client.ts';
import { runCheck, type CheckDeps } from '../../../entrypoints/background/run-check.ts';
import type { CheckServerMessage } from '../../../entrypoints/shared/ui-protocol.ts';
import { FakeZone } from '../../helpers/fake-zone.ts';
import { FakeNativePort, type FakeHelper } from './fake-native-port.ts';

const DOMAIN = 'crash.example';
const MX = `mx.${DOMAIN}`;
const ADDRESSES = ['93.184.216.10', '2606:2800:220:1::10'];

const zone = () =>
  new FakeZone(
    {
      [DOMAIN]: { MX: [[10, `${MX}.`]] },
      [MX]: { A: ['93.184.216.10'], AAAA: ['2606:2800:220:1::10'] },
      [`_mta-sts.${DOMAIN}`]: { TXT: ['v=STSv1; id=20240501'] },
      [`_smtp._tls.${DOMAIN}`]: { TXT: [`v=TLSRPTv1; rua=mailto:tlsrpt@${DOMAIN}`] },
    },
    { ad: true },
  );

/** What a live helper answers: no STARTTLS on any address (a definite answer, unlike an error). */
const noStarttls = (address: string): AddressProbe => ({
  address,
  family: address.includes(':') ? 6 : 4,
  outcome: 'no-starttls',
  step: 'ehlo',
  message: 'EHLO did not advertise STARTTLS.',
  starttlsOffered: false,
  timings: { totalMs: 3 },
});

type Behaviour = 'die-on-probe' | 'answer';

/** Each port is one helper process; `behaviours[i]` is what the i-th process does. */
function helperProcesses(behaviours: Behaviour[]) {
  const ports: FakeNativePort[] = [];
  const helper = (i: number): FakeHelper => (m, port) => {
    if (m.type === 'hello') return port.reply({ type: 'hello', version: `0.1.${i}`, protocol: 1 });
    if (m.type === 'fetch-policy') return port.reply({ type: 'error', id: m.id, code: 'timeout', message: 'no policy host in this test' });
    if (m.type !== 'probe-mx') return;
    if ((behaviours[i] ?? 'answer') === 'die-on-probe') return port.die('Native host has exited.');
    port.reply({ type: 'probe-mx-result', id: m.id, result: { host: m.host, port: 25, addresses: (m.addresses as string[]).map(noStarttls) } });
  };
  const client = new HelperClient({
    connect: () => {
      const p = new FakeNativePort(helper(ports.length));
      ports.push(p);
      return p;
    },
    helloTimeoutMs: 500,
  });
  return { client, ports };
}

function deps(client: HelperClient): CheckDeps {
  return {
    area: fakeBrowser.storage.local,
    helper: client,
    fetch: (async () => Promise.reject(new Error('no network in this test'))) as typeof fetch,
    hasHostPermission: async () => true,
    checkDomain,
    resolverFromSetting: () => zone(),
  };
}

async function check(d: CheckDeps, force = true): Promise<{ report: Report; messages: CheckServerMessage[] }> {
  const messages: CheckServerMessage[] = [];
  await runCheck({ input: DOMAIN, force }, d, (m) => messages.push(m), new AbortController().signal);
  const done = messages.find((m): m is Extract<CheckServerMessage, { type: 'done' }> => m.type === 'done');
  if (!done) throw new Error(`no report: ${JSON.stringify(messages.at(-1))}`);
  return { report: done.report, messages };
}

const starttls = (r: Report) => r.checks.find((c) => c.id === 'starttls')!;
const outcomes = (r: Report) => {
  const ev = starttls(r).evidence as { hosts?: { addresses: { address: string; outcome: string; message: string }[] }[] };
  return (ev.hosts ?? []).flatMap((h) => h.addresses);
};

beforeEach(() => fakeBrowser.reset());

describe('issue 7: the helper crashes or is killed in the middle of a check', () => {
  it('the probes in flight become errors in the report: starttls is error, naming the helper, not a hang', async () => {
    const { client, ports } = helperProcesses(['die-on-probe']);
    const { report } = await check(deps(client));
    expect(starttls(report).status).toBe('error');
    expect(outcomes(report).map((a) => [a.address, a.outcome])).toEqual(ADDRESSES.map((a) => [a, 'error']));
    expect(outcomes(report)[0]?.message).toMatch(/helper.*(stopped|exited)/i);
    expect(client.inFlight).toBe(0);
    expect(ports[0]?.dead).toBe(true);
  });

  it('the next check reconnects to a fresh helper (new port, hello again) and reports its answers', async () => {
    const { client, ports } = helperProcesses(['die-on-probe', 'answer']);
    expect(starttls((await check(deps(client))).report).status).toBe('error');
    const { report, messages } = await check(deps(client));
    expect(ports).toHaveLength(2);
    expect(ports[1]?.sent.some((m) => (m as { type: string }).type === 'hello')).toBe(true);
    expect(outcomes(report).map((a) => a.outcome)).toEqual(['no-starttls', 'no-starttls']);
    // A definite answer (warn or fail by the policy's mode), no longer an error.
    expect(starttls(report).status).toMatch(/^(warn|fail)$/);
    // The helper is not reported missing: the crash did not leave a stale "error" state behind.
    expect(messages.some((m) => m.type === 'done' && m.helperMissing)).toBe(false);
  });

  it('a helper killed while idle between checks is also replaced at the next check', async () => {
    const { client, ports } = helperProcesses(['answer', 'answer']);
    expect(await client.state()).toEqual({ state: 'found', version: '0.1.0' });
    ports[0]!.die('Native host has exited.');
    const { report } = await check(deps(client));
    expect(ports).toHaveLength(2);
    expect(outcomes(report).map((a) => a.outcome)).toEqual(['no-starttls', 'no-starttls']);
  });

  it('a helper that never answered keeps its "not installed" state (no reconnect storm)', async () => {
    let connects = 0;
    const client = new HelperClient({
      connect: () => {
        connects++;
        const p = new FakeNativePort((_m, port) => port.die('Specified native messaging host not found.'));
        return p;
      },
      helloTimeoutMs: 500,
    });
    const { report, messages } = await check(deps(client));
    await check(deps(client));
    expect(connects).toBe(1);
    expect(starttls(report).status).toBe('skipped');
    expect(messages.find((m) => m.type === 'done')).toMatchObject({ helperMissing: expect.stringContaining('npx mta-sts-inspector host install') });
  });
});
