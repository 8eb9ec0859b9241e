// DNSSEC signing with ldns (Debian's ldnsutils): one ECDSA P-256 key per zone (KSK flag, used
// for everything, as a CSK), NSEC. A "bogus" zone is signed with a validity window in the past,
// so a validating resolver answers SERVFAIL (RFC 4035 §5.5; EDE 7 "Signature Expired", RFC 8914).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RUN = { stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'], timeout: 20_000, encoding: 'utf8' as const };

export interface ZoneKey {
  /** ldns base name, e.g. Kgood.mtasts.test.+013+12345 (relative to the work folder). */
  base: string;
  /** DS record(s) for the parent, in zone-file syntax. */
  ds: string[];
  /** The DNSKEY record, in zone-file syntax (for a trust anchor). */
  dnskey: string;
}

export function generateKey(dir: string, zone: string): ZoneKey {
  const base = execFileSync('ldns-keygen', ['-a', 'ECDSAP256SHA256', '-k', zone], { ...RUN, cwd: dir }).trim();
  const ds = readFileSync(join(dir, `${base}.ds`), 'utf8').split('\n').filter((l) => l.trim());
  const dnskey = readFileSync(join(dir, `${base}.key`), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith(';'))[0] ?? '';
  return { base, ds, dnskey };
}

/** ldns-signzone dates: YYYYMMDDhhmmss (UTC). */
const ldnsDate = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Sign `zoneFile` (in dir) to `<zoneFile>.signed`. `expired`: signatures valid only in the past. */
export function signZone(dir: string, zoneFile: string, origin: string, key: ZoneKey, expired = false): string {
  const out = `${zoneFile}.signed`;
  const args = ['-o', origin, '-f', out];
  if (expired) {
    const now = Date.now();
    args.push('-i', ldnsDate(new Date(now - 60 * 86_400_000)), '-e', ldnsDate(new Date(now - 30 * 86_400_000)));
  }
  execFileSync('ldns-signzone', [...args, zoneFile, key.base], { ...RUN, cwd: dir });
  return out;
}

export function writeZone(dir: string, file: string, text: string): void {
  writeFileSync(join(dir, file), text);
}
