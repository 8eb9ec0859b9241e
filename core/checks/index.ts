// The registry of checks, in the order DESIGN.md shows them (CHECK_IDS). Each module exports one
// pure function from gathered evidence to a CheckOutcome; the engine gathers and calls them.
import { CHECK_IDS, CHECK_TITLES, type CheckId } from '../report/schema.ts';
import { checkDane } from './dane.ts';
import { EVIDENCE_SCHEMAS } from './evidence.ts';
import { checkMx } from './mx.ts';
import { checkPolicyFetch } from './policy-fetch.ts';
import { checkPolicyMxMatch } from './policy-mx-match.ts';
import { checkPolicySyntax } from './policy-syntax.ts';
import { checkStarttls } from './starttls.ts';
import { checkStsRecord } from './sts-record.ts';
import { checkTlsrptRecord } from './tlsrpt-record.ts';

export const CHECK_FUNCTIONS = {
  mx: checkMx,
  starttls: checkStarttls,
  dane: checkDane,
  'sts-record': checkStsRecord,
  'tlsrpt-record': checkTlsrptRecord,
  'policy-fetch': checkPolicyFetch,
  'policy-syntax': checkPolicySyntax,
  'policy-mx-match': checkPolicyMxMatch,
} as const satisfies Record<CheckId, unknown>;

export interface CheckDefinition {
  id: CheckId;
  title: string;
  evidenceSchema: (typeof EVIDENCE_SCHEMAS)[CheckId];
}

/** In display order. */
export const CHECKS: readonly CheckDefinition[] = CHECK_IDS.map((id) => ({ id, title: CHECK_TITLES[id], evidenceSchema: EVIDENCE_SCHEMAS[id] }));

export { checkMx, checkStarttls, checkDane, checkStsRecord, checkTlsrptRecord, checkPolicyFetch, checkPolicySyntax, checkPolicyMxMatch };
