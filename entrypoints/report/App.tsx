// The full report page: report.html?domain=example.com starts the check (or shows the cached
// result) by itself; every check expands to its findings and evidence; export and re-check.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DomainForm } from '../../components/DomainForm.tsx';
import { ReportView } from '../../components/ReportView.tsx';
import { POLICY_FETCH_ORIGINS } from '../background/check-deps-constants.ts';
import { useCheck } from '../shared/use-check.ts';
import { parseCheckServerMessage } from '../shared/ui-protocol.ts';

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
      {state.phase === 'idle' ? <p>Type a domain, an e-mail address or a URL to check its MTA-STS and TLS reporting set-up.</p> : null}
      <ReportView
        state={state}
        expandable
        onRecheck={() => run(state.domain ?? value, true)}
        onAllowHostPermission={() => void allow()}
      />
    </main>
  );
}
