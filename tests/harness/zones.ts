// Zone files of the test network, generated from the scenarios (pure: no I/O here).
// The root zone is ours too, so the resolver never needs (or tries) the real root servers.
import { NSD_ADDRESS, NS_NAME, policyAddress, smtpAddress } from './addresses.ts';
import { TEST_TLD, absoluteName, scenarioDomain, type Scenario, type SmtpHostSpec } from './scenarios.ts';
import { tlsaOwner } from './tlsa.ts';

const TTL = 300;

function soa(): string {
  return `@ ${TTL} IN SOA ${NS_NAME}. hostmaster.${TEST_TLD}. 1 3600 600 86400 ${TTL}`;
}

function header(origin: string): string[] {
  return [`$ORIGIN ${origin}`, `$TTL ${TTL}`, soa(), `@ IN NS ${NS_NAME}.`];
}

/** One TXT character-string in zone-file syntax: quoted, `"` and `\` escaped, non-ASCII bytes as \DDD. */
export function txtString(text: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(text)) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString().padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

/** The RDATA of one TXT record: one string per element, each split at 255 bytes (RFC 1035 §3.3.14). */
export function txtRdata(value: string | string[]): string {
  const strings = typeof value === 'string' ? [value] : value;
  const parts: string[] = [];
  for (const s of strings) {
    const bytes = new TextEncoder().encode(s);
    if (bytes.length <= 255) {
      parts.push(txtString(s));
      continue;
    }
    // Split ASCII-safe: only our own data reaches here, and it is ASCII.
    for (let i = 0; i < s.length; i += 255) parts.push(txtString(s.slice(i, i + 255)));
  }
  return parts.join(' ');
}

const abs = (s: Scenario, rel: string): string => `${absoluteName(s, rel)}.`;

/**
 * The zone of one scenario (index is 1-based, the scenario's position in SCENARIOS). `tlsaFor`
 * gives a host's TLSA records in presentation format ("3 1 1 <hex>"), computed from its certificate.
 */
export function scenarioZone(s: Scenario, index: number, tlsaFor: (host: SmtpHostSpec) => readonly string[] = () => []): string {
  const lines = header(`${scenarioDomain(s)}.`);
  if (s.mx === 'null') lines.push('@ IN MX 0 .');
  else for (const mx of s.mx) lines.push(`@ IN MX ${mx.preference} ${abs(s, mx.target)}`);
  s.hosts.forEach((h, k) => {
    lines.push(`${abs(s, h.name)} IN A ${smtpAddress(index, k)}`);
    for (const rdata of tlsaFor(h)) lines.push(`${tlsaOwner(absoluteName(s, h.name))}. IN TLSA ${rdata}`);
  });
  for (const c of s.cnames ?? []) lines.push(`${abs(s, c.name)} IN CNAME ${abs(s, c.target)}`);
  if (s.policy) lines.push(`mta-sts IN A ${policyAddress(index)}`);
  for (const t of s.sts) lines.push(`_mta-sts IN TXT ${txtRdata(t)}`);
  for (const t of s.tlsrpt) lines.push(`_smtp._tls IN TXT ${txtRdata(t)}`);
  return `${lines.join('\n')}\n`;
}

/** The test TLD zone: delegations to every scenario zone, with DS records for the signed ones. */
export function tldZone(scenarios: Scenario[], dsByLabel: ReadonlyMap<string, string[]>): string {
  const lines = header(`${TEST_TLD}.`);
  lines.push(`ns IN A ${NSD_ADDRESS}`);
  for (const s of scenarios) {
    lines.push(`${s.label} IN NS ${NS_NAME}.`);
    for (const ds of dsByLabel.get(s.label) ?? []) lines.push(ds);
  }
  return `${lines.join('\n')}\n`;
}

/** A private root zone delegating only the test TLD: everything else is NXDOMAIN. */
export function rootZone(): string {
  const lines = header('.');
  lines.push(`${TEST_TLD}. IN NS ${NS_NAME}.`, `${NS_NAME}. IN A ${NSD_ADDRESS}`);
  return `${lines.join('\n')}\n`;
}

/** Root hints for the resolver: our authoritative server is the only root. */
export function rootHints(): string {
  return `. 3600000 IN NS ${NS_NAME}.\n${NS_NAME}. 3600000 IN A ${NSD_ADDRESS}\n`;
}
