// The popup: the domain field (pre-filled from the open message's sender or the tab's site),
// the seven checks turning as they finish, the verdict, and a link to the full report.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { DomainForm, type DomainCandidate } from '../../components/DomainForm.tsx';
import { ReportView } from '../../components/ReportView.tsx';
import { GetCachedResponseSchema, SenderResponseSchema, type SenderResponse } from '../shared/ui-protocol.ts';
import { extensionUrl } from '../shared/extension-url.ts';
import { useCheck } from '../shared/use-check.ts';
import { buildCandidates } from './candidates.ts';

async function senderOfTab(tabId: number | undefined): Promise<SenderResponse | undefined> {
  if (tabId === undefined) return undefined;
  try {
    const parsed = SenderResponseSchema.safeParse(await browser.tabs.sendMessage(tabId, { type: 'get-sender' }));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // no content script on this page: not webmail
  }
}

export function App() {
  const { state, start, show } = useCheck();
  const [value, setValue] = useState('');
  const [candidates, setCandidates] = useState<DomainCandidate[]>([]);

  useEffect(() => {
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true }).catch(() => []);
      const found = buildCandidates(await senderOfTab(tab?.id), tab?.url);
      setCandidates(found);
      const first = found[0]?.domain;
      if (!first) return;
      setValue((v) => v || first);
      // A cached report shows at once, without touching the network.
      const cached = GetCachedResponseSchema.safeParse(await browser.runtime.sendMessage({ type: 'get-cached', input: first }).catch(() => undefined));
      if (cached.success && cached.data.report) {
        show({ type: 'begin', input: first });
        show({ type: 'done', report: cached.data.report, cachedAt: cached.data.cachedAt });
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
      <ReportView state={state} expandable={false} onRecheck={state.domain ? () => start(state.domain ?? value, true) : undefined} />
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
