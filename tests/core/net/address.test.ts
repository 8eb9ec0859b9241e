import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyAddress, formatIp, isPublicAddress, parseIp, type AddressClass } from '../../../core/net/address.ts';

describe('parseIp', () => {
  it.each([
    ['192.0.2.1', 4, [192, 0, 2, 1]],
    ['0.0.0.0', 4, [0, 0, 0, 0]],
    ['255.255.255.255', 4, [255, 255, 255, 255]],
  ])('RFC 3986 §3.2.2: accepts the dotted-quad %s', (text, family, bytes) => {
    expect(parseIp(text)).toEqual({ family, bytes: new Uint8Array(bytes) });
  });

  it.each([
    ['::1', '0000:0000:0000:0000:0000:0000:0000:0001'],
    ['2001:DB8::8:800:200C:417A', '2001:0db8:0000:0000:0008:0800:200c:417a'],
    ['::', '0000:0000:0000:0000:0000:0000:0000:0000'],
    ['::ffff:192.0.2.128', '0000:0000:0000:0000:0000:ffff:c000:0280'],
    ['1:2:3:4:5:6:7:8', '0001:0002:0003:0004:0005:0006:0007:0008'],
    ['1::', '0001:0000:0000:0000:0000:0000:0000:0000'],
    ['64:ff9b::10.0.0.1', '0064:ff9b:0000:0000:0000:0000:0a00:0001'],
  ])('RFC 4291 §2.2: parses the IPv6 text form %s', (text, hex) => {
    const ip = parseIp(text);
    expect(ip?.family).toBe(6);
    const groups = Array.from({ length: 8 }, (_, i) => (((ip?.bytes[i * 2] ?? 0) << 8) | (ip?.bytes[i * 2 + 1] ?? 0)).toString(16).padStart(4, '0'));
    expect(groups.join(':')).toBe(hex);
  });

  it.each([
    ['0x7f.0.0.1', 'hex part'],
    ['017.0.0.1', 'octal-looking leading zero'],
    ['2130706433', 'single decimal number'],
    ['127.1', 'short form'],
    ['256.0.0.1', 'part over 255'],
    ['1.2.3.4.', 'trailing dot'],
    [' 1.2.3.4', 'leading space'],
    ['1.2.3.-4', 'sign'],
    ['1:2:3:4:5:6:7:8:9', 'nine groups'],
    ['1::2::3', 'two ::'],
    ['12345::', 'group of five digits'],
    ['fe80::1%eth0', 'zone id'],
    ['[::1]', 'brackets'],
    ['1:2:3:4:5:6:7::8', ':: standing for no group'],
    ['::ffff:1.2.3', 'short embedded IPv4'],
    ['', 'empty'],
    ['mx.example.com', 'a name'],
  ])('RFC 3986 §3.2.2 / RFC 4291 §2.2: rejects %s (%s)', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
});

describe('classifyAddress', () => {
  it.each<[string, AddressClass]>([
    ['8.8.8.8', 'public'],
    ['192.31.196.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['10.1.2.3', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['100.128.0.1', 'public'],
    ['127.0.10.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['192.88.99.1', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.20.0.1', 'public'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.255', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('RFC 6890 §2.2.2: %s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each<[string, AddressClass]>([
    ['2a00:1450:4001:80b::200e', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b:1::1', 'private'],
    ['100::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['2002:0a00:0001::1', 'private'],
    ['2002:0808:0808::1', 'public'],
    ['3fff::1', 'reserved'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['::1.2.3.4', 'reserved'],
    ['4000::1', 'reserved'],
  ])('RFC 6890 §2.2.3: %s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each(['localhost', '1.2.3', '', '::ffff:999.0.0.1'])('an unparsable address (%s) is invalid, never public', (text) => {
    expect(classifyAddress(text)).toBe('invalid');
    expect(isPublicAddress(text)).toBe(false);
  });
});

describe('properties', () => {
  const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((bytes) => ({ family: 4 as const, bytes }));
  const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => ({ family: 6 as const, bytes }));

  it('parseIp and classifyAddress never throw on any string', () => {
    let parsedSome = 0;
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[0-9a-f:.]{0,45}$/)), (text) => {
        const ip = parseIp(text);
        if (ip) parsedSome++;
        expect(typeof classifyAddress(text)).toBe('string');
      }),
      { numRuns: 2000 },
    );
    // The generator must reach the accepting branch, or this test proves nothing.
    expect(parsedSome).toBeGreaterThan(0);
  });

  it('RFC 5952: formatIp output parses back to the same bytes', () => {
    fc.assert(
      fc.property(fc.oneof(ipv4, ipv6), (ip) => {
        expect(parseIp(formatIp(ip))).toEqual(ip);
      }),
    );
  });

  it('RFC 4291 §2.5.5.2: an IPv4-mapped address is classified as its IPv4 address', () => {
    fc.assert(
      fc.property(ipv4, (v4) => {
        const mapped = new Uint8Array(16);
        mapped.set([0xff, 0xff], 10);
        mapped.set(v4.bytes, 12);
        expect(classifyAddress({ family: 6, bytes: mapped })).toBe(classifyAddress(v4));
      }),
    );
  });

  it('RFC 6890: nothing in 127/8, 10/8 or 192.168/16 is public', () => {
    fc.assert(
      fc.property(fc.constantFrom(127, 10, 192), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, c, d) => {
        const text = a === 192 ? `192.168.${c}.${d}` : `${a}.${c}.1.${d}`;
        expect(isPublicAddress(text)).toBe(false);
      }),
    );
  });
});
