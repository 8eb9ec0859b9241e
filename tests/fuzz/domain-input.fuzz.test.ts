// Fuzzing what the user types or clicks (normalizeDomainInput): names assembled from hostile
// pieces (IP spellings, IDN, fullwidth dots, zero-width characters, ports, userinfo, schemes)
// and random text. Whatever is accepted must be an LDH host name that is not an IP address,
// and normalising it again must give the same name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIp } from '../../core/net/address.ts';
import { normalizeDomainInput, toALabel } from '../../core/parse/domain-name.ts';
import { fcParams, fuzzRuns, fuzzSeed, Tally } from './budget.ts';

const SEED = fuzzSeed(0xd0a1);
const RUNS = fuzzRuns(8_000);

const LABEL = String.raw`(?!-)[a-z0-9-]{1,63}(?<!-)`;
const LDH_NAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})+$`);

const LABELS = ['example', 'com', 'mail', 'bücher', '例え', 'xn--bcher-kva', 'xn--', 'EXAMPLE', 'a-b', '-a', 'a-', '0x7f', '127', '0177', '2130706433', '1', '255', 'ＥＸＡＭＰＬＥ', 'ß', 'a'.repeat(63), 'a'.repeat(64), ''];
const SEPARATORS = ['.', '.', '.', '。', '．', '..', '_', ' ', '%2e', '\u200b', ':', ':25', '/'];
const hostish = fc
  .array(fc.tuple(fc.constantFrom(...LABELS), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 5 })
  .chain((parts) => fc.tuple(fc.constant(parts), fc.boolean()))
  .map(([parts, trailingDot]) => {
    const text = parts.map(([l, s], i) => (i === parts.length - 1 ? l : l + s)).join('');
    return trailingDot ? `${text}.` : text;
  });
const WRAP: [string, string][] = [
  ['', ''], ['', ''], ['user@', ''], ['mailto:user@', '?subject=hi'], ['Name <user@', '>'], ['https://', '/path?q=1'], ['http://', ':8080/'],
  ['https://user:pw@', '/'], ['ftp://', '/'], ['javascript:', ''], ['[', ']'], ['  ', '\t'], ['mailto:', ''], ['@', ''], ['user@', ', other@x.example'],
];
const plainName = fc.array(fc.constantFrom('example', 'com', 'mail', 'bücher', 'xn--bcher-kva', 'EXAMPLE', 'a-b', 'x1'), { minLength: 2, maxLength: 4 }).map((l) => l.join('.'));
const input = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...WRAP), plainName).map(([[a, b], h]) => a + h + b) },
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...WRAP), hostish).map(([[a, b], h]) => a + h + b) },
  { weight: 1, arbitrary: fc.constantFrom('127.0.0.1', '0x7f.0.0.1', '0177.0.0.1', '2130706433', '0x7f000001', '127.1', '[::1]', '::ffff:127.0.0.1', 'fe80::1%eth0', 'user@[127.0.0.1]', 'http://2130706433/', 'https://0x7f.1/', 'http://[::1]/', '1.2.3.4.', 'localhost') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
);

describe(`fuzz normalizeDomainInput, seed ${SEED}, ${RUNS} runs`, () => {
  it(`never throws; accepted input is an LDH name (RFC 5321 §4.1.2), not an IP, and normalising is idempotent (seed ${SEED})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(input, (text) => {
        const r = normalizeDomainInput(text);
        if (!r.ok) {
          tally.hit('rejected');
          expect(r.message.length).toBeGreaterThan(0);
          expect(r.message.length).toBeLessThan(1000);
          return;
        }
        tally.hit(`ok-${r.from}`);
        expect(r.domain.length).toBeLessThanOrEqual(253);
        expect(r.domain).toMatch(LDH_NAME);
        expect(parseIp(r.domain)).toBeUndefined();
        expect(r.domain.slice(r.domain.lastIndexOf('.') + 1)).not.toMatch(/^\d+$/);
        const again = normalizeDomainInput(r.domain);
        expect(again).toMatchObject({ ok: true, domain: r.domain, from: 'domain' });
        if (r.unicode !== undefined) {
          tally.hit('unicode');
          expect(toALabel(r.unicode)).toBe(r.domain);
        }
      }),
      fcParams(SEED, RUNS),
    );
    expect(tally.missing(['rejected', 'ok-domain', 'ok-email', 'ok-url', 'unicode'], 50)).toEqual([]);
  });

  it.each([
    '127.0.0.1', '0x7f.0.0.1', '0177.0.0.1', '2130706433', '0x7f000001', '127.1', '[::1]', '::ffff:127.0.0.1', 'fe80::1%eth0',
    'user@[127.0.0.1]', 'http://2130706433/', 'https://0x7f.1/', 'http://[::1]/', 'https://0177.0.0.1/', 'mailto:a@0x7f.1', 'localhost',
  ])('an IP address in any spelling is never taken for a domain: %s', (text) => {
    expect(normalizeDomainInput(text).ok).toBe(false);
  });
});
