import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as catalog from '../../components/check-catalog.ts';
import * as core from '../../core/report/schema.ts';

// The popup's zod-free copy must never drift from the contract in core/report/schema.ts.
describe('check catalog (zod-free copy of core/report/schema.ts)', () => {
  it('has the same check ids in the same (DESIGN.md) order', () => {
    expect([...catalog.CHECK_IDS]).toEqual([...core.CHECK_IDS]);
  });

  it('has the same titles', () => {
    expect(catalog.CHECK_TITLES).toEqual(core.CHECK_TITLES);
  });

  it('has the same check statuses', () => {
    expect([...catalog.CHECK_STATUSES]).toEqual(core.CheckStatusSchema.options);
  });

  it('DESIGN.md overall status: agrees with core on every list of statuses', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...catalog.CHECK_STATUSES).map((status) => ({ status }))), (checks) => {
        expect(catalog.overallStatus(checks)).toBe(core.overallStatus(checks));
      }),
    );
  });
});
