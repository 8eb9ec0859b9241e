// @vitest-environment happy-dom
// Issue 7: settings in storage that fail the schema are repaired to the defaults VISIBLY: the
// options page says what was wrong and shows the defaults it now uses; saving clears the notice.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';

vi.mock('wxt/browser', () => ({ browser: fakeBrowser }));

import { App } from '../../../entrypoints/options/App.tsx';
import { DEFAULT_SETTINGS, SETTINGS_STORAGE_KEY } from '../../../core/protocol/settings.ts';

beforeEach(() => {
  fakeBrowser.reset();
  // The background's helper-status answer (the options page asks it on load).
  fakeBrowser.runtime.onMessage.addListener(((_m: unknown, _s: unknown, sendResponse: (r: unknown) => void) => {
    sendResponse({ state: 'not-installed', message: 'Specified native messaging host not found.' });
    return true;
  }) as Parameters<typeof fakeBrowser.runtime.onMessage.addListener>[0]);
});
afterEach(cleanup);

const stored = async () => (await fakeBrowser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY];

describe('options page: stored settings that fail the schema', () => {
  it.each([
    ['a resolver that is not one of the choices', { version: 3, resolver: 'nonsense', probe: true, probeTimeoutMs: 15000, allowPrivate: false, cacheMinutes: 5 }, /resolver/],
    ['a negative cache lifetime', { ...DEFAULT_SETTINGS, cacheMinutes: -4 }, /cacheMinutes/],
    ['no version number', { resolver: 'google' }, /version/],
    ['a string instead of an object', 'rubbish', /version/],
  ])('with %s: says so in an alert and shows the defaults it was reset to', async (_name, value, why) => {
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: value });
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(why);
    expect(alert.textContent).toContain('reset to the defaults');
    expect((screen.getByLabelText('Cache lifetime (minutes)') as HTMLInputElement).value).toBe(String(DEFAULT_SETTINGS.cacheMinutes));
    expect((screen.getByLabelText('DNS-over-HTTPS resolver') as HTMLSelectElement).value).toBe(DEFAULT_SETTINGS.resolver);
    expect(await stored()).toEqual(DEFAULT_SETTINGS);
  });

  it('the notice stays on the next visit until the user saves, then goes', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: { version: 3, resolver: 'nonsense' } });
    render(<App />);
    await screen.findByRole('alert');
    cleanup();
    render(<App />);
    await screen.findByRole('alert');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(screen.getByTestId('save-message').textContent).toBe('Saved.');
  });

  it('valid settings show no notice', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: { ...DEFAULT_SETTINGS, cacheMinutes: 9 } });
    render(<App />);
    await waitFor(() => expect((screen.getByLabelText('Cache lifetime (minutes)') as HTMLInputElement).value).toBe('9'));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
