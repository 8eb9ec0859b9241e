// The full report page: report.html?domain=example.com starts the check (or shows the cached
// result) by itself; every check expands to its findings and evidence; export and re-check.
// #<check id> opens and shows that check once it has finished. Below: the TLSRPT report viewer,
// which also works without ?domain=.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DomainForm } from '../../components/DomainForm.tsx';
import { TlsrptViewer } from '../../components/TlsrptViewer.tsx';
import { ReportView } from '../../components/ReportView.tsx';
import { POLICY_FETCH_ORIGINS } from '../background/check-deps-constants.ts';
import { useCheck } from '../shared/use-check.ts';
import { parseCheckServerMessage } from '../shared/ui-protocol.ts';

/** `#starttls` → 'starttls'; anything else (malformed escapes included) → undefined. */
export function checkIdFromHash(hash: string): string | undefined {
  const id = hash.replace(/^#/, '');
  return /^[a-z][a-z-]{1,40}$/.test(id) ? id : undefined;
}

export interface AppProps {
  initialDomain: string;
}

export function App({ initialDomain }: AppProps) {
  const { state, start } = useCheck(parseCheckServerMessage);
  const [value, setValue] = useState(initialDomain);

  const run = (input: string, force = false) => {
    const url = new URL(location.href);
    url.searchParams.set('domain', input);
    history.replaceState(null, '', url);
    document.title = `MTA-STS report: ${input}`;
    start(input, force);
  };

  useEffect(() => {
    if (initialDomain.trim()) run(initialDomain.trim());
  }, []);

  // The check named by the hash: open it and bring it into view once it has a result (on load, and
  // when a link of the TLSRPT viewer changes only the hash of this page).
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const onHash = () => setHash(location.hash);
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const target = checkIdFromHash(hash);
  const targetDone = state.slots.some((s) => s.id === target && s.result !== undefined);
  useEffect(() => {
    if (!targetDone || !target) return;
    const el = document.getElementById(target);
    const details = el?.querySelector('details');
    if (details) details.open = true;
    el?.scrollIntoView({ block: 'start' });
  }, [targetDone, target, hash]);

  const allow = async () => {
    const granted = await browser.permissions.request({ origins: POLICY_FETCH_ORIGINS }).catch(() => false);
    if (granted && state.domain) run(state.domain, true);
  };

  return (
    <main class="report-main">
      <header>
        <h1 class="app-title">MTA-STS Inspector</h1>
        <DomainForm value={value} candidates={[]} busy={state.phase === 'running'} onInput={setValue} onSubmit={(v) => run(v)} />
      </header>
      {state.phase === 'idle' ? (
        <p>Type a domain, an e-mail address or a URL to check its MTA-STS and TLS reporting set-up, or open TLSRPT reports below.</p>
      ) : null}
      <ReportView
        state={state}
        expandable
        onRecheck={() => run(state.domain ?? value, true)}
        onAllowHostPermission={() => void allow()}
      />
      <TlsrptViewer />
    </main>
  );
}
