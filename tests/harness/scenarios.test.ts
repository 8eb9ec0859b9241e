// The scenario file and the zone generator: every failure class the brief names has its
// scenario, every scenario states all seven expectations, and zone text is well-formed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyAddress, smtpAddress } from './addresses.ts';
import { policyBodyBytes, policyResponse, POLICY_PATH } from './policy-servers.ts';
import { SCENARIOS, type ExpectedCheckId, type Scenario } from './scenarios.ts';
import { rootZone, scenarioZone, tldZone, txtRdata, txtString } from './zones.ts';

const CHECK_IDS: ExpectedCheckId[] = ['mx', 'starttls', 'sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax', 'policy-mx-match', 'dane'];

function byLabel(label: string): Scenario {
  const s = SCENARIOS.find((x) => x.label === label);
  if (!s) throw new Error(`no scenario ${label}`);
  return s;
}

describe('scenario data', () => {
  it.each([
    ['RFC 8461 §3.1: no _mta-sts record', 'no-sts-record', 'sts-record', 'fail'],
    ['RFC 8461 §3.1: two records', 'two-sts-records', 'sts-record', 'fail'],
    ['RFC 8461 §3.1: bad id', 'bad-sts-id', 'sts-record', 'fail'],
    ['RFC 8461 §3.1: "v=STSv1 ;"', 'sts-space-before-semicolon', 'sts-record', 'fail'],
    ['RFC 8461 §3.3: policy 404', 'policy-404', 'policy-fetch', 'fail'],
    ['RFC 8461 §3.3: policy redirect', 'policy-redirect', 'policy-fetch', 'fail'],
    ['RFC 8461 §3.2: wrong content type', 'policy-content-type', 'policy-fetch', 'warn'],
    ['RFC 8461 §3.3: huge policy', 'policy-huge', 'policy-fetch', 'warn'],
    ['RFC 8461 §3.2: bare LF is info only', 'policy-bare-lf', 'policy-syntax', 'pass'],
    ['RFC 8461 §3.2: bad mode', 'policy-bad-mode', 'policy-syntax', 'fail'],
    ['RFC 8461 §3.2: max_age too big', 'policy-max-age-too-big', 'policy-syntax', 'fail'],
    ['RFC 8461 §3.2: missing mx', 'policy-missing-mx', 'policy-syntax', 'fail'],
    ['RFC 8461 §3.2: U-label mx', 'policy-ulabel-mx', 'policy-syntax', 'fail'],
    ['RFC 8461 §4.1: MX not matched', 'mx-not-matched', 'policy-mx-match', 'fail'],
    ['RFC 8461 §4.1: wildcard match', 'wildcard-match', 'policy-mx-match', 'pass'],
    ['RFC 5321 §5.1: implicit MX', 'implicit-mx', 'mx', 'fail'],
    ['RFC 7505: null MX', 'null-mx', 'mx', 'warn'],
    ['RFC 5321 §5.1: MX target CNAME', 'mx-cname', 'mx', 'warn'],
    ['RFC 8461 §4.2: expired cert', 'cert-expired', 'starttls', 'fail'],
    ['RFC 8461 §4.2: wrong-name cert', 'cert-wrong-name', 'starttls', 'fail'],
    ['RFC 8461 §4.2: self-signed', 'cert-self-signed', 'starttls', 'fail'],
    ['RFC 8461 §4.2: missing intermediate', 'cert-missing-intermediate', 'starttls', 'fail'],
    ['RFC 3207 §4: no STARTTLS', 'no-starttls', 'starttls', 'fail'],
    ['RFC 3207 §4: 454 to STARTTLS', 'starttls-454', 'starttls', 'warn'],
    ['RFC 5321 §3.1: 421 greeting', 'greeting-421', 'starttls', 'warn'],
    ['RFC 5321 §4.5.3.2: silent MX', 'silent-mx', 'starttls', 'warn'],
    ['RFC 8461 §5: testing without TLSRPT', 'mode-testing-no-tlsrpt', 'tlsrpt-record', 'warn'],
    ['RFC 8460 §3: bad rua', 'tlsrpt-bad-rua', 'tlsrpt-record', 'warn'],
    ['RFC 4035 §4.3: unsigned zone', 'unsigned', 'mx', 'warn'],
    ['RFC 4035 §5.5: broken signatures', 'bogus-dnssec', 'mx', 'fail'],
    ['RFC 7672 §3.2: DANE-EE records matching both MX', 'dane-good', 'dane', 'pass'],
    ['RFC 7672 §3.2: a DANE record that matches nothing', 'dane-mismatch', 'dane', 'fail'],
    ['RFC 7671 §8.1: a single DANE-TA record pinning an intermediate', 'dane-ta', 'dane', 'warn'],
    ['RFC 7672 §3.1.2: a DANE-TA root sent in the chain', 'dane-ta-root', 'dane', 'pass'],
    ['RFC 7672 §2.2: TLSA records in an unsigned zone', 'dane-unsigned', 'dane', 'warn'],
    ['RFC 7672 §2.2: no TLSA records: DANE not deployed', 'good', 'dane', 'skipped'],
  ] as const)('%s has a scenario (%s) expecting %s %s', (_n, label, check, status) => {
    expect(byLabel(label).expected[check]).toBe(status);
  });

  it('the good scenario expects every check to pass, with a signed zone, two MX and TLSRPT', () => {
    const s = byLabel('good');
    const seven = CHECK_IDS.filter((id) => id !== 'dane');
    expect({ expected: seven.map((id) => s.expected[id]), dnssec: s.dnssec, mx: s.mx, tlsrpt: s.tlsrpt.length }).toEqual({
      expected: seven.map(() => 'pass'),
      dnssec: 'signed',
      mx: [
        { preference: 10, target: 'mx1' },
        { preference: 20, target: 'mx2' },
      ],
      tlsrpt: 1,
    });
  });

  it.each(SCENARIOS.map((s) => [s.label, s] as const))('%s: labels are LDH and every non-pass expectation says why', (_l, s) => {
    expect(s.label).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
    const unexplained = CHECK_IDS.filter((id) => s.expected[id] !== 'pass' && s.expected[id] !== 'skipped' && !s.why?.[id]);
    expect(unexplained).toEqual([]);
  });

  it('labels are unique', () => {
    expect(new Set(SCENARIOS.map((s) => s.label)).size).toBe(SCENARIOS.length);
  });
});

describe('zone generation', () => {
  it.each([
    ['RFC 5321 §5.1: implicit MX has no MX record but an address at the apex', 'implicit-mx', /^@ IN MX/m, false],
    ['RFC 7505: null MX is "0 ."', 'null-mx', /^@ IN MX 0 \.$/m, true],
    ['RFC 2181 §10.3: the CNAME target scenario publishes the alias', 'mx-cname', /^mail\.mx-cname\.mtasts\.test\. IN CNAME mx1\.mx-cname\.mtasts\.test\.$/m, true],
    ['RFC 8461 §3.1: two records are two TXT RRs', 'two-sts-records', /_mta-sts IN TXT "v=STSv1; id=20250202000000;"/, true],
    ['RFC 8461 §3.1: a split record is one RR of two strings', 'split-sts-record', /_mta-sts IN TXT "v=STSv1; " "id=20250101000000;"/, true],
    ['RFC 8460 §3: no TLSRPT record when the scenario has none', 'mode-testing-no-tlsrpt', /_smtp\._tls/, false],
  ] as const)('%s', (_n, label, pattern, present) => {
    const s = byLabel(label);
    expect(pattern.test(scenarioZone(s, SCENARIOS.indexOf(s) + 1))).toBe(present);
  });

  it('RFC 7672 §2.2.3: TLSA records go to _25._tcp.<host>, only for hosts that have them', () => {
    const s = byLabel('dane-mismatch');
    const zone = scenarioZone(s, 9, (h) => (h.name === 'mx2' ? ['3 1 1 ab', '2 0 1 cd'] : []));
    expect(zone.split('\n').filter((l) => l.includes('TLSA'))).toEqual([
      '_25._tcp.mx2.dane-mismatch.mtasts.test. IN TLSA 3 1 1 ab',
      '_25._tcp.mx2.dane-mismatch.mtasts.test. IN TLSA 2 0 1 cd',
    ]);
  });

  it.each(SCENARIOS.filter((s) => s.hosts.some((h) => h.tlsa?.length)).map((s) => [s.label, s] as const))(
    'RFC 7672: %s expects a dane status other than skipped and says why',
    (_l, s) => {
      expect({ dane: s.expected.dane !== 'skipped' && s.expected.dane !== undefined, why: Boolean(s.why?.dane) }).toEqual({ dane: true, why: true });
    },
  );

  it('addresses follow the plan: policy host on 127.0.51.i, hosts on 127.0.52+k.i', () => {
    const s = byLabel('good');
    const zone = scenarioZone(s, 7);
    expect([zone.includes(`mta-sts IN A ${policyAddress(7)}`), zone.includes(`mx2.good.mtasts.test. IN A ${smtpAddress(7, 1)}`)]).toEqual([true, true]);
  });

  it('the TLD zone carries DS only for the labels it is given; the root delegates only the TLD', () => {
    const tld = tldZone([byLabel('good'), byLabel('unsigned')], new Map([['good', ['good.mtasts.test. IN DS 1 13 2 ab']]]));
    expect([tld.includes('good.mtasts.test. IN DS'), tld.includes('unsigned IN NS'), /unsigned.*DS/.test(tld)]).toEqual([true, true, false]);
    expect(rootZone().match(/ IN NS /g)?.length).toBe(2); // apex + the TLD delegation
  });

  it('RFC 1035 §5.1: TXT strings are always one quoted string with escapes, never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(txtString(text)).toMatch(/^"(?:[\x20-\x21\x23-\x5b\x5d-\x7e]|\\["\\]|\\\d{3})*"$/);
      }),
    );
  });

  it('RFC 1035 §3.3.14: strings over 255 bytes are split into 255-byte character-strings', () => {
    const parts = txtRdata('a'.repeat(600)).split(' ');
    expect(parts.map((p) => p.length - 2)).toEqual([255, 255, 90]);
  });
});

describe('policy responses', () => {
  it.each([
    ['RFC 8461 §3.3: 404 scenario', 'policy-404', 404, undefined],
    ['RFC 8461 §3.3: redirect scenario', 'policy-redirect', 301, 'https://mta-sts.policy-redirect.mtasts.test/moved/mta-sts.txt'],
    ['RFC 8461 §3.3: good scenario', 'good', 200, undefined],
  ] as const)('%s answers %s', (_n, label, status, location) => {
    const r = policyResponse(byLabel(label), POLICY_PATH);
    expect({ status: r.status, location: r.headers.location }).toEqual({ status, location });
  });

  it('RFC 8461 §3.3: the huge body is padded past 200 KiB with grammatical extension lines', () => {
    const spec = byLabel('policy-huge').policy;
    if (!spec) throw new Error('no policy');
    const text = new TextDecoder().decode(policyBodyBytes(spec));
    const lines = text.split('\r\n').filter(Boolean);
    expect({ big: text.length >= 200 * 1024, allFields: lines.every((l) => /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}: \S/.test(l)) }).toEqual({ big: true, allFields: true });
  });
});
