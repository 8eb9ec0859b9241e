import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  MIGRATIONS,
  SETTINGS_VERSION,
  SettingsSchema,
  SettingsV1Schema,
  SettingsV2Schema,
  migrateSettings,
  resolverSettingValue,
} from '../../core/protocol/settings.ts';

// One fixture per stored version, as each release wrote it.
const V1 = { version: 1, resolver: 'https://doh.example.net/dns-query', probe: false, cacheMinutes: 10 };
const V1_BUILTIN = { version: 1, resolver: 'quad9', probe: true, cacheMinutes: 5 };
const V2 = { version: 2, resolver: 'google', probe: true, cacheMinutes: 3, probeTimeoutMs: 20_000, allowPrivate: true };
const V3 = { ...DEFAULT_SETTINGS, resolver: 'custom' as const, customResolverUrl: 'https://doh.example.net/dns-query', cacheMinutes: 0 };

describe('settings migrations', () => {
  it('has one migration per step up to the current version', () => {
    expect(MIGRATIONS.map((m) => m.from)).toEqual(Array.from({ length: SETTINGS_VERSION - 1 }, (_, i) => i + 1));
  });

  it.each([
    ['v1 fixture fits the v1 schema', SettingsV1Schema, V1],
    ['v2 fixture fits the v2 schema', SettingsV2Schema, V2],
    ['v3 fixture fits the current schema', SettingsSchema, V3],
  ])('%s', (_n, schema, fixture) => {
    expect(schema.safeParse(fixture).success).toBe(true);
  });

  it.each([
    ['v1 → v2: adds the probe timeout and allowPrivate=false', MIGRATIONS[0], V1, { ...V1, version: 2, probeTimeoutMs: 15_000, allowPrivate: false }],
    [
      'v2 → v3: a built-in resolver id stays a choice',
      MIGRATIONS[1],
      V2,
      { version: 3, resolver: 'google', probe: true, cacheMinutes: 3, probeTimeoutMs: 20_000, allowPrivate: true },
    ],
  ])('step %s', (_n, step, input, expected) => {
    expect(step?.up(input as never)).toEqual(expected);
  });

  it.each([
    ['a v1 custom URL', V1, { resolver: 'custom', customResolverUrl: 'https://doh.example.net/dns-query', probe: false, allowPrivate: false, cacheMinutes: 10 }, 1],
    ['a v1 built-in id', V1_BUILTIN, { resolver: 'quad9', probe: true, probeTimeoutMs: 15_000 }, 1],
    ['a v2 value', V2, { resolver: 'google', allowPrivate: true, probeTimeoutMs: 20_000 }, 2],
  ])('walks the whole chain from %s to the current version', (_n, stored, expected, from) => {
    const r = migrateSettings(stored);
    expect(r).toMatchObject({ ok: true, migratedFrom: from, settings: { version: SETTINGS_VERSION, ...expected } });
    expect(SettingsSchema.safeParse(r.settings).success).toBe(true);
  });

  it('keeps a current value as it is, without a migratedFrom', () => {
    expect(migrateSettings(V3)).toEqual({ ok: true, settings: V3 });
  });

  it('gives the defaults when nothing is stored', () => {
    expect(migrateSettings(undefined)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });

  it.each([
    ['no version', { resolver: 'google' }, /no version/],
    ['a future version', { ...V3, version: 99 }, /version 99/],
    ['a v1 value failing its schema', { ...V1, cacheMinutes: -1 }, /version 1 settings are invalid: cacheMinutes/],
    ['a v2 resolver that is neither id nor https URL', { ...V2, resolver: 'ftp://x.example' }, /migrating settings from version 2/],
    ['a current value with an http URL off loopback', { ...V3, customResolverUrl: 'http://doh.example.net/dns-query' }, /customResolverUrl/],
    ['custom without its URL', { ...V3, customResolverUrl: undefined }, /needs its URL/],
    ['a string', 'garbage', /no version/],
  ])('reports, never silently resets: %s', (_n, stored, problem) => {
    const r = migrateSettings(stored);
    expect(r.ok).toBe(false);
    expect(r.settings).toEqual(DEFAULT_SETTINGS);
    expect(r.ok ? '' : r.problem).toMatch(problem);
  });

  it.each([
    ['a built-in resolver', DEFAULT_SETTINGS, 'cloudflare'],
    ['a custom resolver', V3, 'https://doh.example.net/dns-query'],
    ['a loopback http test resolver', { ...V3, customResolverUrl: 'http://127.0.60.1:8053/dns-query' }, 'http://127.0.60.1:8053/dns-query'],
  ])('RFC 8484 §3: the resolver setting of %s', (_n, settings, expected) => {
    expect(SettingsSchema.safeParse(settings).success).toBe(true);
    expect(resolverSettingValue(settings)).toBe(expected);
  });
});
