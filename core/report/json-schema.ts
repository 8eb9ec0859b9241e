// The report as a JSON Schema (draft 2020-12), generated from the zod schema so the two never
// drift; scripts/export-json-schema.ts writes it to schema/report.schema.json for users' scripts.
import { z } from 'zod';
import { ReportSchema } from './schema.ts';

export const REPORT_SCHEMA_ID = 'https://mta-sts-inspector.dev/schema/report-1.json';

export function reportJsonSchema(): Record<string, unknown> {
  // io 'output': what the report looks like once produced (defaults applied), which is what consumers read.
  const schema = z.toJSONSchema(ReportSchema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  return { ...schema, $id: REPORT_SCHEMA_ID, title: 'MTA-STS Inspector report, schema version 1' };
}

/** The file's exact text: 2-space JSON with a final newline. */
export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}
