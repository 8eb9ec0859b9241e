// The accessibility scan (issue 4): axe-core run in the page, in the light and the dark theme.
// axe is injected with page.evaluate (CDP Runtime.evaluate), which the extension pages' CSP does
// not govern; a <script> tag (addScriptTag) would be refused by `script-src 'self'`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Also axe's best practices: landmarks, heading order, one h1 (what WCAG 1.3.1/2.4.6 leave to judgement). */
export const SCAN_TAGS = [...WCAG21_AA_TAGS, 'best-practice'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** One line per violation: rule, impact, and the selectors of the elements at fault (first few, with why). */
export function describeViolations(page: string, violations: AxeViolation[]): string[] {
  return violations.map((v) => `${page}: ${v.id} (${v.impact ?? 'n/a'}) ${v.help} @ ${v.targets.join(' | ')}`);
}

interface AxeRun {
  violations: AxeViolation[];
  /** What axe could not decide (e.g. contrast of icon-only text), as "rule: reason": for the log, not asserted. */
  review: string[];
}

async function runAxe(page: Page, tags: string[]): Promise<AxeRun> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (runOnly) => {
    type Node = { target: unknown[]; failureSummary?: string; any?: { message?: string }[] };
    type Result = { id: string; impact?: string | null; help: string; nodes: Node[] };
    const { axe } = globalThis as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Result[]; incomplete: Result[] }> } };
    const r = await axe.run(document, { runOnly: { type: 'tag', values: runOnly }, resultTypes: ['violations'] });
    const review = new Set<string>();
    for (const v of r.incomplete) {
      for (const n of v.nodes) {
        const key = `${v.id}: ${n.any?.[0]?.message ?? 'needs review'}`;
        review.add(key);
      }
    }
    return {
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        targets: v.nodes.slice(0, 8).map((n) => `${n.target.map(String).join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`),
      })),
      review: [...review],
    };
  }, tags);
}

/**
 * Violations of WCAG 2.1 A/AA (and axe's best practices) on `page` as it is now, in the light theme and then the dark one
 * (prefers-color-scheme), as lines naming the page, theme, rule, impact and elements. The page is
 * left in the light theme.
 */
export async function accessibilityViolations(page: Page, name: string, tags = SCAN_TAGS): Promise<string[]> {
  const out: string[] = [];
  const review = new Set<string>();
  const started = Date.now();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const run = await runAxe(page, tags);
    out.push(...describeViolations(`${name} (${colorScheme})`, run.violations));
    run.review.forEach((l) => review.add(l));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  console.log(`axe scan of ${name}: ${Date.now() - started} ms (light + dark)${review.size ? `; left to judge by hand: ${[...review].join('; ')}` : ''}`);
  return out;
}
