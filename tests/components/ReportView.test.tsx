// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { ReportView } from '../../components/ReportView.tsx';
import { ExportBar } from '../../components/ExportBar.tsx';
import { IDLE, reduceRun, type RunState } from '../../components/run-state.ts';
import { CHECK_IDS } from '../../core/report/schema.ts';
import { REPORT, CHECKS, HOSTILE_TXT, HOSTILE_POLICY_LINE } from './sample-report.ts';

afterEach(cleanup);

const NOW = new Date('2025-02-20T12:00:00Z');
const done: RunState = reduceRun(reduceRun(IDLE, { type: 'begin', input: 'example.com' }), { type: 'done', report: REPORT });

function checkEl(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-check="${id}"]`);
  if (!el) throw new Error(`no element for check ${id}`);
  return el;
}

describe('ReportView while a check streams in', () => {
  const started = reduceRun(reduceRun(IDLE, { type: 'begin', input: 'Example.com' }), {
    type: 'started',
    domain: 'example.com',
    checks: CHECKS.map((c) => ({ id: c.id, title: c.title })),
  });
  const oneDone = reduceRun(started, { type: 'check', check: CHECKS.find((c) => c.id === 'sts-record')! });

  it('shows all the checks at once in DESIGN.md order', () => {
    render(<ReportView state={started} expandable={false} />);
    expect([...document.querySelectorAll('[data-check]')].map((e) => e.getAttribute('data-check'))).toEqual([...CHECK_IDS]);
  });

  it.each(CHECK_IDS.map((id) => [id, id === 'sts-record' ? 'fail' : 'pending'] as const))('check %s has data-status %s', (id, status) => {
    render(<ReportView state={oneDone} expandable={false} />);
    expect(checkEl(id).getAttribute('data-status')).toBe(status);
  });

  it('says how far it got, in words', () => {
    render(<ReportView state={oneDone} expandable={false} />);
    expect(screen.getByRole('status', { name: '' }).textContent).toMatch(new RegExp(`1 of ${CHECK_IDS.length} checks done`));
  });
});

describe('ReportView of a finished report (report page)', () => {
  it.each(CHECKS.map((c) => [c.id, c.status] as const))('check %s carries data-status %s', (id, status) => {
    render(<ReportView state={done} expandable now={NOW} />);
    expect(checkEl(id).getAttribute('data-status')).toBe(status);
  });

  it('shows status as icon and word, never colour alone', () => {
    render(<ReportView state={done} expandable now={NOW} />);
    expect(within(checkEl('starttls')).getAllByText('fail')[0]).toBeTruthy();
    expect(within(checkEl('mx')).getAllByText('pass')[0]).toBeTruthy();
  });

  it('each check element has its id as element id, so report.html?domain=…#<check id> lands on it', () => {
    render(<ReportView state={done} expandable now={NOW} />);
    for (const id of CHECK_IDS) expect(document.getElementById(id)).toBe(checkEl(id));
  });

  it('RFC 7672: the dane check expands to its TLSA records and per-address matches', () => {
    render(<ReportView state={done} expandable now={NOW} />);
    const dane = checkEl('dane');
    expect(dane.getAttribute('data-status')).toBe('fail');
    expect(dane.querySelector('[data-mx-host="mx2.example.com"][data-mx-address="192.0.2.2"]')?.getAttribute('data-status')).toBe('fail');
    expect(within(dane).getByRole('button', { name: 'Copy TLSA record for mx2.example.com' })).toBeTruthy();
  });

  it('renders a hostile TXT record as text, creating no element from it', () => {
    const { container } = render(<ReportView state={done} expandable now={NOW} />);
    expect(container.querySelector('img, script, b, i')).toBeNull();
    expect(within(checkEl('sts-record')).getByText(`"${HOSTILE_TXT}"`)).toBeTruthy();
  });

  it('renders a hostile policy line as text, with the byte of the finding marked', () => {
    const { container } = render(<ReportView state={done} expandable now={NOW} />);
    const row = container.querySelector('[data-line="3"]');
    expect(row?.textContent).toContain(HOSTILE_POLICY_LINE.slice(5));
    expect(row?.querySelector('mark')?.textContent).toBe(HOSTILE_POLICY_LINE[4]);
    expect(container.querySelector('b')).toBeNull();
  });

  it.each([
    [1, 'CRLF'],
    [2, 'LF'],
    [3, 'no line end'],
  ])('RFC 8461 §3.2: policy line %i shows its terminator %s', (line, word) => {
    const { container } = render(<ReportView state={done} expandable now={NOW} />);
    expect(container.querySelector(`[data-line="${line}"] .line-end`)?.textContent).toContain(word);
  });

  it.each([
    ['mx1.example.com', 'host', 'pass'],
    ['mx2.example.com', 'host', 'fail'],
  ])('starttls host row %s (%s) has data-status %s', (host, _kind, status) => {
    const { container } = render(<ReportView state={done} expandable now={NOW} />);
    expect(container.querySelector(`[data-mx-host="${host}"][data-mx-row="host"]`)?.getAttribute('data-status')).toBe(status);
  });

  it.each([
    ['192.0.2.1', 'pass'],
    ['192.0.2.2', 'fail'],
    ['2001:db8::2', 'error'],
  ])('RFC 8461 §4.2: address row %s has data-status %s', (address, status) => {
    const { container } = render(<ReportView state={done} expandable now={NOW} />);
    const row = container.querySelector(`[data-mx-address="${address}"]`);
    expect(row?.getAttribute('data-mx-host')).toMatch(/^mx[12]\.example\.com$/);
    expect(row?.getAttribute('data-status')).toBe(status);
  });

  it('shows the certificate: SANs, days left and fingerprint', () => {
    render(<ReportView state={done} expandable now={NOW} />);
    const cert = within(checkEl('starttls')).getAllByTestId('certificate')[0]!;
    expect(cert.textContent).toContain('*.example.com');
    expect(cert.textContent).toContain('39 days left');
    expect(cert.textContent).toContain(`AB:AB:AB`);
  });

  it('links every finding to its RFC section', () => {
    render(<ReportView state={done} expandable now={NOW} />);
    const link = within(checkEl('sts-record')).getByRole('link', { name: 'RFC 8461 §3.1' });
    expect(link.getAttribute('href')).toBe('https://www.rfc-editor.org/rfc/rfc8461#section-3.1');
  });

  it('offers the fix with a copy button', () => {
    render(<ReportView state={done} expandable now={NOW} />);
    expect(within(checkEl('sts-record')).getByRole('button', { name: 'Copy fix' })).toBeTruthy();
    expect(within(checkEl('sts-record')).getByText('v=STSv1; id=20250101T000000;')).toBeTruthy();
  });

  it('shows evidence that does not fit its schema as raw JSON', () => {
    render(<ReportView state={done} expandable now={NOW} />);
    expect(within(checkEl('tlsrpt-record')).getByTestId('raw-json').textContent).toContain('"surprise": "<i>raw</i>"');
  });

  it('expands with the keyboard-reachable native disclosure', () => {
    render(<ReportView state={done} expandable now={NOW} />);
    const details = checkEl('mx').querySelector('details');
    expect(details?.querySelector('summary')).not.toBeNull();
    expect(checkEl('starttls').querySelector('details')?.open).toBe(true);
  });

  it('shows the UTC time, "cached", and a re-check that calls back', () => {
    const onRecheck = vi.fn();
    render(<ReportView state={{ ...done, cachedAt: 1 }} expandable onRecheck={onRecheck} now={NOW} />);
    expect(screen.getByText('2025-02-20 10:11:12 UTC')).toBeTruthy();
    expect(screen.getByTestId('cached')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Re-check' }));
    expect(onRecheck).toHaveBeenCalledOnce();
  });

  it('asks for host permission with the reason, when the background says it is needed', () => {
    const onAllow = vi.fn();
    render(<ReportView state={{ ...done, needsHostPermission: true }} expandable onAllowHostPermission={onAllow} now={NOW} />);
    expect(screen.getByRole('note', { name: 'Permission needed' }).textContent).toContain('https://mta-sts.example.com/.well-known/mta-sts.txt');
    fireEvent.click(screen.getByRole('button', { name: 'Allow policy fetches and re-check' }));
    expect(onAllow).toHaveBeenCalledOnce();
  });

  it('shows the helper install instructions when starttls was skipped for lack of it', () => {
    render(<ReportView state={{ ...done, helperMissing: 'The helper is not installed.' }} expandable now={NOW} />);
    expect(screen.getByRole('note', { name: 'Helper' }).textContent).toContain('npx mta-sts-inspector host install');
  });

  it('gives every button an accessible name and every link a text', () => {
    render(<ReportView state={done} expandable now={NOW} />);
    for (const b of screen.getAllByRole('button')) expect(b.textContent?.trim() || b.getAttribute('aria-label')).toBeTruthy();
    for (const a of screen.getAllByRole('link')) expect(a.textContent?.trim()).toBeTruthy();
  });

  it('an error is announced as an alert', () => {
    render(<ReportView state={reduceRun(done, { type: 'error', message: '"x y" contains spaces' })} expandable />);
    expect(screen.getByRole('alert').textContent).toContain('contains spaces');
  });
});

describe('ExportBar', () => {
  it.each([
    ['Copy JSON', (t: string) => expect(JSON.parse(t)).toEqual(REPORT)],
    ['Copy Markdown summary', (t: string) => expect(t).toMatch(/^## MTA-STS report for example\\\.com/)],
  ])('%s copies the right text', async (name, check) => {
    const writeText = vi.fn(async (_t: string) => undefined);
    render(<ExportBar report={REPORT} writeText={writeText} />);
    fireEvent.click(screen.getByRole('button', { name }));
    await screen.findByText('Copied');
    check(writeText.mock.calls[0]![0]);
  });
});
