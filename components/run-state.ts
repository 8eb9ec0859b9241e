// The state of one check run as the pages show it, and the pure reducer that folds the
// background's streamed messages into it. Shared by the popup and the report page.
import { CHECK_IDS, CHECK_TITLES, type CheckId, type CheckResult, type CheckStatus, type Report } from '../core/report/schema.ts';
import type { CheckServerMessage } from '../entrypoints/shared/ui-protocol.ts';

export type SlotStatus = CheckStatus | 'pending';

export interface CheckSlot {
  id: CheckId;
  title: string;
  status: SlotStatus;
  result?: CheckResult;
}

export interface RunState {
  phase: 'idle' | 'running' | 'done' | 'error';
  input?: string;
  domain?: string;
  slots: CheckSlot[];
  report?: Report;
  /** When the shown report came from the cache: when it was stored (ms since the epoch). */
  cachedAt?: number;
  error?: string;
  needsHostPermission?: boolean;
  helperMissing?: string;
}

/** All seven checks at once, in DESIGN.md order, before any has finished. */
export function initialSlots(): CheckSlot[] {
  return CHECK_IDS.map((id) => ({ id, title: CHECK_TITLES[id], status: 'pending' as const }));
}

export const IDLE: RunState = { phase: 'idle', slots: initialSlots() };

export type RunAction = CheckServerMessage | { type: 'begin'; input: string } | { type: 'fail'; message: string };

export function reduceRun(state: RunState, action: RunAction): RunState {
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
      const byId = new Map(action.report.checks.map((c) => [c.id, c]));
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
