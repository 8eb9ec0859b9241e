// @vitest-environment happy-dom
// Issue 8: the `dane` check's evidence on the report page (RFC 7672, RFC 7671 §8).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { DaneView } from '../../components/DaneView.tsx';
import { EvidenceView } from '../../components/EvidenceView.tsx';
import { DaneEvidenceSchema } from '../../core/dane/evidence.ts';
import type { CheckResult } from '../../core/report/schema.ts';
import { DANE_EVIDENCE, HOSTILE_SUBJECT, SPKI_NEXT, SPKI_NOW, SPKI_WRONG } from './sample-dane.ts';

afterEach(cleanup);

const hostEl = (c: Element, host: string) => c.querySelector<HTMLElement>(`section[data-mx-host="${host}"]`)!;
const addressEl = (c: Element, address: string) => c.querySelector<HTMLElement>(`li[data-mx-address="${address}"]`)!;

describe('DaneView', () => {
  it('the fixture is evidence core/dane/evidence.ts accepts', () => {
    expect(DaneEvidenceSchema.safeParse(DANE_EVIDENCE).success).toBe(true);
  });

  it.each([
    ['mx1.example.com', 'pass'],
    ['mx2.example.com', 'fail'],
    ['mx3.example.com', 'warn'],
  ])('RFC 7672 §3.2: host %s carries data-status %s, shown as icon and word', (host, status) => {
    const { container } = render(<DaneView evidence={DANE_EVIDENCE} />);
    const el = hostEl(container, host);
    expect(el.getAttribute('data-status')).toBe(status);
    expect(within(el).getAllByText(status)[0]).toBeTruthy();
  });

  it.each([
    ['192.0.2.1', 'pass', 'match'],
    ['192.0.2.2', 'fail', 'mismatch'],
    ['2001:db8::2', 'error', 'inconclusive'],
    ['10.0.0.2', 'skipped', 'inconclusive'],
  ])('RFC 7672 §3.1: address %s is %s (%s)', (address, status, result) => {
    const { container } = render(<DaneView evidence={DANE_EVIDENCE} />);
    const el = addressEl(container, address);
    expect(el.getAttribute('data-status')).toBe(status);
    expect(el.getAttribute('data-dane-result')).toBe(result);
  });

  it('RFC 7672 §2.2: shows each TLSA answer\'s DNSSEC state in words', () => {
    const { container } = render(<DaneView evidence={DANE_EVIDENCE} />);
    expect(hostEl(container, 'mx1.example.com').querySelector('[data-tlsa-state]')?.textContent).toMatch(/DNSSEC-validated: DANE applies/);
    expect(hostEl(container, 'mx3.example.com').querySelector('[data-tlsa-state]')?.textContent).toMatch(/not DNSSEC-validated: senders ignore them/);
    expect(within(hostEl(container, 'mx3.example.com')).getByText(/DNSSEC: not validated/)).toBeTruthy();
  });

  it('RFC 7671 §8.1: lists every record with which certificate it matched on which address', () => {
    const { container } = render(<DaneView evidence={DANE_EVIDENCE} />);
    const table = within(hostEl(container, 'mx1.example.com')).getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-tlsa-record'))).toEqual([`3 1 1 ${SPKI_NOW}`, `3 1 1 ${SPKI_NEXT}`]);
    expect(rows[0]!.textContent).toMatch(/192\.0\.2\.1: the leaf \(CN=mx1\.example\.com\)/);
    expect(rows[1]!.textContent).toMatch(/none$/);
    expect(within(addressEl(container, '192.0.2.1')).getByText(`3 1 1 ${SPKI_NOW}`)).toBeTruthy();
  });

  it('RFC 7672 §3.1.3: says why a PKIX-EE record is not usable for SMTP', () => {
    const { container } = render(<DaneView evidence={DANE_EVIDENCE} />);
    const row = container.querySelector(`[data-tlsa-record="1 1 1 ${SPKI_NOW}"]`)!;
    expect(row.textContent).toMatch(/PKIX-EE\(1\) SPKI\(1\) SHA2-256\(1\)/);
    expect(row.textContent).toMatch(/^.*no.*not for SMTP/);
  });

  it('RFC 7671 §8: names the addresses that no record matches (a broken rollover)', () => {
    const { container } = render(<DaneView evidence={DANE_EVIDENCE} />);
    const notices = container.querySelectorAll('[data-testid="dane-unmatched"]');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.textContent).toContain('192.0.2.2');
    expect(notices[0]!.textContent).not.toContain('2001:db8::2');
    expect(container.querySelector(`[data-tlsa-record="3 1 1 ${SPKI_WRONG}"]`)?.lastElementChild?.textContent).toBe('none');
  });

  it('RFC 7672 §3.1.1: offers the exact "3 1 1" record for the presented key with a copy button', async () => {
    const writeText = vi.fn(async () => undefined);
    render(<DaneView evidence={DANE_EVIDENCE} writeText={writeText} />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy TLSA record for mx2.example.com' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(`_25._tcp.mx2.example.com. IN TLSA 3 1 1 ${SPKI_NEXT}`));
    expect(await screen.findByText('Copied')).toBeTruthy();
  });

  it('RFC 8461 §2: says, per host, what a DANE-capable sender will do', () => {
    const { container } = render(<DaneView evidence={DANE_EVIDENCE} />);
    expect(hostEl(container, 'mx2.example.com').textContent).toMatch(/A DANE-capable sender: finds no matching record and does not deliver/);
    expect(hostEl(container, 'mx3.example.com').textContent).toMatch(/A DANE-capable sender: ignores the records/);
  });

  it('without probes: says the records were checked for syntax and DNSSEC only', () => {
    render(<DaneView evidence={{ ...DANE_EVIDENCE, probed: false }} />);
    expect(screen.getByText(/were not probed/)).toBeTruthy();
  });

  it('renders hostile certificate subjects and notes as text, creating no element from them', () => {
    const { container } = render(<DaneView evidence={DANE_EVIDENCE} />);
    expect(container.querySelector('img, script')).toBeNull();
    expect(addressEl(container, '192.0.2.2').textContent).toContain(HOSTILE_SUBJECT);
    expect(addressEl(container, '192.0.2.2').textContent).toContain('<script>alert(3)</script>');
  });
});

describe('EvidenceView for the dane check', () => {
  const check = (evidence: Record<string, unknown>): CheckResult => ({
    id: 'dane',
    title: 'DANE (TLSA) for the MX hosts',
    status: 'fail',
    summary: '',
    durationMs: 1,
    findings: [],
    evidence,
  });

  it('shows the DANE view for evidence that fits the schema', () => {
    const { container } = render(<EvidenceView check={check(DANE_EVIDENCE)} />);
    expect(container.querySelector('.evidence-dane')).not.toBeNull();
  });

  it('shows raw JSON for evidence that does not', () => {
    render(<EvidenceView check={check({ hosts: 'nonsense' })} />);
    expect(screen.getByTestId('raw-json').textContent).toContain('nonsense');
  });
});
