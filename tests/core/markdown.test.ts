import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeMarkdown, fence, reportToMarkdown } from '../../core/markdown.ts';
import { REPORT, HOSTILE_TXT } from '../components/sample-report.ts';
import { cacheKey, isFresh } from '../../core/cache-key.ts';

describe('reportToMarkdown', () => {
  const md = reportToMarkdown(REPORT);

  it.each([
    ['the verdict', /## MTA-STS report for example\\\.com: ❌ fail/],
    ['the UTC time', /Checked at 2025\\-02\\-20T10:11:12\\\.000Z \(UTC\)/],
    ['the policy mode', /\*\*Policy mode:\*\* `enforce`/],
    ['advice with its RFC link', /1\. Fix the certificate of mx2\\\.example\\\.com\\\. \(\[RFC 8461 §4\.2\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc8461#section-4\.2\)\)/],
    ['a table row per check', /\| STARTTLS on every MX host \| ❌ fail \|/],
    ['a finding with its id and host', /`starttls\.certificate-host-mismatch`: .* — mx2\\\.example\\\.com/],
    ['a fenced fix (RFC 8461 §3.1 record)', /```\n {2}v=STSv1; id=20250101T000000;\n {2}```/],
    ['the location of a policy finding', /line 3, column 5/],
  ])('includes %s', (_n, pattern) => {
    expect(md).toMatch(pattern);
  });

  it('has a table row for each check', () => {
    expect(md.match(/^\| (?!Check|---).* \| .* \|$/gm)).toHaveLength(REPORT.checks.length);
  });

  it('does not pass raw HTML from records or messages through', () => {
    const hostile = { ...REPORT, advice: [{ severity: 'warn' as const, text: HOSTILE_TXT, refs: [] }] };
    const out = reportToMarkdown(hostile);
    expect(out).toContain('\\<img');
    expect(out).not.toMatch(/(^|[^\\])<(script|img)/);
  });
});

describe('escapeMarkdown and fence', () => {
  it('escapeMarkdown leaves no unescaped Markdown or HTML special and no line break', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const e = escapeMarkdown(s);
        expect(e).not.toMatch(/(^|[^\\])[<>[\]`*_|]/);
        expect(e).not.toMatch(/[\r\n]/);
      }),
    );
  });

  it('a fence is never closed by the content it holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', 'a', '\n', ' ') }), (s) => {
        const out = fence(s);
        const bar = out.split('\n')[0] ?? '';
        const inner = out.slice(bar.length + 1, out.length - bar.length - 1);
        expect(inner.split('\n').some((l) => l.trim() === bar || l.startsWith(bar))).toBe(false);
      }),
    );
  });
});

describe('cacheKey', () => {
  const base = { domain: 'example.com', resolver: 'cloudflare', probe: true, allowPrivate: false };
  it.each([
    ['another domain', { ...base, domain: 'example.org' }],
    ['another resolver', { ...base, resolver: 'https://doh.example/dns-query' }],
    ['probing off', { ...base, probe: false }],
    ['private addresses allowed', { ...base, allowPrivate: true }],
  ])('differs for %s', (_n, other) => {
    expect(cacheKey(other)).not.toBe(cacheKey(base));
  });

  it('differs for private addresses allowed when not probing (the mx check judges them too)', () => {
    expect(cacheKey({ ...base, probe: false, allowPrivate: true })).not.toBe(cacheKey({ ...base, probe: false }));
  });

  it('ignores case and a trailing dot in the domain', () => {
    expect(cacheKey({ ...base, domain: 'Example.COM.' })).toBe(cacheKey(base));
  });

  it.each([
    [0, 5, 0, true],
    [0, 5, 299_999, true],
    [0, 5, 300_000, false],
    [0, 0, 1, false],
    [1000, 5, 0, false],
  ])('isFresh(stored %i, %i min, now %i) is %s', (storedAt, minutes, now, fresh) => {
    expect(isFresh(storedAt, now, minutes)).toBe(fresh);
  });
});
