// A check's evidence, parsed with its schema from core/checks/evidence.ts; evidence that does not
// fit (an older or newer report) is shown as raw JSON rather than dropped.
import { EVIDENCE_SCHEMAS } from '../core/checks/evidence.ts';
import type { CheckResult } from '../core/report/schema.ts';
import { MxEvidenceView } from './MxEvidenceView.tsx';
import { StarttlsView } from './StarttlsView.tsx';
import { TxtRecordsView } from './TxtRecordsView.tsx';
import { PolicyFetchView } from './PolicyFetchView.tsx';
import { PolicyTextView } from './PolicyTextView.tsx';
import { PolicyMxMatchView } from './PolicyMxMatchView.tsx';
import { RawJson } from './RawJson.tsx';
import { DaneView } from './DaneView.tsx';

export interface EvidenceViewProps {
  check: CheckResult;
  now?: Date;
}

export function EvidenceView({ check, now }: EvidenceViewProps) {
  if (Object.keys(check.evidence).length === 0) return null;
  const raw = (why: string) => <RawJson value={check.evidence} note={why} />;
  const mismatch = 'The evidence does not have the expected shape; shown as it is.';
  switch (check.id) {
    case 'mx': {
      const p = EVIDENCE_SCHEMAS.mx.safeParse(check.evidence);
      return p.success ? <MxEvidenceView evidence={p.data} /> : raw(mismatch);
    }
    case 'starttls': {
      const p = EVIDENCE_SCHEMAS.starttls.safeParse(check.evidence);
      return p.success ? <StarttlsView evidence={p.data} now={now} /> : raw(mismatch);
    }
    case 'dane': {
      const p = EVIDENCE_SCHEMAS.dane.safeParse(check.evidence);
      return p.success ? <DaneView evidence={p.data} /> : raw(mismatch);
    }
    case 'sts-record': {
      const p = EVIDENCE_SCHEMAS['sts-record'].safeParse(check.evidence);
      return p.success ? <TxtRecordsView evidence={p.data} /> : raw(mismatch);
    }
    case 'tlsrpt-record': {
      const p = EVIDENCE_SCHEMAS['tlsrpt-record'].safeParse(check.evidence);
      return p.success ? <TxtRecordsView evidence={p.data} /> : raw(mismatch);
    }
    case 'policy-fetch': {
      const p = EVIDENCE_SCHEMAS['policy-fetch'].safeParse(check.evidence);
      return p.success ? <PolicyFetchView evidence={p.data} now={now} /> : raw(mismatch);
    }
    case 'policy-syntax': {
      const p = EVIDENCE_SCHEMAS['policy-syntax'].safeParse(check.evidence);
      return p.success ? <PolicyTextView evidence={p.data} findings={check.findings} /> : raw(mismatch);
    }
    case 'policy-mx-match': {
      const p = EVIDENCE_SCHEMAS['policy-mx-match'].safeParse(check.evidence);
      return p.success ? <PolicyMxMatchView evidence={p.data} /> : raw(mismatch);
    }
    default:
      return raw('No viewer for this check yet.');
  }
}
