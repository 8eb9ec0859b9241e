import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadSettings, readSettingsProblem, saveSettings, SETTINGS_PROBLEM_KEY } from '../../../entrypoints/shared/settings-store.ts';
import { DEFAULT_SETTINGS, SETTINGS_STORAGE_KEY } from '../../../core/protocol/settings.ts';

beforeEach(() => fakeBrowser.reset());
const area = () => fakeBrowser.storage.local;

describe('settings in extension storage', () => {
  it('writes a migrated value back in the current version', async () => {
    await area().set({ [SETTINGS_STORAGE_KEY]: { version: 1, resolver: 'google', probe: true, cacheMinutes: 7 } });
    expect(await loadSettings(area())).toMatchObject({ ok: true, migratedFrom: 1 });
    expect((await area().get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY]).toMatchObject({ version: 3, resolver: 'google', cacheMinutes: 7 });
  });

  it('repairs an invalid value to the defaults visibly: the problem stays for the options page', async () => {
    await area().set({ [SETTINGS_STORAGE_KEY]: { version: 3, resolver: 'nonsense' } });
    const loaded = await loadSettings(area());
    expect(loaded.ok).toBe(false);
    expect((await area().get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY]).toEqual(DEFAULT_SETTINGS);
    expect(await readSettingsProblem(area())).toMatch(/resolver/);
  });

  it('saving valid settings clears the reported problem; invalid ones are refused', async () => {
    await area().set({ [SETTINGS_PROBLEM_KEY]: 'old problem' });
    expect(await saveSettings(area(), { ...DEFAULT_SETTINGS, cacheMinutes: 9 })).toEqual({ ok: true });
    expect(await readSettingsProblem(area())).toBeUndefined();
    expect((await saveSettings(area(), { ...DEFAULT_SETTINGS, cacheMinutes: -3 })).ok).toBe(false);
  });
});
