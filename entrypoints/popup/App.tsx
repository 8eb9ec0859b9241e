// The popup: the domain field (pre-filled from the open message's sender or the tab's site),
// the checks turning as they finish, the verdict, and a link to the full report.
// Kept small (issue 6): the background works out the candidates (tldts, the webmail content
// script) and the popup validates its answers with zod/mini (popup-protocol.ts).
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DomainForm, type DomainCandidate } from '../../components/DomainForm.tsx';
import { ReportLayout } from '../../components/ReportLayout.tsx';
import { parsePopupMessage, parsePopupOpen } from '../shared/popup-protocol.ts';
import { extensionUrl } from '../shared/extension-url.ts';
import { useCheck } from '../shared/use-check.ts';

export function App() {
  const { state, start, show } = useCheck(parsePopupMessage);
  const [value, setValue] = useState('');
  const [candidates, setCandidates] = useState<DomainCandidate[]>([]);

  useEffect(() => {
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true }).catch(() => []);
      const raw: unknown = await browser.runtime.sendMessage({ type: 'popup-open', tabId: tab?.id, url: tab?.url }).catch(() => undefined);
      const open = parsePopupOpen(raw);
      if (!open) return;
      setCandidates(open.candidates);
      const first = open.candidates[0]?.domain;
      if (!first) return;
      setValue((v) => v || first);
      // A cached report shows at once, without touching the network.
      if (open.cached?.report) {
        show({ type: 'begin', input: first });
        show({ type: 'done', report: open.cached.report, cachedAt: open.cached.cachedAt });
      }
    })();
  }, [show]);

  const domain = state.domain ?? value.trim();
  const openReport = (e: Event) => {
    e.preventDefault();
    void browser.tabs.create({ url: extensionUrl(`/report.html?domain=${encodeURIComponent(domain)}`) }).then(() => window.close());
  };

  return (
    <main class="popup-main">
      <h1 class="app-title">MTA-STS Inspector</h1>
      <DomainForm value={value} candidates={candidates} busy={state.phase === 'running'} onInput={setValue} onSubmit={(v) => start(v)} />
      <ReportLayout state={state} onRecheck={state.domain ? () => start(state.domain ?? value, true) : undefined} />
      <nav class="popup-links">
        {domain ? (
          <a href={extensionUrl(`/report.html?domain=${encodeURIComponent(domain)}`)} onClick={openReport}>
            Open full report
          </a>
        ) : null}
        <a
          href={extensionUrl('/options.html')}
          onClick={(e) => {
            e.preventDefault();
            void browser.runtime.openOptionsPage();
          }}
        >
          Options
        </a>
      </nav>
    </main>
  );
}
