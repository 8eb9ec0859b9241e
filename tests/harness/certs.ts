// Certificates of the test network, from one root and one intermediate made per run
// (tests/helpers/pki.ts, openssl): a leaf per SMTP host (good or deliberately broken, as its
// scenario says), one per policy host, one for the DoH resolver, and a default certificate the
// policy servers present when the client sends no or an unknown SNI. The TLSA records of the
// DANE scenarios are computed here too, from the certificates just issued (./tlsa.ts).
import { TestPki, type CertificateAuthority, type Issued } from '../helpers/pki.ts';
import { RESOLVER_ADDRESS } from './addresses.ts';
import { TEST_TLD, absoluteName, type Scenario, type SmtpHostSpec } from './scenarios.ts';
import { tlsaRecords } from './tlsa.ts';

const DAY = 86_400_000;

export interface NetworkCertificates {
  root: CertificateAuthority;
  intermediate: CertificateAuthority;
  /** Keyed by FQDN of the SMTP host, per scenario label: `${label}/${fqdn}`. */
  smtp: Map<string, Issued>;
  /** TLSA records ("3 1 1 <hex>") per SMTP host, same keys as `smtp`; hosts without any are absent. */
  tlsa: Map<string, string[]>;
  /** Keyed by scenario label. */
  policy: Map<string, Issued>;
  policyDefault: Issued;
  resolver: Issued;
  dispose(): void;
}

export const smtpCertKey = (s: Scenario, host: SmtpHostSpec): string => `${s.label}/${absoluteName(s, host.name)}`;

function issueHost(pki: TestPki, ca: CertificateAuthority, s: Scenario, host: SmtpHostSpec): Issued {
  const names = (host.certNames ?? [host.name]).map((n) => absoluteName(s, n));
  const now = Date.now();
  switch (host.cert) {
    case 'good':
      return pki.issueLeaf(ca, { dnsNames: names });
    case 'expired':
      return pki.issueLeaf(ca, { dnsNames: names, notBefore: new Date(now - 120 * DAY), notAfter: new Date(now - 30 * DAY) });
    case 'wrong-name':
      return pki.issueLeaf(ca, { dnsNames: [`some-other-host.${TEST_TLD}`] });
    case 'self-signed':
      return pki.selfSigned(names);
    case 'missing-intermediate':
      return pki.issueLeaf(ca, { dnsNames: names, omitIntermediate: true });
  }
}

export function issueNetworkCertificates(scenarios: Scenario[]): NetworkCertificates {
  const pki = new TestPki();
  try {
    const root = pki.createRoot('MTA-STS Inspector Test Network Root');
    const intermediate = pki.createIntermediate(root, 'MTA-STS Inspector Test Network Intermediate');
    const smtp = new Map<string, Issued>();
    const tlsa = new Map<string, string[]>();
    const policy = new Map<string, Issued>();
    for (const s of scenarios) {
      for (const h of s.hosts) {
        const issued = issueHost(pki, intermediate, s, h);
        smtp.set(smtpCertKey(s, h), h.sendRoot ? { ...issued, chain: issued.chain + root.cert } : issued);
        if (h.tlsa?.length) tlsa.set(smtpCertKey(s, h), tlsaRecords(h.tlsa, { leaf: issued.cert, intermediate: intermediate.cert, root: root.cert }));
      }
      if (s.policy) policy.set(s.label, pki.issueLeaf(intermediate, { dnsNames: [absoluteName(s, 'mta-sts')] }));
    }
    const policyDefault = pki.issueLeaf(intermediate, { dnsNames: [`policy-default.${TEST_TLD}`] });
    const resolver = pki.issueLeaf(intermediate, { dnsNames: [`resolver.${TEST_TLD}`], ipAddresses: [RESOLVER_ADDRESS] });
    return { root, intermediate, smtp, tlsa, policy, policyDefault, resolver, dispose: () => pki.dispose() };
  } catch (e) {
    pki.dispose();
    throw e;
  }
}
