// The fake zone the engine tests rely on must answer like DNS, or those tests prove nothing.
import { describe, expect, it } from 'vitest';
import { FakeZone } from '../helpers/fake-zone.ts';

const zone = () =>
  new FakeZone(
    {
      'example.com': { MX: [[10, 'mx.example.com.']], TXT: [['v=spf1 ', '-all']], ad: true },
      'mx.example.com': { A: ['93.184.216.10'] },
      'alias.example.com': { CNAME: 'mx.example.com' },
      'loop1.example.com': { CNAME: 'loop2.example.com' },
      'loop2.example.com': { CNAME: 'loop1.example.com' },
      'bogus.example.com': { TXT: { rcode: 'servfail', ede: [{ code: 6, text: 'DNSSEC Bogus' }] } },
      'refused.example.com': { A: { rcode: 'refused' } },
      'slow.example.com': { A: { data: ['93.184.216.11'], latencyMs: 30 } },
      'broken.example.com': { A: { error: 'timeout', message: 'timed out' } },
    },
    { ad: false },
  );

describe('FakeZone', () => {
  it.each([
    { name: 'RFC 1035: a name not in the zone is NXDOMAIN', q: ['nope.example.com', 'A'] as const, status: 'nxdomain' },
    { name: 'RFC 2308: a name without the type is NODATA', q: ['mx.example.com', 'AAAA'] as const, status: 'nodata' },
    { name: 'RFC 1035: records are returned', q: ['mx.example.com', 'A'] as const, status: 'ok' },
    { name: 'RFC 8914: SERVFAIL carries its EDE', q: ['bogus.example.com', 'TXT'] as const, status: 'servfail' },
    { name: 'RFC 8484: REFUSED', q: ['refused.example.com', 'A'] as const, status: 'refused' },
    { name: 'RFC 8484: an error (timeout)', q: ['broken.example.com', 'A'] as const, status: 'error' },
    { name: 'RFC 1034 §3.6.2: a CNAME loop is an error', q: ['loop1.example.com', 'A'] as const, status: 'error' },
  ])('$name', async ({ q, status }) => {
    expect((await zone().query(q[0], q[1])).status).toBe(status);
  });

  it('RFC 1034 §3.6.2: CNAMEs are followed and reported', async () => {
    const a = await zone().query('alias.example.com', 'A');
    expect(a.cnameChain.map((c) => [c.name, c.target])).toEqual([['alias.example.com', 'mx.example.com']]);
    expect(a.records).toHaveLength(1);
  });

  it('RFC 4035 §3.2.3: the AD flag is per name, with the zone default', async () => {
    const z = zone();
    expect((await z.query('example.com', 'MX')).ad).toBe(true);
    expect((await z.query('mx.example.com', 'A')).ad).toBe(false);
  });

  it('RFC 8461 §3.1: TXT character-strings are kept and joined', async () => {
    const r = (await zone().query('example.com', 'TXT')).records[0];
    expect(r).toMatchObject({ strings: ['v=spf1 ', '-all'], text: 'v=spf1 -all' });
  });

  it('the query log records start and end, so overlap can be asserted', async () => {
    const z = zone();
    await Promise.all([z.query('slow.example.com', 'A'), z.query('mx.example.com', 'A')]);
    const slow = z.entry('slow.example.com', 'A')!;
    const fast = z.entry('mx.example.com', 'A')!;
    expect(fast.start).toBeLessThan(slow.end!);
    expect(fast.end!).toBeLessThan(slow.end!);
  });

  it('an aborted query answers at once with errorKind aborted', async () => {
    const z = new FakeZone({ 'h.example.com': { A: { hang: true } } });
    const ctrl = new AbortController();
    const p = z.query('h.example.com', 'A', { signal: ctrl.signal });
    ctrl.abort();
    expect(await p).toMatchObject({ status: 'error', errorKind: 'aborted' });
  });
});
