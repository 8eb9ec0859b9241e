// The engine's PolicyHistory port (core/ports.ts) in extension storage: per domain, the last
// policy's hash, its `id` and when it was seen, so a changed policy under an unchanged id
// (senders keep the old one, RFC 8461 §3.1) can be flagged. Local only.
import { z } from 'zod';
import type { PolicyHistory, PolicyHistoryEntry } from '../../core/ports.ts';
import type { StorageArea } from '../shared/storage-area.ts';

const PREFIX = 'policy-history:';

const EntrySchema = z.object({
  domain: z.string().max(253),
  id: z.string().max(64),
  policySha256: z.string().max(128),
  firstSeen: z.string().max(64),
  lastSeen: z.string().max(64),
  maxAge: z.number().int().nonnegative().optional(),
}) satisfies z.ZodType<PolicyHistoryEntry>;

export function createPolicyHistory(area: StorageArea): PolicyHistory {
  const key = (domain: string) => `${PREFIX}${domain.toLowerCase()}`;
  return {
    async get(domain) {
      const raw = (await area.get(key(domain)).catch(() => ({}) as Record<string, unknown>))[key(domain)];
      const parsed = EntrySchema.safeParse(raw);
      return parsed.success ? parsed.data : undefined;
    },
    async put(entry) {
      const parsed = EntrySchema.safeParse(entry);
      if (parsed.success) await area.set({ [key(entry.domain)]: parsed.data }).catch(() => undefined);
    },
  };
}
