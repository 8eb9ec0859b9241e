// Error replies with the stable codes of core/protocol/helper.ts (table in native-host/PROTOCOL.md).
import type { HelperErrorCode, HelperResponse } from '../../core/protocol/helper.ts';

const MAX_MESSAGE = 2048;

export function errorReply(code: HelperErrorCode, message: string, id?: string): HelperResponse {
  const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
  return id === undefined ? { type: 'error', code, message: text } : { type: 'error', id, code, message: text };
}

/** The request's id when it has a usable one, so even a malformed request's error can be matched to it. */
export function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('id' in value)) return undefined;
  const id = (value as { id: unknown }).id;
  return typeof id === 'string' && id.length >= 1 && id.length <= 64 ? id : undefined;
}
