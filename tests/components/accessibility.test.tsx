// @vitest-environment happy-dom
// Issue 4: axe-core (WCAG 2.1 A/AA and its best practices) on the components, in the page shells
// the entry points give them (main, h1), in each state a user meets. happy-dom lays nothing out,
// so the rules that need layout (colour contrast, link-in-text-block, label-content-name-mismatch)
// come out "incomplete", never violations: tests/e2e/extension.test.ts scans the built pages in
// Chromium, light and dark, for those.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ComponentChildren } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import axe from 'axe-core';
import { ReportView } from '../../components/ReportView.tsx';
import { ReportLayout } from '../../components/ReportLayout.tsx';
import { DomainForm } from '../../components/DomainForm.tsx';
import { OptionsForm } from '../../components/OptionsForm.tsx';
import { HelperStatus } from '../../components/HelperStatus.tsx';
import { TlsrptViewer } from '../../components/TlsrptViewer.tsx';
import { IDLE, reduceRun, type RunState } from '../../components/run-state.ts';
import { DEFAULT_SETTINGS } from '../../core/protocol/settings.ts';
import { CHECKS, REPORT } from './sample-report.ts';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const NOW = new Date('2025-02-20T12:00:00Z');
const RESOLVERS = [
  { id: 'cloudflare', name: 'Cloudflare', url: 'https://cloudflare-dns.com/dns-query' },
  { id: 'google', name: 'Google', url: 'https://dns.google/dns-query' },
];
const TLSRPT_DIR = join(import.meta.dirname, '../fixtures/tlsrpt');

beforeEach(() => {
  document.documentElement.lang = 'en';
  document.title = 'MTA-STS Inspector';
});
afterEach(cleanup);

/** Rule, impact and the elements at fault, one line per violation. */
async function violations(): Promise<string[]> {
  const r = await axe.run(document, { runOnly: { type: 'tag', values: TAGS }, resultTypes: ['violations'] });
  return r.violations.map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

async function expectNoViolations(): Promise<void> {
  const found = await violations();
  expect(found, found.join('\n')).toEqual([]);
}

/** What entrypoints/*\/App.tsx put around the components. */
function Shell({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main>
      <h1 class="app-title">{title}</h1>
      {children}
    </main>
  );
}

const begun = reduceRun(IDLE, { type: 'begin', input: 'example.com' });
const started = reduceRun(begun, { type: 'started', domain: 'example.com', checks: CHECKS.map((c) => ({ id: c.id, title: c.title })) });
const streaming = reduceRun(started, { type: 'check', check: CHECKS.find((c) => c.id === 'sts-record')! });
const done: RunState = reduceRun(begun, {
  type: 'done',
  report: REPORT,
  cachedAt: NOW.getTime(),
  needsHostPermission: true,
  helperMissing: 'A browser cannot open connections to port 25, and the helper that can is not installed.',
});
const failed = reduceRun(begun, { type: 'fail', message: 'Not a domain: <b>x</b>' });

function reportPage(state: RunState) {
  return (
    <Shell title="MTA-STS Inspector">
      <DomainForm value="example.com" candidates={[]} busy={state.phase === 'running'} onInput={vi.fn()} onSubmit={vi.fn()} />
      <ReportView state={state} expandable now={NOW} onRecheck={vi.fn()} onAllowHostPermission={vi.fn()} />
      <TlsrptViewer />
    </Shell>
  );
}

describe('axe finds no WCAG 2.1 A/AA or best-practice violation', () => {
  it.each([
    ['a finished failing report, helper notice and permission notice shown', done],
    ['checks streaming in', streaming],
    ['an error verdict', failed],
  ])('report page: %s, every check and evidence expanded', async (_name, state) => {
    render(reportPage(state));
    document.querySelectorAll('details').forEach((d) => (d.open = true));
    await expectNoViolations();
  });

  it('popup: candidates to choose from and a finished report', async () => {
    render(
      <Shell title="MTA-STS Inspector">
        <DomainForm
          value="example.com"
          candidates={[
            { source: 'Sender (Gmail)', domain: 'example.com' },
            { source: 'This site', domain: 'mail.example' },
          ]}
          busy={false}
          onInput={vi.fn()}
          onSubmit={vi.fn()}
        />
        <ReportLayout state={done} onRecheck={vi.fn()} />
        <nav class="popup-links">
          <a href="report.html?domain=example.com">Open full report</a>
          <a href="options.html">Options</a>
        </nav>
      </Shell>,
    );
    await expectNoViolations();
  });

  it.each([
    ['found', { state: 'found' as const, version: '0.1.0' }],
    ['not installed', { state: 'not-installed' as const, message: 'Specified native messaging host not found.' }],
    ['blocked', { state: 'blocked' as const, message: 'Access to the specified native messaging host is forbidden.' }],
    ['being asked', undefined],
  ])('options page: helper %s, a resolver test result and a save message', async (_name, helper) => {
    render(
      <Shell title="MTA-STS Inspector options">
        <OptionsForm
          settings={{ ...DEFAULT_SETTINGS, resolver: 'custom', customResolverUrl: 'https://127.0.60.1/dns-query' }}
          resolvers={RESOLVERS}
          onSave={vi.fn()}
          onTest={vi.fn()}
          testResult={{ ok: true, message: 'answered', latencyMs: 12, validates: true }}
          saveMessage="Saved."
        />
        <HelperStatus state={helper} onRefresh={vi.fn()} />
      </Shell>,
    );
    await expectNoViolations();
  });

  it('report page: the TLSRPT viewer with every fixture loaded (failures, unreadable files)', async () => {
    render(reportPage(IDLE));
    const files = readdirSync(TLSRPT_DIR).map((name) => new File([new Uint8Array(readFileSync(join(TLSRPT_DIR, name)))], name));
    fireEvent.change(screen.getByLabelText('Choose TLSRPT report files'), { target: { files } });
    await waitFor(() => expect(document.querySelectorAll('.tlsrpt-files > li').length).toBe(files.length));
    await waitFor(() => expect(screen.getByTestId('tlsrpt-summary')).toBeTruthy());
    document.querySelectorAll('details').forEach((d) => (d.open = true));
    await expectNoViolations();
  });
});

describe('the scan itself', () => {
  // It runs for real in happy-dom: markup with known faults gives exactly those rules.
  it('reports an unnamed button, a list holding a div, an image without text and an unlabelled field', async () => {
    render(
      <Shell title="x">
        <button type="button" />
        <ul>
          <div>not an item</div>
        </ul>
        <img src="data:," />
        <input type="text" />
      </Shell>,
    );
    expect((await violations()).map((v) => v.split(' ')[0]).sort()).toEqual(['button-name', 'image-alt', 'label', 'list']);
  });

  it('reports a heading level skipped after the h1 (best practice: heading-order)', async () => {
    render(
      <Shell title="x">
        <h3>too deep</h3>
      </Shell>,
    );
    expect((await violations()).map((v) => v.split(' ')[0])).toEqual(['heading-order']);
  });
});
