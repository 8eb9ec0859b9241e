// What a TLS handshake established: version, trust, name match, and the chain as presented.
import type { TlsInfo } from '../core/protocol/tls.ts';
import { CertificateView } from './CertificateView.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export interface TlsSummaryProps {
  tls: TlsInfo;
  /** The host name the certificate must match. */
  host: string;
  now?: Date;
}

export function TlsSummary({ tls, host, now }: TlsSummaryProps) {
  return (
    <div class="tls">
      <p>
        {tls.handshakeCompleted ? `TLS handshake completed` : 'TLS handshake failed'}
        {tls.protocol ? ` · ${tls.protocol}` : ''}
        {tls.cipher ? ` · ${tls.cipher}` : ''}
        {tls.servername ? ` · SNI ${tls.servername}` : ''}
      </p>
      {tls.error ? (
        <p>
          <StatusBadge status="fail" /> {tls.error.code}: {tls.error.message}
        </p>
      ) : null}
      <p>
        <StatusBadge status={tls.trusted ? 'pass' : 'fail'} label={tls.trusted ? 'trusted' : 'not trusted'} />{' '}
        {tls.trusted ? 'The chain verifies to a trusted root.' : tls.trustError ? `${tls.trustError.code}: ${tls.trustError.message}` : 'The chain does not verify.'}
      </p>
      <p>
        <StatusBadge status={tls.nameMatches ? 'pass' : 'fail'} label={tls.nameMatches ? 'name matches' : 'name mismatch'} />{' '}
        {tls.nameMatches ? `Valid for ${host}${tls.matchedName ? ` (through ${tls.matchedName})` : ''}.` : `No SAN of the certificate matches ${host}.`}
        {tls.daysToExpiry !== undefined ? ` Expires in ${tls.daysToExpiry} days.` : ''}
      </p>
      {tls.chain.map((c, i) => (
        <CertificateView key={c.sha256} cert={c} role={i === 0 ? 'Leaf' : `Chain ${i}`} now={now} />
      ))}
    </div>
  );
}
