// @vitest-environment happy-dom
// Issue 8: the TLSRPT report viewer of the report page, on the fixtures of tests/fixtures/tlsrpt
// (reports shaped like large senders', RFC 8460 §4.4 with the deviations they produce).
import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { TlsrptViewer } from '../../components/TlsrptViewer.tsx';
import { MAX_INPUT_BYTES } from '../../core/tlsrpt-report/decode.ts';

afterEach(cleanup);

const DIR = join(import.meta.dirname, '../fixtures/tlsrpt');
const named = (prefix: string) => readdirSync(DIR).find((f) => f.startsWith(prefix))!;
const bytes = (prefix: string) => new Uint8Array(readFileSync(join(DIR, named(prefix))));
const file = (prefix: string, gzip = false) => new File([gzip ? new Uint8Array(gzipSync(bytes(prefix))) : bytes(prefix)], `${named(prefix)}${gzip ? '.gz' : ''}`);

const chooser = () => screen.getByLabelText('Choose TLSRPT report files') as HTMLInputElement;

async function choose(...files: File[]) {
  fireEvent.change(chooser(), { target: { files } });
  await waitFor(() => expect(document.querySelectorAll('.tlsrpt-files > li').length).toBeGreaterThanOrEqual(files.length));
}

/** Waits for an element to appear (waitFor retries only while the callback throws). */
const found = <T,>(get: () => T | null | undefined): Promise<T> =>
  waitFor(() => {
    const el = get();
    if (!el) throw new Error('not there yet');
    return el;
  });

const day = (domain: string, d: string) => document.querySelector<HTMLElement>(`[data-policy-domain="${domain}"][data-day="${d}"]`);
const failureRow = (type: string) => document.querySelector<HTMLTableRowElement>(`tr[data-result-type="${type}"]`);

describe('TLSRPT viewer', () => {
  it('has a labelled, keyboard-reachable file chooser for several .json / .json.gz files, and says nothing is uploaded', () => {
    render(<TlsrptViewer />);
    const input = chooser();
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    expect(input.accept).toContain('.json');
    expect(input.accept).toContain('.gz');
    expect(input.tabIndex).not.toBe(-1);
    expect(screen.getByRole('region', { name: 'TLSRPT report viewer' }).textContent).toMatch(/nothing is uploaded anywhere/);
  });

  it('RFC 8460 §4.1, §5.2: sums gzip and plain reports of several organisations into one view per domain and UTC day', async () => {
    render(<TlsrptViewer />);
    await choose(file('google.com!', true), file('microsoft.com!'), file('mail.reporter.example!'));
    const d = await found(() => day('example.com', '2024-05-01'));
    expect(d.textContent).toMatch(/Reported by Google Inc\., Microsoft Corporation, Reporter Example GmbH/);
    expect(d.querySelector('time')?.getAttribute('datetime')).toBe('2024-05-01T00:00:00Z');
    const sts = d.querySelector<HTMLElement>('[data-policy-type="sts"]')!;
    expect(within(sts).getByTestId('successful').textContent).toBe((1432 + 310).toLocaleString('en-US'));
    expect(within(sts).getByTestId('failed').textContent).toBe('19');
    expect(within(d.querySelector<HTMLElement>('[data-policy-type="no-policy-found"]')!).getByTestId('successful').textContent).toBe('20');
    expect(screen.getAllByText(/\(gzip\)/)).toHaveLength(1);
  });

  it.each([
    ['certificate-host-mismatch', '10', 'starttls', /names do not match/],
    ['certificate-expired', '7', 'starttls', /expired certificate/],
    ['sts-policy-fetch-error', '2', 'policy-fetch', /could not fetch the MTA-STS policy/],
  ])('RFC 8460 §4.3: failure %s: %s sessions, its meaning, and a link to the %s check', async (type, count, checkId, meaning) => {
    render(<TlsrptViewer />);
    await choose(file('google.com!', true), file('microsoft.com!'));
    const row = await found(() => failureRow(type));
    expect(row.cells[1]?.textContent).toBe(count);
    expect(row.textContent).toMatch(meaning);
    expect(within(row).getByRole('link').getAttribute('href')).toBe(`report.html?domain=example.com#${checkId}`);
  });

  it('RFC 8460 §4.4: shows the receiving MX hosts and IPs of each failure', async () => {
    render(<TlsrptViewer />);
    await choose(file('dane.sender.example!'));
    const row = await found(() => failureRow('tlsa-invalid'));
    expect(row.textContent).toMatch(/MX hosts: mx\.example\.net/);
    expect(row.textContent).toMatch(/Receiving IPs: 203\.0\.113\.9/);
    expect(row.textContent).toMatch(/Sending IPs: 198\.51\.100\.7/);
  });

  it('RFC 8460 §4.3.2.1: a tlsa policy\'s failures link to the dane check', async () => {
    render(<TlsrptViewer />);
    await choose(file('dane.sender.example!'));
    await found(() => failureRow('tlsa-invalid'));
    expect(within(failureRow('tlsa-invalid')!).getByRole('link').getAttribute('href')).toBe('report.html?domain=example.net#dane');
    expect(within(failureRow('certificate-expired')!).getByRole('link').getAttribute('href')).toBe('report.html?domain=example.net#dane');
  });

  it('CHECKLIST A18: names each tolerated deviation (no-policy-found without policy-domain, counts as strings)', async () => {
    render(<TlsrptViewer />);
    await choose(file('mta.sys4.example!'));
    const li = await found(() => document.querySelector<HTMLElement>('.tlsrpt-files > li'));
    expect(li.getAttribute('data-status')).toBe('warn');
    const deviations = [...li.querySelectorAll('.deviations li')].map((x) => x.textContent);
    expect(deviations.some((t) => /session counts sent as strings/.test(t ?? ''))).toBe(true);
    expect(deviations.some((t) => /no-policy-found entry without policy-domain/.test(t ?? ''))).toBe(true);
    expect(day('example.org', '2024-05-02')?.querySelector('[data-policy-type="no-policy-found"]')).not.toBeNull();
  });

  it('accepts files dropped on the drop zone', async () => {
    render(<TlsrptViewer />);
    fireEvent.drop(screen.getByTestId('tlsrpt-drop-zone'), { dataTransfer: { files: [file('microsoft.com!')] } });
    await waitFor(() => expect(day('example.com', '2024-05-01')).not.toBeNull());
  });

  it.each([
    ['truncated JSON', 'truncated.json', /not valid JSON/],
    ['JSON of the wrong shape', 'wrong-types.json', /Not a TLSRPT aggregate report/],
    ['a DMARC (XML) report', 'dmarc-aggregate.xml.json', /DMARC aggregate report is XML/],
  ])('RFC 8460 §4.4: refuses %s with a clear message and still sums the others', async (_n, name, message) => {
    render(<TlsrptViewer />);
    await choose(new File([bytes(name)], name), file('microsoft.com!'));
    const bad = await found(() => document.querySelector<HTMLElement>(`[data-file="${name}"]`));
    expect(bad.getAttribute('data-status')).toBe('fail');
    expect(bad.textContent).toMatch(message);
    expect(within(bad).getByText('not read')).toBeTruthy();
    expect(day('example.com', '2024-05-01')).not.toBeNull();
  });

  it('RFC 8460 §5.2: refuses a gzip bomb (bounded decompression) with a clear message', async () => {
    render(<TlsrptViewer />);
    const bomb = new File([new Uint8Array(gzipSync(new Uint8Array(MAX_INPUT_BYTES + 1024)))], 'bomb.json.gz');
    expect(bomb.size).toBeLessThan(100_000);
    await choose(bomb);
    const li = await found(() => document.querySelector<HTMLElement>('[data-file="bomb.json.gz"]'));
    expect(li.textContent).toMatch(/decompression bomb/);
    expect(screen.queryByTestId('tlsrpt-summary')).toBeNull();
  });

  it('refuses an oversized file without reading it', async () => {
    const huge = new File(['{}'], 'huge.json');
    Object.defineProperty(huge, 'size', { value: MAX_INPUT_BYTES + 1 });
    const arrayBuffer = vi.spyOn(huge, 'arrayBuffer');
    render(<TlsrptViewer />);
    fireEvent.change(chooser(), { target: { files: [huge] } });
    const li = await found(() => document.querySelector<HTMLElement>('[data-file="huge.json"]'));
    expect(li.textContent).toMatch(/more than the \d+ accepted/);
    expect(arrayBuffer).not.toHaveBeenCalled();
  });

  it('counts the same report chosen twice once', async () => {
    render(<TlsrptViewer />);
    await choose(file('microsoft.com!'), file('microsoft.com!'));
    await waitFor(() => expect(screen.getByTestId('tlsrpt-summary').textContent).toMatch(/1 report summed \(1 duplicate/));
  });

  it('renders hostile text of a report as text, creating no element from it', async () => {
    const hostile = JSON.parse(new TextDecoder().decode(bytes('microsoft.com!'))) as Record<string, unknown>;
    hostile['organization-name'] = '<img src=x onerror=alert(1)>Evil <b>Corp</b>';
    hostile['report-id'] = '<script>alert(2)</script>';
    render(<TlsrptViewer />);
    await choose(new File([JSON.stringify(hostile)], 'hostile.json'));
    const d = await found(() => day('example.com', '2024-05-01'));
    expect(d.textContent).toContain('<img src=x onerror=alert(1)>Evil <b>Corp</b>');
    expect(document.querySelector('.tlsrpt-viewer img, .tlsrpt-viewer script, .tlsrpt-viewer b')).toBeNull();
  });

  it('"Clear the viewer" empties it', async () => {
    render(<TlsrptViewer />);
    await choose(file('microsoft.com!'));
    fireEvent.click(await screen.findByRole('button', { name: 'Clear the viewer' }));
    expect(screen.queryByTestId('tlsrpt-summary')).toBeNull();
    expect(document.querySelectorAll('.tlsrpt-files > li')).toHaveLength(0);
  });
});
