// What the tests do on the extension's pages, through the same labels, roles and data attributes
// a user or assistive technology meets (OptionsForm's labels are a contract with these tests).
import type { Page } from 'playwright-core';
import type { Expected, ExpectedCheckId, ExpectedStatus } from '../../harness/scenarios.ts';

/** The checks in DESIGN.md order; `dane` (issue 8) is compared when the page shows it. */
export const CHECK_IDS: ExpectedCheckId[] = ['mx', 'starttls', 'dane', 'sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax', 'policy-mx-match'];
/** The checks every report has. */
const REQUIRED: ExpectedCheckId[] = CHECK_IDS.filter((id) => id !== 'dane');

export interface ResolverChoice {
  dohUrl: string;
  allowPrivate: boolean;
  probe?: boolean;
  probeTimeoutSeconds?: number;
}

/** Sets the options as a user would, and waits for "Saved.". */
export async function configureOptions(page: Page, o: ResolverChoice): Promise<void> {
  await page.getByLabel('DNS-over-HTTPS resolver').selectOption('custom');
  await page.getByLabel('Custom resolver URL').fill(o.dohUrl);
  await page.getByLabel('Allow probing non-public addresses').setChecked(o.allowPrivate);
  if (o.probe !== undefined) await page.getByLabel('Probe MX hosts (needs the helper)').setChecked(o.probe);
  if (o.probeTimeoutSeconds !== undefined) await page.getByLabel('Probe timeout (seconds)').fill(String(o.probeTimeoutSeconds));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('save-message').filter({ hasText: /Saved\.|Not saved/ }).waitFor({ timeout: 10_000 });
  const message = (await page.getByTestId('save-message').textContent()) ?? '';
  if (message.trim() !== 'Saved.') throw new Error(`options not saved: ${message}`);
}

export type Statuses = Partial<Record<ExpectedCheckId, ExpectedStatus | 'pending' | 'missing'>>;

/** Waits until every check shown (at least the seven of every report) has left `pending`, then reads data-check/data-status. */
export async function finishedStatuses(page: Page, timeoutMs: number): Promise<Statuses> {
  await page.waitForFunction(
    (ids) => {
      const required = ids.every((id) => document.querySelector(`[data-check="${id}"]`) !== null);
      const all = [...document.querySelectorAll('[data-check]')];
      return required && all.every((e) => e.getAttribute('data-status') !== 'pending') && document.querySelector('[data-phase="done"]') !== null;
    },
    REQUIRED,
    { timeout: timeoutMs, polling: 100 },
  );
  return readStatuses(page);
}

export async function readStatuses(page: Page): Promise<Statuses> {
  return page.evaluate((ids) => {
    const out: Record<string, string> = {};
    for (const id of ids) {
      const el = document.querySelector(`[data-check="${id}"]`);
      if (el) out[id] = el.getAttribute('data-status') ?? 'missing';
      else if (id !== 'dane') out[id] = 'missing';
    }
    return out;
  }, CHECK_IDS) as Promise<Statuses>;
}

/** Each check's one-line summary as shown, for failure messages. */
export async function readSummaries(page: Page): Promise<Record<string, string>> {
  return page.evaluate((ids) => {
    const out: Record<string, string> = {};
    for (const id of ids) out[id] = document.querySelector(`[data-check="${id}"] .check-summary`)?.textContent?.replace(/^ — /, '') ?? '';
    return out;
  }, CHECK_IDS);
}

/** One line per disagreeing check, naming the scenario and the check: empty when everything matches. */
export function disagreements(
  scenario: string,
  expected: Expected,
  got: Statuses,
  summaries: Record<string, string> = {},
  why: Partial<Record<ExpectedCheckId, string>> = {},
): string[] {
  // dane: compared when both the scenario expects something and the page shows the check.
  const compared = CHECK_IDS.filter((id) => id !== 'dane' || (expected.dane !== undefined && got.dane !== undefined));
  return compared.filter((id) => got[id] !== expected[id]).map(
    (id) =>
      `scenario ${scenario}, check ${id}: the report page says ${got[id]}, the scenario file expects ${expected[id]}` +
      ` (page: "${summaries[id] ?? ''}"; why expected: ${why[id] ?? 'all correct'})`,
  );
}
