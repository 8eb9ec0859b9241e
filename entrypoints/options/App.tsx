// The options page: resolver (with Test), probing, cache lifetime, and the helper's state.
// A stored value that failed the schema is shown here, after it was repaired to the defaults.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { BUILTIN_RESOLVERS, resolverFromSetting } from '../../core/dns/doh.ts';
import type { Settings } from '../../core/protocol/settings.ts';
import { OptionsForm, type ResolverTestResult } from '../../components/OptionsForm.tsx';
import { HelperStatus } from '../../components/HelperStatus.tsx';
import { loadSettings, readSettingsProblem, saveSettings } from '../shared/settings-store.ts';
import { HelperStateSchema, type HelperState } from '../shared/ui-protocol.ts';
import { testResolver } from './resolver-test.ts';

/** A custom resolver's origin must be granted before the background may query it. */
async function grantResolverOrigin(url: string): Promise<boolean> {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:') return true; // loopback test resolvers: the schema allows nothing else
    return await browser.permissions.request({ origins: [`${u.origin}/*`] });
  } catch {
    return false;
  }
}

export function App() {
  const [settings, setSettings] = useState<Settings | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [helper, setHelper] = useState<HelperState | undefined>();
  const [test, setTest] = useState<ResolverTestResult | 'running' | undefined>();
  const [saved, setSaved] = useState<string | undefined>();

  const refreshHelper = () => {
    setHelper(undefined);
    void browser.runtime
      .sendMessage({ type: 'helper-status', refresh: true })
      .then((r: unknown) => {
        const p = HelperStateSchema.safeParse(r);
        setHelper(p.success ? p.data : { state: 'error', message: 'no answer from the background' });
      })
      .catch((e: unknown) => setHelper({ state: 'error', message: String(e) }));
  };

  useEffect(() => {
    void (async () => {
      const loaded = await loadSettings(browser.storage.local);
      setSettings(loaded.settings);
      setProblem(loaded.ok ? await readSettingsProblem(browser.storage.local) : loaded.problem);
    })();
    refreshHelper();
  }, []);

  const save = async (next: Settings) => {
    if (next.resolver === 'custom' && next.customResolverUrl && !(await grantResolverOrigin(next.customResolverUrl))) {
      return setSaved('Not saved: the browser did not grant access to the custom resolver.');
    }
    const r = await saveSettings(browser.storage.local, next);
    if (r.ok) {
      setSettings(next);
      setProblem(undefined);
    }
    setSaved(r.ok ? 'Saved.' : `Not saved: ${r.message}`);
  };

  const runTest = async (resolver: string) => {
    setTest('running');
    if (/^https?:/.test(resolver) && !(await grantResolverOrigin(resolver))) {
      return setTest({ ok: false, message: 'The browser did not grant access to this resolver.' });
    }
    setTest(await testResolver(resolverFromSetting(resolver, (i, init) => fetch(i, init))));
  };

  return (
    <main class="options-main">
      <h1 class="app-title">MTA-STS Inspector options</h1>
      {problem ? (
        <div class="notice notice-problem" role="alert">
          The stored settings could not be used ({problem}); they were reset to the defaults shown below. Save to keep these.
        </div>
      ) : null}
      {settings ? (
        <OptionsForm
          settings={settings}
          resolvers={BUILTIN_RESOLVERS}
          onSave={(s) => void save(s)}
          onTest={(r) => void runTest(r)}
          testResult={test}
          saveMessage={saved}
        />
      ) : (
        <p role="status">Loading settings…</p>
      )}
      <HelperStatus state={helper} onRefresh={refreshHelper} />
      <section aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">Privacy</h2>
        <p>
          Nothing leaves this machine but the DNS queries to the resolver chosen above, the policy fetch from
          https://mta-sts.&lt;domain&gt;/, and (with the helper) the connections to the MX hosts on port 25. Results and the policy
          history stay in the extension's storage.
        </p>
      </section>
    </main>
  );
}
