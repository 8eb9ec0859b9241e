import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResolvConf, parseServerAddress } from '../../../native-host/dns/resolv-conf.ts';

describe('parseResolvConf (resolv.conf(5))', () => {
  it.each([
    ['reads nameserver lines in order', 'nameserver 192.0.2.1\nnameserver 2001:db8::53\n', ['192.0.2.1', '2001:db8::53']],
    ['skips comments, search and options', '# nameserver 10.0.0.1\n; x\nsearch example.com\noptions ndots:2\nnameserver 127.0.0.53 # stub\n', ['127.0.0.53']],
    ['skips values that are not IP addresses', 'nameserver dns.example.com\nnameserver 192.0.2.300\nnameserver 192.0.2.2\n', ['192.0.2.2']],
    ['keeps at most three, as glibc (MAXNS)', 'nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\nnameserver 192.0.2.4\n', ['192.0.2.1', '192.0.2.2', '192.0.2.3']],
    ['reads CRLF files and tabs', 'nameserver\t192.0.2.1\r\n', ['192.0.2.1']],
    ['keeps an IPv6 zone index', 'nameserver fe80::1%eth0\n', ['fe80::1%eth0']],
    ['an empty file has none', '', []],
  ])('%s', (_title, text, expected) => {
    expect(parseResolvConf(text)).toEqual(expected);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (text) => Array.isArray(parseResolvConf(text))));
  });
});

describe('parseServerAddress', () => {
  it.each([
    ['192.0.2.53', { host: '192.0.2.53', port: 53, family: 4 }],
    ['127.0.40.1:5353', { host: '127.0.40.1', port: 5353, family: 4 }],
    ['::1', { host: '::1', port: 53, family: 6 }],
    ['[::1]:5353', { host: '::1', port: 5353, family: 6 }],
    ['fe80::1%eth0', { host: 'fe80::1%eth0', port: 53, family: 6 }],
  ])('accepts %s', (text, expected) => {
    expect(parseServerAddress(text)).toEqual(expected);
  });

  it.each(['dns.example.com', '192.0.2.1:0', '192.0.2.1:70000', '[::1]:x', '', '1.2.3'])('refuses %j', (text) => {
    expect(parseServerAddress(text)).toBeUndefined();
  });
});
