// `dane`: TLSA records of every MX host (RFC 7672), judged by core/dane/evaluate.ts (engineer B's
// module, CHECKLIST §10). This wrapper gives it the shape of the other checks: the engine gathers
// `_25._tcp.<host>` TLSA, the host's address answers and its probe, and calls checkDane.
import { evaluateDane, type DaneCheckInput, type DaneHostInput } from '../dane/evaluate.ts';
import type { DaneEvidence } from '../dane/evidence.ts';
import type { CheckOutcome } from './types.ts';

export type { DaneCheckInput, DaneHostInput };

export interface DaneCheckRequest extends DaneCheckInput {
  /** Null MX or unknown MX list: nothing to look up, with this reason. */
  skipReason?: string;
}

export async function checkDane(input: DaneCheckRequest): Promise<CheckOutcome<DaneEvidence>> {
  const { skipReason, ...rest } = input;
  if (skipReason !== undefined && rest.mxHosts.length === 0) {
    const evidence: DaneEvidence = { probed: rest.probed, hosts: [] };
    if (rest.stsMode) evidence.stsMode = rest.stsMode;
    return { status: 'skipped', summary: skipReason, findings: [], evidence };
  }
  return evaluateDane(rest);
}
