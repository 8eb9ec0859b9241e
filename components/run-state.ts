// The state of one check run as the pages show it, and the pure reducer that folds the
// background's streamed messages into it. Shared by the popup and the report page: generic over
// how much of a report (and so of each check) the page validated; the popup keeps only what it shows.
import type { CheckId, CheckResult, CheckStatus, OverallStatus, PolicyMode, Report, Severity } from '../core/report/schema.ts';
import { CHECK_IDS, CHECK_TITLES } from '../core/report/catalog.ts';

export type SlotStatus = CheckStatus | 'pending';

/** What every page shows of a check. */
export interface CheckLike {
  id: CheckId;
  title: string;
  status: CheckStatus;
  summary: string;
}

/** What every page shows of a report. */
export interface ReportLike {
  domain: string;
  checkedAt: string;
  status: OverallStatus;
  mode?: { value: PolicyMode; meaning: string };
  advice: { severity: Severity; text: string }[];
  checks: CheckLike[];
}

/** The kind of check a kind of report holds. */
export type CheckOf<R extends ReportLike> = R['checks'][number];

export interface CheckSlot<C extends CheckLike = CheckResult> {
  id: CheckId;
  title: string;
  status: SlotStatus;
  result?: C;
}

export interface RunState<R extends ReportLike = Report> {
  phase: 'idle' | 'running' | 'done' | 'error';
  input?: string;
  domain?: string;
  slots: CheckSlot<CheckOf<R>>[];
  report?: R;
  /** When the shown report came from the cache: when it was stored (ms since the epoch). */
  cachedAt?: number;
  error?: string;
  needsHostPermission?: boolean;
  helperMissing?: string;
}

/** The background's streamed messages (entrypoints/shared/ui-protocol.ts), as far as a page validated them. */
export type ServerMessage<R extends ReportLike = Report> =
  | { type: 'started'; domain: string; checks: { id: CheckId; title: string }[] }
  | { type: 'check'; check: CheckOf<R> }
  | { type: 'done'; report: R; cachedAt?: number; needsHostPermission?: boolean; helperMissing?: string }
  | { type: 'error'; message: string };

/** All the checks at once, in DESIGN.md order, before any has finished. */
export function initialSlots(): CheckSlot<never>[] {
  return CHECK_IDS.map((id) => ({ id, title: CHECK_TITLES[id], status: 'pending' as const }));
}

/** Nothing checked yet, for any kind of report. */
export function idleState<R extends ReportLike>(): RunState<R> {
  return { phase: 'idle', slots: initialSlots() };
}

export const IDLE: RunState = idleState();

export type RunAction<R extends ReportLike = Report> =
  | ServerMessage<R>
  | { type: 'begin'; input: string }
  | { type: 'fail'; message: string };

export function reduceRun<R extends ReportLike>(state: RunState<R>, action: RunAction<R>): RunState<R> {
  switch (action.type) {
    case 'begin':
      return { phase: 'running', input: action.input, slots: initialSlots() };
    case 'fail':
    case 'error':
      return { ...state, phase: 'error', error: action.message };
    case 'started': {
      // Keep DESIGN.md's order; a check the engine adds later goes at the end.
      const known = new Set<string>(CHECK_IDS);
      const extra = action.checks.filter((c) => !known.has(c.id)).map((c) => ({ id: c.id, title: c.title, status: 'pending' as const }));
      return { ...state, phase: 'running', domain: action.domain, slots: [...initialSlots(), ...extra] };
    }
    case 'check':
      return {
        ...state,
        slots: state.slots.map((s) => (s.id === action.check.id ? { ...s, status: action.check.status, result: action.check } : s)),
      };
    case 'done': {
      const byId = new Map<string, CheckOf<R>>(action.report.checks.map((c: CheckOf<R>) => [c.id, c]));
      return {
        ...state,
        phase: 'done',
        domain: action.report.domain,
        report: action.report,
        cachedAt: action.cachedAt,
        needsHostPermission: action.needsHostPermission,
        helperMissing: action.helperMissing,
        slots: state.slots.map((s) => {
          const c = byId.get(s.id);
          return c ? { ...s, status: c.status, result: c } : s;
        }),
      };
    }
  }
}
