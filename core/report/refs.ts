// The RFC reference catalogue: every finding cites sections through ref(), so the
// links are built in one place and an unknown RFC is a type error, not a dead link.

export const RFCS = {
  RFC1035: 'Domain names - implementation and specification',
  RFC2181: 'Clarifications to the DNS Specification',
  RFC3207: 'SMTP Service Extension for Secure SMTP over TLS',
  RFC3986: 'URI: Generic Syntax',
  RFC4035: 'DNSSEC Protocol Modifications',
  RFC5321: 'Simple Mail Transfer Protocol',
  RFC5891: 'Internationalized Domain Names in Applications (IDNA): Protocol',
  RFC6066: 'TLS Extensions (SNI)',
  RFC6068: "The 'mailto' URI Scheme",
  RFC6125: 'Representation and Verification of Domain-Based Application Service Identity',
  RFC6698: 'DANE TLSA',
  RFC6761: 'Special-Use Domain Names',
  RFC7505: 'A "Null MX" No Service Resource Record',
  RFC7525: 'Recommendations for Secure Use of TLS and DTLS',
  RFC7671: 'DANE Protocol: Updates and Operational Guidance',
  RFC7672: 'SMTP Security via Opportunistic DANE TLS',
  RFC8460: 'SMTP TLS Reporting',
  RFC8461: 'SMTP MTA Strict Transport Security (MTA-STS)',
  RFC8484: 'DNS Queries over HTTPS (DoH)',
  RFC8914: 'Extended DNS Errors',
  RFC9525: 'Service Identity in TLS',
} as const;

export type RfcId = keyof typeof RFCS;

export interface RfcRef {
  rfc: RfcId;
  section: string;
  url: string;
}

/** `ref('RFC8461', '3.2')` → { rfc, section: '§3.2', url: …#section-3.2 }. Appendices: 'B' → #appendix-B. */
export function ref(rfc: RfcId, section?: string): RfcRef {
  const num = rfc.slice(3);
  const base = `https://www.rfc-editor.org/rfc/rfc${num}`;
  if (!section) return { rfc, section: '', url: base };
  const anchor = /^[A-Z](\.|$)/.test(section) ? `appendix-${section}` : `section-${section}`;
  return { rfc, section: `§${section}`, url: `${base}#${anchor}` };
}
