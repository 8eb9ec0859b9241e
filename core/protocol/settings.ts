// The extension's settings as stored in browser.storage.local: a zod schema per version and one
// migration per step, so a value written by any older release is walked up to the current shape.
// A stored value that fits no version is reported (never silently replaced): the caller shows the
// problem and writes the defaults back.
import { z } from 'zod';

export const BUILTIN_RESOLVER_IDS = ['cloudflare', 'google', 'quad9'] as const;
export type BuiltinResolverId = (typeof BUILTIN_RESOLVER_IDS)[number];

/** Loopback hosts, where plain http is allowed for test resolvers (as core/dns/doh.ts allows). */
function isLoopbackHost(hostname: string): boolean {
  return /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]' || hostname === 'localhost';
}

/** RFC 8484 URL template without `{?dns}`: https (http only on loopback), no credentials, bounded. */
export const DohUrlSchema = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      const scheme = u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname));
      return scheme && u.username === '' && u.password === '' && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an https:// URL (http:// only on loopback) without user name or password');

// v1 (0.0.x previews): a resolver id or URL in one field, probing on/off, cache minutes.
export const SettingsV1Schema = z.object({
  version: z.literal(1),
  resolver: z.string().max(2048),
  probe: z.boolean(),
  cacheMinutes: z.number().int().min(0).max(1440),
});
export type SettingsV1 = z.infer<typeof SettingsV1Schema>;

// v2: probe time limit and the "allow non-public addresses" switch.
export const SettingsV2Schema = SettingsV1Schema.extend({
  version: z.literal(2),
  probeTimeoutMs: z.number().int().min(1000).max(120_000),
  allowPrivate: z.boolean(),
});
export type SettingsV2 = z.infer<typeof SettingsV2Schema>;

// v3 (current): the resolver is a choice plus a separate custom URL, so switching back to a
// built-in one does not lose the URL the user typed.
export const SettingsSchema = z
  .object({
    version: z.literal(3),
    resolver: z.enum([...BUILTIN_RESOLVER_IDS, 'custom']),
    customResolverUrl: DohUrlSchema.optional(),
    probe: z.boolean(),
    probeTimeoutMs: z.number().int().min(1000).max(120_000),
    allowPrivate: z.boolean(),
    cacheMinutes: z.number().int().min(0).max(1440),
  })
  .refine((s) => s.resolver !== 'custom' || s.customResolverUrl !== undefined, {
    message: 'a custom resolver needs its URL',
    path: ['customResolverUrl'],
  });
export type Settings = z.infer<typeof SettingsSchema>;

export const SETTINGS_VERSION = 3;
export const SETTINGS_STORAGE_KEY = 'settings';

export const DEFAULT_SETTINGS: Settings = {
  version: 3,
  resolver: 'cloudflare',
  probe: true,
  probeTimeoutMs: 15_000,
  allowPrivate: false,
  cacheMinutes: 5,
};

type Step = { from: number; schema: z.ZodType; up: (value: never) => unknown };

/** One migration per step: MIGRATIONS[i] turns version i+1 into version i+2. */
export const MIGRATIONS: readonly Step[] = [
  {
    from: 1,
    schema: SettingsV1Schema,
    up: (v: SettingsV1): SettingsV2 => ({ ...v, version: 2, probeTimeoutMs: 15_000, allowPrivate: false }),
  },
  {
    from: 2,
    schema: SettingsV2Schema,
    up: (v: SettingsV2): Settings => {
      const builtin = (BUILTIN_RESOLVER_IDS as readonly string[]).includes(v.resolver);
      const url = DohUrlSchema.safeParse(v.resolver);
      const base = {
        version: 3 as const,
        probe: v.probe,
        probeTimeoutMs: v.probeTimeoutMs,
        allowPrivate: v.allowPrivate,
        cacheMinutes: v.cacheMinutes,
      };
      if (builtin) return { ...base, resolver: v.resolver as BuiltinResolverId };
      if (url.success) return { ...base, resolver: 'custom', customResolverUrl: url.data };
      // An unusable resolver string: keep everything else and say so through the chain's result.
      throw new Error(`the stored resolver "${v.resolver.slice(0, 80)}" is neither a built-in id nor an https URL`);
    },
  },
];

export type LoadedSettings =
  | { ok: true; settings: Settings; migratedFrom?: number }
  | { ok: false; settings: Settings; problem: string };

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`)
    .join('; ');
}

/**
 * Bring a stored value up to the current version. Nothing stored gives the defaults (ok).
 * A value that fails its version's schema or a migration gives `ok: false` with the problem and
 * the defaults, which the caller shows and writes back.
 */
export function migrateSettings(stored: unknown): LoadedSettings {
  if (stored === undefined || stored === null) return { ok: true, settings: DEFAULT_SETTINGS };
  const versionOf = z.object({ version: z.number().int() }).safeParse(stored);
  if (!versionOf.success) {
    return { ok: false, settings: DEFAULT_SETTINGS, problem: 'the stored settings have no version number' };
  }
  const from = versionOf.data.version;
  if (from < 1 || from > SETTINGS_VERSION) {
    return {
      ok: false,
      settings: DEFAULT_SETTINGS,
      problem: `the stored settings have version ${from}, which this release (version ${SETTINGS_VERSION}) does not know`,
    };
  }
  let value: unknown = stored;
  for (const step of MIGRATIONS) {
    if (step.from < from) continue;
    const parsed = step.schema.safeParse(value);
    if (!parsed.success) {
      return { ok: false, settings: DEFAULT_SETTINGS, problem: `version ${step.from} settings are invalid: ${describe(parsed.error)}` };
    }
    try {
      value = step.up(parsed.data as never);
    } catch (e) {
      return {
        ok: false,
        settings: DEFAULT_SETTINGS,
        problem: `migrating settings from version ${step.from}: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
  }
  const final = SettingsSchema.safeParse(value);
  if (!final.success) {
    return { ok: false, settings: DEFAULT_SETTINGS, problem: `the settings are invalid: ${describe(final.error)}` };
  }
  return from === SETTINGS_VERSION ? { ok: true, settings: final.data } : { ok: true, settings: final.data, migratedFrom: from };
}

/** What core/dns/doh.ts `resolverFromSetting` takes: a built-in id or the custom URL. */
export function resolverSettingValue(settings: Settings): string {
  return settings.resolver === 'custom' ? (settings.customResolverUrl ?? '') : settings.resolver;
}
