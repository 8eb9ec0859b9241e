// Reading and writing the settings in extension storage. A stored value that fails the schema is
// reported to the caller (who shows it) and the defaults are written back, so the problem is seen once.
import {
  DEFAULT_SETTINGS,
  SETTINGS_STORAGE_KEY,
  SettingsSchema,
  migrateSettings,
  type LoadedSettings,
  type Settings,
} from '../../core/protocol/settings.ts';
import type { StorageArea } from './storage-area.ts';

export async function loadSettings(area: StorageArea): Promise<LoadedSettings> {
  let stored: unknown;
  try {
    stored = (await area.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY];
  } catch (e) {
    return { ok: false, settings: DEFAULT_SETTINGS, problem: `could not read the settings: ${String(e)}` };
  }
  const loaded = migrateSettings(stored);
  // Write back what we will use: the migrated value, or the defaults after a reported problem.
  // The problem is kept too, so the options page can show it even when the background repaired it.
  if (!loaded.ok) {
    await area
      .set({ [SETTINGS_STORAGE_KEY]: loaded.settings, [SETTINGS_PROBLEM_KEY]: loaded.problem })
      .catch(() => undefined);
  } else if (loaded.migratedFrom !== undefined) {
    await area.set({ [SETTINGS_STORAGE_KEY]: loaded.settings }).catch(() => undefined);
  }
  return loaded;
}

export const SETTINGS_PROBLEM_KEY = 'settingsProblem';

/** A problem found by an earlier load (possibly in the background), to show on the options page. */
export async function readSettingsProblem(area: StorageArea): Promise<string | undefined> {
  const v = (await area.get(SETTINGS_PROBLEM_KEY).catch(() => ({})) as Record<string, unknown>)[SETTINGS_PROBLEM_KEY];
  return typeof v === 'string' ? v.slice(0, 2048) : undefined;
}

export async function saveSettings(area: StorageArea, settings: Settings): Promise<{ ok: true } | { ok: false; message: string }> {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
  await area.set({ [SETTINGS_STORAGE_KEY]: parsed.data });
  await area.remove(SETTINGS_PROBLEM_KEY);
  return { ok: true };
}
