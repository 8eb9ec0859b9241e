// The evidence of one DNS question, shared by every check's evidence (core/checks/evidence.ts) and
// by the dane check's (core/dane/evidence.ts). A leaf module: core/checks/evidence.ts imports
// core/dane/evidence.ts, so the latter must not import the former (an import cycle).
import { z } from 'zod';

export const DnsStatusSchema = z.enum(['ok', 'nodata', 'nxdomain', 'servfail', 'refused', 'error']);

/** One DNS question as it was asked and answered, for every check that looked something up. */
export const DnsQueryEvidenceSchema = z.object({
  name: z.string(),
  type: z.string(),
  status: DnsStatusSchema,
  ad: z.boolean(),
  ede: z.array(z.object({ code: z.number(), text: z.string().optional() })).optional(),
  message: z.string().optional(),
  cnameChain: z.array(z.string()).optional(),
  elapsedMs: z.number().optional(),
});
export type DnsQueryEvidence = z.infer<typeof DnsQueryEvidenceSchema>;
