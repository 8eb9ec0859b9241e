// The popup's view of the background's answers, validated with zod's small build (zod/mini): the
// popup keeps only what it shows (each check's status and summary, the verdict, advice), so it
// needs neither zod's classic build nor the report's full schema (issue 6: popup under 60 KB
// gzipped). The background builds these messages from reports it validated with the full schemas;
// tests/entrypoints/shared/popup-protocol.test.ts checks that every full message parses here too.
import * as z from 'zod/mini';
import { CHECK_IDS, CHECK_STATUSES } from '../../core/report/catalog.ts';
import type { ServerMessage } from '../../components/run-state.ts';
import { MAX_CANDIDATES } from './protocol-constants.ts';

const Text = z.string().check(z.maxLength(65_536));
const CheckId = z.enum(CHECK_IDS);
const Severity = z.enum(['fail', 'warn', 'info']);

const PopupCheckSchema = z.object({
  id: CheckId,
  title: Text,
  status: z.enum(CHECK_STATUSES),
  summary: Text,
});
export type PopupCheck = z.infer<typeof PopupCheckSchema>;

const PopupReportSchema = z.object({
  domain: Text,
  checkedAt: Text,
  status: z.enum(['pass', 'warn', 'fail']),
  mode: z.optional(z.object({ value: z.enum(['enforce', 'testing', 'none']), meaning: Text })),
  advice: z.array(z.object({ severity: Severity, text: Text })).check(z.maxLength(100)),
  checks: z.array(PopupCheckSchema).check(z.maxLength(50)),
});
export type PopupReport = z.infer<typeof PopupReportSchema>;

const PopupServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    domain: Text,
    checks: z.array(z.object({ id: CheckId, title: Text })).check(z.maxLength(50)),
  }),
  z.object({ type: z.literal('check'), check: PopupCheckSchema }),
  z.object({
    type: z.literal('done'),
    report: PopupReportSchema,
    cachedAt: z.optional(z.number()),
    needsHostPermission: z.optional(z.boolean()),
    helperMissing: z.optional(Text),
  }),
  z.object({ type: z.literal('error'), message: z.string().check(z.maxLength(4096)) }),
]);

export function parsePopupMessage(raw: unknown): ServerMessage<PopupReport> | undefined {
  const m = PopupServerMessageSchema.safeParse(raw);
  return m.success ? m.data : undefined;
}

const PopupOpenSchema = z.object({
  candidates: z
    .array(z.object({ source: z.string().check(z.maxLength(64)), domain: z.string().check(z.minLength(1), z.maxLength(253)) }))
    .check(z.maxLength(MAX_CANDIDATES)),
  cached: z.optional(z.object({ report: z.optional(PopupReportSchema), cachedAt: z.optional(z.number()) })),
});
export type PopupOpen = z.infer<typeof PopupOpenSchema>;

export function parsePopupOpen(raw: unknown): PopupOpen | undefined {
  const m = PopupOpenSchema.safeParse(raw);
  return m.success ? m.data : undefined;
}
