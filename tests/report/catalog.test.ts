import { describe, expect, it } from 'vitest';
import { CHECK_IDS, overallStatus, type CheckStatus } from '../../core/report/catalog.ts';

describe('the check catalogue (DESIGN.md "The checks" and "The report")', () => {
  it('lists the checks in DESIGN.md order, dane after starttls', () => {
    expect([...CHECK_IDS]).toEqual(['mx', 'starttls', 'dane', 'sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax', 'policy-mx-match']);
  });

  it.each<[string, CheckStatus[], 'pass' | 'warn' | 'fail']>([
    ['any fail makes the report fail', ['pass', 'error', 'fail', 'warn'], 'fail'],
    ['a warning without failures makes it warn', ['pass', 'warn', 'skipped'], 'warn'],
    ['a check that could not run (error) makes it warn', ['pass', 'error'], 'warn'],
    ['skipped checks alone do not lower a pass', ['pass', 'skipped'], 'pass'],
    ['no checks at all is a pass', [], 'pass'],
  ])('DESIGN.md overall status: %s', (_name, statuses, expected) => {
    expect(overallStatus(statuses.map((status) => ({ status })))).toBe(expected);
  });
});
