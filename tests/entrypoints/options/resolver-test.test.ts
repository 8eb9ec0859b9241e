import { describe, expect, it } from 'vitest';
import { testResolver, SIGNED_TEST_NAME } from '../../../entrypoints/options/resolver-test.ts';
import type { DnsAnswer, Resolver, RRType } from '../../../core/dns/types.ts';

function resolver(answer: Partial<DnsAnswer>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'test',
    url: 'https://doh.example/dns-query',
    asked,
    async query<T extends RRType>(name: string, type: T) {
      asked.push(`${name} ${type}`);
      return { name, type, status: 'ok', records: [], cnameChain: [], ad: false, ede: [], elapsedMs: 12.4, ...answer } as DnsAnswer<T>;
    },
  };
}

describe('options "Test" of a resolver', () => {
  it.each([
    ['RFC 4035 §3.2.3: AD set: validates', { ad: true }, { ok: true, validates: true, latencyMs: 12 }, /validates DNSSEC/],
    ['RFC 4035 §3.2.3: AD clear on a signed name: does not validate', { ad: false }, { ok: true, validates: false }, /does NOT validate/],
    ['SERVFAIL: not usable', { status: 'servfail' as const, message: 'upstream' }, { ok: false }, /servfail: upstream/],
  ])('%s', async (_n, answer, expected, message) => {
    const r = resolver(answer);
    const result = await testResolver(r);
    expect(r.asked).toEqual([`${SIGNED_TEST_NAME} A`]);
    expect(result).toMatchObject(expected);
    expect(result.message).toMatch(message);
  });

  it('passes on a resolver setting error', async () => {
    expect(await testResolver({ error: 'not an https URL' })).toEqual({ ok: false, message: 'not an https URL' });
  });
});
