// Messages between the extension's pages and its background, validated on both ends like any
// other boundary (a page and the background can be different versions right after an update).
import { z } from 'zod';
import { CheckIdSchema, CheckResultSchema, ReportSchema } from '../../core/report/schema.ts';
import type { ServerMessage } from '../../components/run-state.ts';
import { CHECK_PORT_NAME, HELPER_INSTALL_COMMAND, MAX_CANDIDATES, MAX_INPUT } from './protocol-constants.ts';

export { CHECK_PORT_NAME, HELPER_INSTALL_COMMAND };

const Input = z.string().min(1).max(MAX_INPUT);

export const StartCheckSchema = z.object({
  type: z.literal('start'),
  input: Input,
  /** Re-check: bypass the cache. */
  force: z.boolean().optional(),
});
export const CancelCheckSchema = z.object({ type: z.literal('cancel') });
export const CheckClientMessageSchema = z.discriminatedUnion('type', [StartCheckSchema, CancelCheckSchema]);
export type CheckClientMessage = z.infer<typeof CheckClientMessageSchema>;

export const CheckServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    domain: z.string(),
    checks: z.array(z.object({ id: CheckIdSchema, title: z.string() })),
  }),
  z.object({ type: z.literal('check'), check: CheckResultSchema }),
  z.object({
    type: z.literal('done'),
    report: ReportSchema,
    /** When the report came from the cache: when it was stored (ms since the epoch). */
    cachedAt: z.number().optional(),
    /** The policy could not be fetched without the helper because access to all https sites is not granted. */
    needsHostPermission: z.boolean().optional(),
    /** Why starttls was skipped, when it was. */
    helperMissing: z.string().optional(),
  }),
  z.object({ type: z.literal('error'), message: z.string().max(4096) }),
]);
export type CheckServerMessage = z.infer<typeof CheckServerMessageSchema>;

/** The report page's parser of the background's messages (the popup has a smaller one: popup-protocol.ts). */
export function parseCheckServerMessage(raw: unknown): ServerMessage | undefined {
  const m = CheckServerMessageSchema.safeParse(raw);
  return m.success ? m.data : undefined;
}

export const HelperStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('found'), version: z.string() }),
  z.object({ state: z.literal('not-installed'), message: z.string() }),
  z.object({ state: z.literal('blocked'), message: z.string() }),
  z.object({ state: z.literal('error'), message: z.string() }),
]);
export type HelperState = z.infer<typeof HelperStateSchema>;

/** One-shot requests (runtime.sendMessage). */
export const BackgroundRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('helper-status'), refresh: z.boolean().optional() }),
  z.object({ type: z.literal('get-cached'), input: Input }),
  /** The popup opening: the domains it offers (sender, Reply-To, the tab's site) and the first one's cached report. */
  z.object({
    type: z.literal('popup-open'),
    tabId: z.number().int().nonnegative().optional(),
    url: z.string().max(MAX_INPUT).optional(),
  }),
]);
export type BackgroundRequest = z.infer<typeof BackgroundRequestSchema>;

export const GetCachedResponseSchema = z.object({
  report: ReportSchema.optional(),
  cachedAt: z.number().optional(),
});
export type GetCachedResponse = z.infer<typeof GetCachedResponseSchema>;

export const DomainCandidateSchema = z.object({ source: z.string().max(64), domain: z.string().min(1).max(253) });
export const PopupOpenResponseSchema = z.object({
  candidates: z.array(DomainCandidateSchema).max(MAX_CANDIDATES),
  cached: GetCachedResponseSchema.optional(),
});
export type PopupOpenResponse = z.infer<typeof PopupOpenResponseSchema>;

/** The popup asks the webmail content script of the active tab. */
export const SenderRequestSchema = z.object({ type: z.literal('get-sender') });
export const SenderResponseSchema = z.object({
  site: z.string().max(64),
  from: z.string().max(320).optional(),
  replyTo: z.string().max(320).optional(),
});
export type SenderResponse = z.infer<typeof SenderResponseSchema>;
