// The lookup of the policy host through the DNS port: "does not exist / has no address" is told
// apart from "the lookup failed: <reason>", and a resolver's Extended DNS Error is named.
import { describe, expect, it } from 'vitest';
import { FakeZone, type FakeNameSpec, type FakeSpecial } from '../../helpers/fake-zone.ts';
import { hostLookupResult, hostResolverOf, outcomeOfNodeDns, type LookupOutcome } from '../../../native-host/policy/host-lookup.ts';
import { fetchPolicyWithEvidence } from '../../../native-host/policy/fetch-policy.ts';

const HOST = 'mta-sts.example.test';
const BOGUS: FakeSpecial = { rcode: 'servfail', ede: [{ code: 6, text: 'signature expired' }] };
const signal = new AbortController().signal;

describe('hostResolverOf', () => {
  it.each<[string, FakeNameSpec | undefined, string | RegExp]>([
    ['NXDOMAIN', undefined, `${HOST} does not exist in the DNS (NXDOMAIN via Zone).`],
    ['NXDOMAIN from a filtering resolver (EDE 15)', { A: { rcode: 'nxdomain', ede: [{ code: 15, text: 'listed' }] }, AAAA: { rcode: 'nxdomain' } }, `${HOST} does not exist in the DNS (NXDOMAIN via Zone; Blocked (EDE 15: listed)).`],
    ['NODATA for both', { A: [], AAAA: [] }, `${HOST} has no A or AAAA record (via Zone).`],
    ['DNSSEC bogus (SERVFAIL + EDE 6) for both', { A: BOGUS, AAAA: BOGUS }, `The lookup of ${HOST} failed via Zone: the resolver answered SERVFAIL with DNSSEC Bogus (EDE 6: signature expired) for A and AAAA.`],
    ['SERVFAIL without EDE for both', { A: { rcode: 'servfail' }, AAAA: { rcode: 'servfail' } }, `The lookup of ${HOST} failed via Zone: the resolver answered SERVFAIL for A and AAAA.`],
    ['SERVFAIL for A, NODATA for AAAA', { A: { rcode: 'servfail' }, AAAA: [] }, `The lookup of ${HOST} failed via Zone: the resolver answered SERVFAIL for A (AAAA: no record).`],
    ['REFUSED for both', { A: { rcode: 'refused' }, AAAA: { rcode: 'refused' } }, `The lookup of ${HOST} failed via Zone: the resolver refused the query for A and AAAA.`],
    [
      'a timeout for A, SERVFAIL for AAAA',
      { A: { error: 'timeout', message: 'Zone did not answer within 5000 ms (2 tries).' }, AAAA: { rcode: 'servfail' } },
      `The lookup of ${HOST} failed via Zone: A: no usable answer (timeout): Zone did not answer within 5000 ms (2 tries); AAAA: the resolver answered SERVFAIL.`,
    ],
    ['an error whose message only repeats its kind', { A: { error: 'network' }, AAAA: { error: 'network' } }, `The lookup of ${HOST} failed via Zone: no usable answer (network) for A and AAAA.`],
  ])('RFC 8461 §3.3: %s', async (_label, spec, message) => {
    const zone = new FakeZone(spec ? { [HOST]: spec } : {}, { name: 'Zone' });
    expect(await hostResolverOf(zone)(HOST, signal)).toEqual({ ok: false, message });
  });

  it.each<[string, FakeNameSpec, string[]]>([
    ['A and AAAA', { A: ['192.0.2.1'], AAAA: ['2001:db8::1'] }, ['192.0.2.1', '2001:db8::1']],
    ['A, and SERVFAIL for AAAA', { A: ['192.0.2.1'], AAAA: BOGUS }, ['192.0.2.1']],
    ['AAAA only', { AAAA: ['2001:db8::1'] }, ['2001:db8::1']],
  ])('RFC 8461 §3.3: %s gives the addresses there are', async (_label, spec, addresses) => {
    expect(await hostResolverOf(new FakeZone({ [HOST]: spec }))(HOST, signal)).toEqual({ ok: true, addresses });
  });

  it('RFC 8461 §3.3: a failed lookup never says the name has no address', async () => {
    const zone = new FakeZone({ [HOST]: { A: BOGUS, AAAA: BOGUS } }, { name: 'Zone' });
    const result = await fetchPolicyWithEvidence('example.test', { resolve: hostResolverOf(zone), allowPrivate: true });
    expect(result.attempts).toEqual([
      expect.objectContaining({ error: { kind: 'dns', message: expect.stringMatching(/^The lookup of mta-sts\.example\.test failed via Zone: .*DNSSEC Bogus \(EDE 6/) } }),
    ]);
    expect(result.attempts[0]?.error?.message).not.toMatch(/has no A or AAAA|does not exist/);
  });
});

describe('hostLookupResult', () => {
  const failed = (reason: string): LookupOutcome => ({ kind: 'failed', reason });
  it.each<[string, LookupOutcome, LookupOutcome, string]>([
    ['NXDOMAIN wins over a failure (the name is gone either way)', { kind: 'nxdomain' }, failed('x'), `${HOST} does not exist in the DNS (NXDOMAIN).`],
    ['NODATA with an EDE', { kind: 'nodata', ede: [{ code: 17 }] }, { kind: 'nodata' }, `${HOST} has no A or AAAA record (Filtered (EDE 17)).`],
    ['control characters in a reason are flattened', failed('bad\r\nnews'), failed('bad\r\nnews'), `The lookup of ${HOST} failed: bad news for A and AAAA.`],
  ])('RFC 8461 §3.3: %s', (_label, a, aaaa, message) => {
    expect(hostLookupResult(HOST, a, aaaa)).toEqual({ ok: false, message });
  });
});

describe('outcomeOfNodeDns', () => {
  const rejected = (code: string): PromiseSettledResult<string[]> => ({ status: 'rejected', reason: Object.assign(new Error(code), { code }) });
  it.each<[string, PromiseSettledResult<string[]>, LookupOutcome]>([
    ['addresses', { status: 'fulfilled', value: ['192.0.2.1'] }, { kind: 'addresses', addresses: ['192.0.2.1'] }],
    ['ENOTFOUND is NXDOMAIN', rejected('ENOTFOUND'), { kind: 'nxdomain' }],
    ['ENODATA is NODATA', rejected('ENODATA'), { kind: 'nodata' }],
    ['ESERVFAIL is a failed lookup', rejected('ESERVFAIL'), { kind: 'failed', reason: 'the resolver answered SERVFAIL (ESERVFAIL)' }],
    ['ETIMEOUT is a failed lookup', rejected('ETIMEOUT'), { kind: 'failed', reason: 'no answer from the DNS server in time (ETIMEOUT)' }],
    ['an unknown code is a failed lookup', rejected('EWHATEVER'), { kind: 'failed', reason: 'the DNS library reported an error (EWHATEVER)' }],
  ])('RFC 8461 §3.3: %s', (_label, settled, outcome) => {
    expect(outcomeOfNodeDns(settled)).toEqual(outcome);
  });
});
