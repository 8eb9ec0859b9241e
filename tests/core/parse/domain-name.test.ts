import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isLdhDomain, normalizeDomainInput, toALabel } from '../../../core/parse/domain-name.ts';
import { toUnicodeDomain } from '../../../core/parse/punycode.ts';

describe('isLdhDomain', () => {
  it.each([
    ['RFC 5321 §4.1.2: plain domain', 'mail.example.com', true],
    ['RFC 5321 §4.1.2: digits-only labels are LDH', '192.0.2.1', true],
    ['RFC 5321 §4.1.2: inner hyphens', 'a-b--c.example', true],
    ['RFC 5321 §4.1.2: 63-character label', `${'a'.repeat(63)}.com`, true],
    ['RFC 1035 §2.3.4: exactly 253 characters', `${'a'.repeat(61)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`, true],
    ['RFC 5321 §4.1.2: empty string', '', false],
    ['RFC 5321 §4.1.2: empty label', 'a..b', false],
    ['RFC 5321 §4.1.2: leading dot', '.example.com', false],
    ['RFC 5321 §4.1.2: trailing dot is not part of Domain', 'example.com.', false],
    ['RFC 5321 §4.1.2: leading hyphen', '-a.com', false],
    ['RFC 5321 §4.1.2: trailing hyphen', 'a-.com', false],
    ['RFC 5321 §4.1.2: underscore', '_mta-sts.example.com', false],
    ['RFC 5321 §4.1.2: 64-character label', `${'a'.repeat(64)}.com`, false],
    ['RFC 1035 §2.3.4: 254 characters', `${'a'.repeat(62)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`, false],
    ['RFC 5321 §4.1.2: non-ASCII', 'bücher.de', false],
    ['RFC 5321 §4.1.2: wildcard', '*.example.com', false],
  ])('%s', (_name, name, expected) => {
    expect(isLdhDomain(name)).toBe(expected);
  });

  const reference = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
  it('RFC 5321 §4.1.2: agrees with a reference regular expression on arbitrary strings', () => {
    let accepted = 0;
    let rejected = 0;
    const chars = fc.constantFrom('a', 'Z', '0', '9', '-', '.', '_', ' ', 'ü', '*');
    fc.assert(
      fc.property(fc.oneof(fc.domain(), fc.string({ unit: chars, maxLength: 30 }), fc.string({ maxLength: 30 })), (s) => {
        const ok = isLdhDomain(s);
        expect(ok).toBe(reference.test(s));
        if (ok) accepted++;
        else rejected++;
      }),
      { seed: 5321, numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });
});

describe('toALabel', () => {
  it.each([
    ['RFC 5891 §4: U-label to A-label', 'bücher.de', 'xn--bcher-kva.de'],
    ['RFC 5891 §4: upper-case Unicode is folded', 'BÜCHER.de', 'xn--bcher-kva.de'],
    ['RFC 5891 §4: one trailing dot is dropped', 'bücher.de.', 'xn--bcher-kva.de'],
    ['RFC 5891 §4: non-Latin script', 'ドメイン.テスト', 'xn--eckwd4c7c.xn--zckzah'],
    ['RFC 5891 §4: ideographic full stop separates labels', 'münchen。de', 'xn--mnchen-3ya.de'],
    ['RFC 5891 §4: ASCII names are lower-cased', 'MAIL.Example.COM', 'mail.example.com'],
    ['RFC 5891 §4: existing A-labels stay', 'xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['RFC 5891 §4: upper-case A-labels are lower-cased', 'XN--BCHER-KVA.DE', 'xn--bcher-kva.de'],
  ])('%s', (_name, input, expected) => {
    expect(toALabel(input)).toBe(expected);
  });

  it.each([
    ['RFC 5321 §4.1.2: ASCII names are not rewritten as IPv4 numbers', '0x7f.1', '0x7f.1'],
  ])('%s', (_name, input, expected) => {
    expect(toALabel(input)).toBe(expected);
  });

  it.each([
    ['RFC 5891 §4: empty', ''],
    ['RFC 5891 §4: invalid Punycode', 'xn--zz.com'],
    ['RFC 5321 §4.1.2: underscore', 'a_b.com'],
    ['RFC 5321 §4.1.2: space', 'ex ample.com'],
    ['RFC 5321 §4.1.2: URL syntax in a Unicode name', 'bücher.de/path'],
    ['RFC 5321 §4.1.2: user info in a Unicode name', 'x@bücher.de'],
    ['RFC 5891 §5.4: an empty Punycode part', 'xn--.com'],
    ['RFC 5321 §4.1.2: a Unicode label over 63 characters once encoded', `${'a'.repeat(60)}ü.de`],
    ['RFC 5321 §4.1.2: empty label', 'a..bücher.de'],
  ])('%s → undefined', (_name, input) => {
    expect(toALabel(input)).toBeUndefined();
  });

  it('RFC 3492 §6.2: decoding an A-label and encoding it again gives the same A-label', () => {
    const unit = fc.constantFrom('a', 'x', '1', 'ü', 'ß', 'é', 'ж', '中', '日', '-', '.');
    let idn = 0;
    let invalid = 0;
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 20 }), (s) => {
        const a = toALabel(s);
        if (a === undefined) {
          invalid++;
          return;
        }
        expect(isLdhDomain(a)).toBe(true);
        expect(toALabel(toUnicodeDomain(a))).toBe(a);
        if (a.includes('xn--')) idn++;
      }),
      { seed: 3492, numRuns: 1500 },
    );
    expect(idn).toBeGreaterThan(50);
    expect(invalid).toBeGreaterThan(10);
  });
});

describe('normalizeDomainInput', () => {
  it.each([
    ['RFC 5321 §4.1.2: a plain domain', 'example.com', { ok: true, domain: 'example.com', from: 'domain' }],
    ['RFC 5321 §4.1.2: upper case and a trailing dot', 'Example.COM.', { ok: true, domain: 'example.com', from: 'domain' }],
    ['RFC 5321 §4.1.2: surrounding spaces are trimmed', '  example.com \n', { ok: true, domain: 'example.com', from: 'domain' }],
    ['RFC 5891 §4: a Unicode domain', 'Bücher.de', { ok: true, domain: 'xn--bcher-kva.de', unicode: 'bücher.de', from: 'domain' }],
    ['RFC 3492: an A-label domain gets its Unicode form', 'xn--bcher-kva.de', { ok: true, domain: 'xn--bcher-kva.de', unicode: 'bücher.de', from: 'domain' }],
    ['RFC 5321 §4.1.2: an e-mail address', 'user@Example.COM', { ok: true, domain: 'example.com', from: 'email' }],
    ['RFC 5322: a display name and angle address', 'Jane Doe <jane@mail.example.org>', { ok: true, domain: 'mail.example.org', from: 'email' }],
    ['RFC 6068 §2: a mailto URI with a query', 'mailto:user@Example.COM?subject=Hi&body=x', { ok: true, domain: 'example.com', from: 'email' }],
    ['RFC 6068 §2: a percent-encoded mailto address, first of a list', 'MAILTO:a%40b@example.net,c@other.org', { ok: true, domain: 'example.net', from: 'email' }],
    ['RFC 6068 §2: an IDN in a mailto URI', 'mailto:a@b%C3%BCcher.de', { ok: true, domain: 'xn--bcher-kva.de', unicode: 'bücher.de', from: 'email' }],
    ['RFC 3986 §3.2.2: an https URL gives its host', 'https://www.Example.com:8443/path?q=1#f', { ok: true, domain: 'www.example.com', from: 'url' }],
    ['RFC 3986 §3.2.2: no reduction to the registrable domain', 'http://a.b.example.co.uk/', { ok: true, domain: 'a.b.example.co.uk', from: 'url' }],
    ['RFC 3986 §3.2.2: a URL typed without scheme', 'example.com/contact', { ok: true, domain: 'example.com', from: 'url' }],
  ])('%s', (_name, input, expected) => {
    expect(normalizeDomainInput(input)).toEqual(expected);
  });

  it.each([
    ['RFC 5321 §4.1.2: empty input', '', /No domain/],
    ['RFC 5321 §4.1.2: only spaces', '   ', /No domain/],
    ['RFC 8461 §3: an IPv4 address', '192.0.2.1', /IP address/],
    ['RFC 8461 §3: an address literal in an e-mail', 'user@[192.0.2.1]', /IP address/],
    ['RFC 8461 §3: an IPv6 URL', 'http://[2001:db8::1]/', /IP address/],
    ['RFC 8461 §3: an IPv4 URL in hex form', 'http://0x7f.1/', /IP address/],
    ['RFC 3696 §2: an all-numeric top-level label', 'example.123', /IP address/],
    ['RFC 5321 §4.1.2: a single label', 'localhost', /single label/],
    ['RFC 5321 §4.1.2: an underscore', '_mta-sts.example.com', /"_"/],
    ['RFC 5321 §4.1.2: a space inside', 'exa mple.com', /spaces/],
    ['RFC 5321 §4.1.2: a name over 253 characters', `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.com`, /253/],
    ['RFC 5321 §4.1.2: a label over 63 characters', `${'a'.repeat(64)}.com`, /at most 63/],
    ['RFC 5321 §4.1.2: an empty label', 'a..com', /empty/],
    ['RFC 3986 §3.1: a non-web scheme', 'ftp://example.com/', /http and https/],
    ['RFC 6068 §2: a mailto without address', 'mailto:?subject=x', /no address/],
    ['RFC 5322: an address without local part', '@example.com', /not an e-mail address/],
    ['RFC 5321 §4.1.2: a port', 'example.com:25', /port/],
    ['RFC 5321 §4.1.2: huge input', 'a'.repeat(5000), /characters long/],
  ])('%s', (_name, input, message) => {
    const result = normalizeDomainInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('RFC 5321 §4.1.2: never throws, and everything accepted is a multi-label LDH A-label', () => {
    let accepted = 0;
    let rejected = 0;
    const input = fc.oneof(
      fc.domain(),
      fc.emailAddress(),
      fc.webUrl(),
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
    );
    fc.assert(
      fc.property(input, (s) => {
        const result = normalizeDomainInput(s);
        if (result.ok) {
          accepted++;
          expect(isLdhDomain(result.domain)).toBe(true);
          expect(result.domain).toBe(result.domain.toLowerCase());
          expect(result.domain).toContain('.');
        } else {
          rejected++;
          expect(result.message.length).toBeGreaterThan(0);
        }
      }),
      { seed: 253, numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
  });
});
