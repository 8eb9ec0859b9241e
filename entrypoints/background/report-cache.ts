// Reports cached in extension storage (never page storage), per domain + resolver + probe setting
// (core/cache-key.ts), for the configured minutes. Entries are validated on read: a report written
// by an older release that no longer fits the schema is dropped, not shown.
import { z } from 'zod';
import { CACHE_KEY_PREFIX, isFresh } from '../../core/cache-key.ts';
import { ReportSchema, type Report } from '../../core/report/schema.ts';
import type { StorageArea } from '../shared/storage-area.ts';

const EntrySchema = z.object({ storedAt: z.number(), report: ReportSchema });

/** Most entries kept; the oldest go first. Reports are a few hundred KiB at most. */
export const MAX_CACHE_ENTRIES = 40;

export interface ReportCache {
  get(key: string, minutes: number): Promise<{ report: Report; storedAt: number } | undefined>;
  put(key: string, report: Report): Promise<void>;
}

export function createReportCache(area: StorageArea, now: () => number = () => Date.now()): ReportCache {
  return {
    async get(key, minutes) {
      const raw = (await area.get(key).catch(() => ({}) as Record<string, unknown>))[key];
      if (raw === undefined) return undefined;
      const entry = EntrySchema.safeParse(raw);
      if (!entry.success || !isFresh(entry.data.storedAt, now(), minutes)) {
        await area.remove(key).catch(() => undefined);
        return undefined;
      }
      return entry.data;
    },
    async put(key, report) {
      await area.set({ [key]: { storedAt: now(), report } });
      const all = await area.get(null).catch(() => ({}) as Record<string, unknown>);
      const entries = Object.entries(all)
        .filter(([k]) => k.startsWith(CACHE_KEY_PREFIX))
        .map(([k, v]) => ({ k, at: EntrySchema.shape.storedAt.safeParse((v as { storedAt?: unknown } | null)?.storedAt).data ?? 0 }))
        .sort((a, b) => b.at - a.at);
      const stale = entries.slice(MAX_CACHE_ENTRIES).map((e) => e.k);
      if (stale.length > 0) await area.remove(stale).catch(() => undefined);
    },
  };
}
