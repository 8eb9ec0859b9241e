// One certificate: subject, SANs, issuer, validity with days left, fingerprint.
import type { Certificate } from '../core/protocol/tls.ts';
import { fingerprint, utc } from './visible-text.ts';

export interface CertificateViewProps {
  cert: Certificate;
  /** "Leaf", "Intermediate 1", ... */
  role: string;
  now?: Date;
}

export function CertificateView({ cert, role, now = new Date() }: CertificateViewProps) {
  const days = Math.floor((Date.parse(cert.validTo) - now.getTime()) / 86_400_000);
  const notYet = Date.parse(cert.validFrom) > now.getTime();
  return (
    <div class="cert" data-testid="certificate">
      <h5>{role} certificate</h5>
      <dl>
        <dt>Subject</dt>
        <dd>
          <code>{cert.subject}</code>
        </dd>
        <dt>Names (SAN dNSName)</dt>
        <dd>{cert.dnsNames.length ? cert.dnsNames.map((n) => <code key={n}>{n} </code>) : 'none'}</dd>
        {cert.ipAddresses.length ? (
          <>
            <dt>IP addresses</dt>
            <dd>{cert.ipAddresses.join(', ')}</dd>
          </>
        ) : null}
        <dt>Issuer</dt>
        <dd>
          <code>{cert.issuer}</code>
          {cert.selfSigned ? ' (self-signed)' : ''}
        </dd>
        <dt>Valid</dt>
        <dd>
          {utc(cert.validFrom)} to {utc(cert.validTo)} ·{' '}
          <strong>{notYet ? 'not yet valid' : days < 0 ? `expired ${-days} days ago` : `${days} days left`}</strong>
        </dd>
        <dt>SHA-256 fingerprint</dt>
        <dd>
          <code class="hash">{fingerprint(cert.sha256)}</code>
        </dd>
        <dt>Key</dt>
        <dd>
          {cert.keyType}
          {cert.keyBits ? ` ${cert.keyBits} bits` : ''}
          {cert.signatureAlgorithm ? ` · ${cert.signatureAlgorithm}` : ''}
        </dd>
      </dl>
    </div>
  );
}
