// Native-messaging protocol version 1 (../shared/DESIGN.md), host `dev.mta_sts_inspector.helper`.
// Both the extension and native-host/ safeParse every message with these schemas.
import { z } from 'zod';
import { MxProbeResultSchema } from './probe.ts';
import { PolicyFetchResultSchema } from './policy-fetch.ts';

export const HELPER_HOST_NAME = 'dev.mta_sts_inspector.helper';
export const PROTOCOL_VERSION = 1;
/** No message over 1 MiB in either direction (Chromium's limit for host → browser). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

const Id = z.string().min(1).max(64);
const HostName = z.string().min(1).max(253);
const IpAddress = z.string().min(2).max(45);
const TimeoutMs = z.number().int().min(100).max(120_000);

export const HelloRequestSchema = z.object({ type: z.literal('hello') });
export const ProbeMxRequestSchema = z.object({
  type: z.literal('probe-mx'),
  id: Id,
  host: HostName,
  addresses: z.array(IpAddress).min(1).max(32),
  port: z.literal(25).optional(),
  timeoutMs: TimeoutMs.optional(),
  /** The extension's "allow non-public addresses" setting; the helper also honours MTA_STS_INSPECTOR_ALLOW_PRIVATE=1. */
  allowPrivate: z.boolean().optional(),
});
export const FetchPolicyRequestSchema = z.object({
  type: z.literal('fetch-policy'),
  id: Id,
  domain: HostName,
  addresses: z.array(IpAddress).max(32).optional(),
  timeoutMs: TimeoutMs.optional(),
  allowPrivate: z.boolean().optional(),
});
export const HelperRequestSchema = z.discriminatedUnion('type', [
  HelloRequestSchema,
  ProbeMxRequestSchema,
  FetchPolicyRequestSchema,
]);
export type HelperRequest = z.infer<typeof HelperRequestSchema>;
export type ProbeMxRequest = z.infer<typeof ProbeMxRequestSchema>;
export type FetchPolicyRequest = z.infer<typeof FetchPolicyRequestSchema>;

/** Stable error codes: this list only ever grows (native-host/PROTOCOL.md documents each). */
export const HELPER_ERROR_CODES = [
  'bad-json', // the frame was not JSON
  'bad-request', // JSON of the wrong shape
  'unknown-type', // a `type` this helper does not know
  'too-large', // a frame over 1 MiB, or a result that would be
  'forbidden-address', // a non-public address without permission
  'forbidden-port', // any port but 25 for probes
  'timeout', // the request's own time limit passed
  'busy', // too many requests in flight
  'internal', // a fault in the helper (a bug): the message says what
] as const;
export const HelperErrorCodeSchema = z.enum(HELPER_ERROR_CODES);
export type HelperErrorCode = z.infer<typeof HelperErrorCodeSchema>;

export const HelloResponseSchema = z.object({
  type: z.literal('hello'),
  version: z.string().max(64),
  protocol: z.literal(PROTOCOL_VERSION),
});
export const ProbeMxResponseSchema = z.object({
  type: z.literal('probe-mx-result'),
  id: Id,
  result: MxProbeResultSchema,
});
export const FetchPolicyResponseSchema = z.object({
  type: z.literal('fetch-policy-result'),
  id: Id,
  result: PolicyFetchResultSchema,
});
export const ErrorResponseSchema = z.object({
  type: z.literal('error'),
  id: Id.optional(),
  code: HelperErrorCodeSchema,
  message: z.string().max(2048),
});
export const HelperResponseSchema = z.discriminatedUnion('type', [
  HelloResponseSchema,
  ProbeMxResponseSchema,
  FetchPolicyResponseSchema,
  ErrorResponseSchema,
]);
export type HelperResponse = z.infer<typeof HelperResponseSchema>;
