import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportJsonSchema, reportJsonSchemaText } from '../../core/report/json-schema.ts';

describe('report JSON Schema', () => {
  it('DESIGN.md: schema/report.schema.json is the one generated from ReportSchema (run scripts/export-json-schema.ts)', () => {
    const committed = readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(reportJsonSchemaText());
  });

  it('DESIGN.md: the schema requires the report fields and lists the check ids and statuses', () => {
    const s = reportJsonSchema() as { required: string[]; properties: Record<string, { items?: { properties?: Record<string, { enum?: string[] }> } }> };
    expect(s.required).toEqual(expect.arrayContaining(['schema', 'domain', 'input', 'checkedAt', 'durationMs', 'resolver', 'status', 'advice', 'checks']));
    const check = s.properties['checks']?.items?.properties;
    expect(check?.['id']?.enum).toEqual(['mx', 'starttls', 'dane', 'sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax', 'policy-mx-match']);
    expect(check?.['status']?.enum).toEqual(['pass', 'warn', 'fail', 'skipped', 'error']);
  });
});
