import { describe, expect, it } from 'vitest';
import { HelperClient, HelperError, classifyDisconnect } from '../../../entrypoints/background/helper-client.ts';
import { FakeNativePort } from './fake-native-port.ts';
import { helperPolicyFetcher, helperProber } from '../../../entrypoints/background/helper-adapters.ts';

const probeResult = (host: string) => ({ host, port: 25, addresses: [] });

function client(helper: (m: Record<string, unknown>, port: FakeNativePort) => void) {
  const ports: FakeNativePort[] = [];
  const c = new HelperClient({
    connect: () => {
      const p = new FakeNativePort(helper);
      ports.push(p);
      return p;
    },
    helloTimeoutMs: 200,
  });
  return { c, ports };
}

describe('HelperClient', () => {
  it('reports the version of a helper that answers hello', async () => {
    const { c } = client((m, p) => m.type === 'hello' && p.reply({ type: 'hello', version: '1.2.3', protocol: 1 }));
    expect(await c.state()).toEqual({ state: 'found', version: '1.2.3' });
  });

  it.each([
    ['Specified native messaging host not found.', 'not-installed'],
    ['No such native application dev.mta_sts_inspector.helper', 'not-installed'],
    ['Access to the specified native messaging host is forbidden.', 'blocked'],
    ['Native host has exited.', 'error'],
  ])('classifies the browser message "%s" as %s', async (message, state) => {
    const { c } = client((_m, p) => p.die(message));
    expect((await c.state()).state).toBe(state);
    expect(classifyDisconnect(message).state).toBe(state);
  });

  it('matches concurrent answers to their requests by id, whatever the order', async () => {
    const pending: [string, string][] = [];
    const { c, ports } = client((m) => pending.push([m.id as string, m.host as string]));
    const a = c.request({ type: 'probe-mx', host: 'a.example', addresses: ['192.0.2.1'] });
    const b = c.request({ type: 'probe-mx', host: 'b.example', addresses: ['192.0.2.2'] });
    await Promise.resolve();
    await Promise.resolve();
    for (const [id, host] of [...pending].reverse()) ports[0]!.reply({ type: 'probe-mx-result', id, result: probeResult(host) });
    expect(((await a) as { result: { host: string } }).result.host).toBe('a.example');
    expect(((await b) as { result: { host: string } }).result.host).toBe('b.example');
    expect(ports).toHaveLength(1);
  });

  it('fails every request in flight when the helper dies, then reconnects', async () => {
    let first = true;
    const { c, ports } = client((m, p) => {
      if (first) {
        first = false;
        return p.die('Native host has exited.');
      }
      p.reply({ type: 'probe-mx-result', id: m.id, result: probeResult('x.example') });
    });
    await expect(c.request({ type: 'probe-mx', host: 'x.example', addresses: ['192.0.2.1'] })).rejects.toMatchObject({ code: 'disconnected' });
    expect(c.inFlight).toBe(0);
    await expect(c.request({ type: 'probe-mx', host: 'x.example', addresses: ['192.0.2.1'] })).resolves.toMatchObject({ type: 'probe-mx-result' });
    expect(ports).toHaveLength(2);
  });

  it.each([
    ['an answer that does not fit the protocol', { type: 'probe-mx-result', result: 'nonsense' }, 'bad-response'],
    ['an error with the request id', { type: 'error', code: 'forbidden-address', message: 'private' }, 'helper'],
    ['an answer of the wrong type', { type: 'fetch-policy-result', result: { url: 'u', host: 'h', via: 'helper', attempts: [] } }, 'bad-response'],
  ])('rejects on %s', async (_n, answer, code) => {
    const { c } = client((m, p) => p.reply({ ...answer, id: m.id }));
    await expect(c.request({ type: 'probe-mx', host: 'x.example', addresses: ['192.0.2.1'] })).rejects.toMatchObject({ code });
  });

  it('cancels a request when its signal aborts, and drops the late answer', async () => {
    let later: (() => void) | undefined;
    const { c } = client((m, p) => (later = () => p.reply({ type: 'probe-mx-result', id: m.id, result: probeResult('x') })));
    const ac = new AbortController();
    const r = c.request({ type: 'probe-mx', host: 'x.example', addresses: ['192.0.2.1'] }, { signal: ac.signal });
    ac.abort();
    await expect(r).rejects.toBeInstanceOf(HelperError);
    later?.();
    expect(c.inFlight).toBe(0);
  });

  it('refuses requests the protocol does not allow, without sending them', async () => {
    const { c, ports } = client(() => undefined);
    await expect(c.request({ type: 'probe-mx', host: 'x.example', addresses: [] })).rejects.toMatchObject({ code: 'bad-response' });
    expect(ports).toHaveLength(0);
  });
});

describe('helper adapters never throw', () => {
  it('a prober whose helper is gone answers with an error per address', async () => {
    const { c } = client((_m, p) => p.die('Native host has exited.'));
    const r = await helperProber(c, { allowPrivate: false }).probe('mx.example', ['192.0.2.1', '2001:db8::1']);
    expect(r.addresses.map((a) => [a.address, a.family, a.outcome])).toEqual([
      ['192.0.2.1', 4, 'error'],
      ['2001:db8::1', 6, 'error'],
    ]);
    expect(r.addresses[0]?.message).toContain('Native host has exited');
  });

  it('passes allowPrivate and the time limit to the helper', async () => {
    const seen: Record<string, unknown>[] = [];
    const { c } = client((m, p) => {
      seen.push(m);
      p.reply({ type: 'probe-mx-result', id: m.id, result: probeResult('mx.example') });
    });
    await helperProber(c, { allowPrivate: true }).probe('mx.example', ['127.0.60.1'], { timeoutMs: 5000 });
    expect(seen[0]).toMatchObject({ type: 'probe-mx', host: 'mx.example', addresses: ['127.0.60.1'], allowPrivate: true, timeoutMs: 5000 });
  });

  it('a policy fetch through a failing helper is an attempt with an error, via helper', async () => {
    const { c } = client((m, p) => p.reply({ type: 'error', id: m.id, code: 'timeout', message: 'too slow' }));
    const r = await helperPolicyFetcher(c, { allowPrivate: false }).fetchPolicy('example.com');
    expect(r).toMatchObject({ url: 'https://mta-sts.example.com/.well-known/mta-sts.txt', via: 'helper', attempts: [{ error: { kind: 'other' } }] });
    expect(r.attempts[0]?.error?.message).toContain('timeout: too slow');
  });
});
