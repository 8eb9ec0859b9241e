// `mx`: the domain's MX records (RFC 5321 §5.1), null MX (RFC 7505), the implicit MX, and whether
// each target is a usable host name with public addresses. Also exports mxTargets(), which the
// engine uses to know which hosts to resolve and probe as soon as the MX answer arrives.
import type { DnsAnswer } from '../dns/types.ts';
import { classifyAddress, parseIp } from '../net/address.ts';
import { ref } from '../report/refs.ts';
import { statusFromFindings, type Finding } from '../report/schema.ts';
import type { MxEvidence, MxHostEvidence } from './evidence.ts';
import {
  addressesOf,
  describeDnsFailure,
  dnsEvidence,
  dnssecBogusFinding,
  dnssecBogusReason,
  dnssecUnsignedFinding,
  hostName,
  isResolverFailure,
  plural,
  sortFindings,
  listSome,
  clip,
  period,
} from './helpers.ts';
import type { CheckOutcome } from './types.ts';

export interface MxTarget {
  /** Lower-case, no trailing dot. */
  host: string;
  preference: number;
  /** Written as an IP address: not resolved, not probed. */
  ipLiteral: boolean;
}

/**
 * Which hosts senders will use:
 * - `hosts`: the MX targets, in preference order (null-MX entries mixed with others are dropped);
 * - `implicit`: no MX records, the domain itself at preference 0 (RFC 5321 §5.1);
 * - `null`: a null MX (RFC 7505), no mail accepted;
 * - `unknown`: the lookup failed or the domain does not exist.
 */
export type MxPlan =
  | { kind: 'hosts' | 'implicit'; hosts: MxTarget[] }
  | { kind: 'null' | 'unknown'; hosts: [] };

const isNullExchange = (exchange: string): boolean => hostName(exchange) === '';

/** MX hosts looked up and probed, in preference order; a hostile answer may list a thousand. */
export const MX_HOST_LIMIT = 16;

export function mxTargets(domain: string, answer: DnsAnswer<'MX'>): MxPlan {
  if (answer.status === 'nodata' || (answer.status === 'ok' && answer.records.length === 0)) {
    return { kind: 'implicit', hosts: [{ host: hostName(domain), preference: 0, ipLiteral: false }] };
  }
  if (answer.status !== 'ok') return { kind: 'unknown', hosts: [] };
  const real = answer.records.filter((r) => !isNullExchange(r.exchange));
  if (real.length === 0) return { kind: 'null', hosts: [] };
  const seen = new Set<string>();
  const hosts: MxTarget[] = [];
  for (const r of [...real].sort((a, b) => a.preference - b.preference || hostName(a.exchange).localeCompare(hostName(b.exchange)))) {
    const host = hostName(r.exchange);
    if (seen.has(host)) continue;
    seen.add(host);
    hosts.push({ host, preference: r.preference, ipLiteral: parseIp(host.replace(/^\[|\]$/g, '')) !== undefined });
  }
  return { kind: 'hosts', hosts };
}

export interface HostAddressAnswers {
  a?: DnsAnswer<'A'>;
  aaaa?: DnsAnswer<'AAAA'>;
}

export interface MxCheckInput {
  /** A-label, no trailing dot. */
  domain: string;
  mx: DnsAnswer<'MX'>;
  /** A and AAAA answers per target host (keys as in mxTargets()). */
  addresses: Record<string, HostAddressAnswers | undefined>;
  /** Non-public addresses are expected (internal testing, `--allow-private`): report them as info. */
  allowPrivate?: boolean;
}

const REFS_MX = [ref('RFC5321', '5.1')];

function hostEvidence(t: MxTarget, answers: HostAddressAnswers | undefined): MxHostEvidence {
  const a = answers?.a;
  const aaaa = answers?.aaaa;
  const ev: MxHostEvidence = {
    preference: t.preference,
    host: t.host,
    ipv4: addressesOf(a),
    ipv6: addressesOf(aaaa),
    addressesSecure: Boolean(a?.ad && aaaa?.ad),
    queries: [...(a ? [dnsEvidence(a)] : []), ...(aaaa ? [dnsEvidence(aaaa)] : [])],
  };
  const chain = a?.cnameChain.length ? a.cnameChain : aaaa?.cnameChain;
  const last = chain?.[chain.length - 1];
  if (last) ev.cnameTarget = hostName(last.target);
  if (t.ipLiteral) ev.ipLiteral = true;
  return ev;
}

/** Findings about one target; `inconclusive` when its address lookups failed at the resolver. */
function hostFindings(t: MxTarget, ev: MxHostEvidence, answers: HostAddressAnswers | undefined, implicit: boolean, allowPrivate: boolean, mxOwner: string) {
  const findings: Finding[] = [];
  let inconclusive = false;
  const label = implicit ? `The domain ${t.host} (implicit MX)` : `MX host ${t.host}`;
  if (t.ipLiteral) {
    findings.push({
      id: 'mx.ip-literal',
      severity: 'fail',
      message: `${label} is written as an IP address. An MX record must name a host (RFC 5321 §5.1), and MTA-STS matches and certificates work on host names only, so senders cannot use it.`,
      refs: [ref('RFC5321', '5.1'), ref('RFC8461', '4.1')],
      level: 'MUST',
      host: t.host,
      fix: 'Publish a host name that has A/AAAA records instead, e.g. "10 mail.<your domain>."',
    });
    return { findings, inconclusive };
  }
  // A CNAME chain that loops is the zone's fault, not the resolver's: a verdict (RFC 1034 §3.6.2).
  const loop = [answers?.a, answers?.aaaa].find((x) => x?.errorKind === 'cname-loop');
  const failed = [answers?.a, answers?.aaaa].filter((x) => x && isResolverFailure(x) && x.errorKind !== 'cname-loop');
  const bogus = [answers?.a, answers?.aaaa].find((x) => x && dnssecBogusReason(x));
  if (bogus) findings.push({ ...dnssecBogusFinding('mx', bogus, dnssecBogusReason(bogus) ?? ''), host: t.host });
  if (loop) {
    findings.push({
      id: 'mx.cname-loop',
      severity: 'fail',
      message: `The address lookup of ${label} loops through CNAME records (${clip(loop.message ?? 'a CNAME loop', 400)}), so senders cannot find its address (RFC 1034 §3.6.2).`,
      refs: [ref('RFC2181', '10.1'), ref('RFC5321', '5.1')],
      host: t.host,
      fix: `Make ${t.host} an A/AAAA record (or a CNAME chain that ends in one).`,
    });
  }
  if (ev.cnameTarget && !loop) {
    findings.push({
      id: 'mx.target-is-cname',
      severity: 'warn',
      message:
        `${label} is an alias (CNAME to ${ev.cnameTarget}). RFC 5321 §5.1 puts MX targets that are CNAMEs outside the standard (RFC 2181 §10.3). Most senders follow the alias, but MTA-STS matches and certificate checks use the MX name ${t.host}, not ${ev.cnameTarget}.` +
        (implicit ? '' : ` Before pointing the MX record at ${ev.cnameTarget}, make sure the policy's mx lines and the certificate of that host cover ${ev.cnameTarget} (and change the TXT id if you edit the policy).`),
      refs: [ref('RFC5321', '5.1'), ref('RFC2181', '10.3')],
      host: t.host,
      fix: implicit ? undefined : `${mxOwner}. IN MX ${t.preference} ${ev.cnameTarget}.`,
    });
  }
  const all = [...ev.ipv4, ...ev.ipv6];
  if (all.length === 0) {
    if (loop) {
      // Said above.
    } else if (failed.length > 0 && !bogus) {
      inconclusive = true;
      findings.push({
        id: 'mx.address-lookup-failed',
        severity: 'warn',
        message: `Could not look up the addresses of ${t.host}: ${failed.map((x) => clip(describeDnsFailure(x!), 400)).join('; ')}. This is a resolver problem, not a verdict on the host.`,
        refs: [ref('RFC8484')],
        host: t.host,
      });
    } else if (!bogus) {
      findings.push({
        id: 'mx.no-address',
        severity: 'fail',
        message: `${label} has no A or AAAA record, so senders cannot connect to it. RFC 5321 §5.1: the MX target MUST return at least one address record.`,
        refs: REFS_MX,
        level: 'MUST',
        host: t.host,
        fix: `Publish an address for ${t.host}, e.g. "${t.host}. IN A <public IPv4 address>", or remove this MX record.`,
      });
    }
    return { findings, inconclusive };
  }
  const capped = [answers?.a, answers?.aaaa].filter((x) => x?.recordsCapped);
  if (capped.length > 0) {
    findings.push({
      id: 'mx.many-addresses',
      severity: 'info',
      message: `${label} has ${capped.map((x) => `${x!.recordsCapped!.total} ${x!.type} records`).join(' and ')}; only the first ${capped.map((x) => x!.recordsCapped!.kept).join(' and ')} were read, and only a few of them are probed.`,
      refs: [ref('RFC1035', '4.2.2')],
      host: t.host,
    });
  }
  const nonPublic = all.filter((ip) => classifyAddress(ip) !== 'public');
  if (nonPublic.length > 0) {
    const kinds = listSome(nonPublic.map((ip) => `${ip} (${classifyAddress(ip)})`));
    const onlyPrivate = nonPublic.length === all.length;
    const allowed = allowPrivate
      ? ' Probing non-public addresses is switched on (internal testing), so this is noted, not judged.'
      : '';
    findings.push({
      id: 'mx.non-public-address',
      severity: allowPrivate ? 'info' : onlyPrivate ? 'fail' : 'warn',
      message: (onlyPrivate
        ? `${label} resolves only to non-public addresses: ${kinds}. Senders on the Internet cannot reach it.`
        : `${label} has non-public addresses among its records: ${kinds}. Senders that pick one of them cannot connect and must fall back to the others.`) + allowed,
      refs: REFS_MX,
      host: t.host,
      // Allowed (internal testing): noted only, nothing to change.
      ...(allowPrivate ? {} : { fix: `Remove the non-public A/AAAA records of ${t.host} from the public DNS.` }),
    });
  }
  if (failed.length > 0) {
    // One family answered, the other failed at the resolver: note it, the host is still usable.
    findings.push({
      id: 'mx.address-lookup-failed',
      severity: 'info',
      message: `One address lookup for ${t.host} failed at the resolver (${failed.map((x) => clip(describeDnsFailure(x!), 400)).join('; ')}); the other family answered.`,
      refs: [ref('RFC8484')],
      host: t.host,
    });
  }
  return { findings, inconclusive };
}

export function checkMx(input: MxCheckInput): CheckOutcome<MxEvidence> {
  const { domain, mx } = input;
  const plan = mxTargets(domain, mx);
  const findings: Finding[] = [];
  const evidence: MxEvidence = { query: dnsEvidence(mx), implicit: plan.kind === 'implicit', nullMx: plan.kind === 'null', hosts: [] };

  const bogus = dnssecBogusReason(mx);
  if (bogus) {
    findings.push(dnssecBogusFinding('mx', mx, bogus));
    return { status: 'fail', summary: `The MX lookup failed DNSSEC validation (${bogus}).`, findings, evidence };
  }
  if (isResolverFailure(mx)) {
    const why = describeDnsFailure(mx);
    findings.push({ id: 'mx.lookup-failed', severity: 'warn', message: `${period(why)} This says nothing about the domain; try again or choose another resolver.`, refs: [ref('RFC8484')] });
    return { status: 'error', summary: `Could not look up the MX records: ${period(clip(why, 400))}`, findings, evidence };
  }
  if (mx.status === 'nxdomain') {
    findings.push({
      id: 'mx.domain-not-found',
      severity: 'fail',
      message: `${domain} does not exist in the DNS (NXDOMAIN). Senders report mail to it as undeliverable (RFC 5321 §5.1).`,
      refs: REFS_MX,
      level: 'MUST',
    });
    return { status: 'fail', summary: `${domain} does not exist (NXDOMAIN).`, findings, evidence };
  }
  if (!mx.ad) findings.push(dnssecUnsignedFinding('mx', mx));

  if (plan.kind === 'null') {
    findings.push({
      id: 'mx.null-mx',
      severity: 'warn',
      message: `${domain} publishes a null MX ("0 ."): it declares that it accepts no mail (RFC 7505). MTA-STS protects mail delivery, so it has nothing to protect here; the STARTTLS and MX-matching checks are skipped.`,
      refs: [ref('RFC7505', '3'), ref('RFC7505', '4')],
    });
    return { status: statusFromFindings(findings), summary: `Null MX: ${domain} accepts no mail.`, findings: sortFindings(findings), evidence };
  }
  if (plan.kind === 'hosts' && mx.records.some((r) => isNullExchange(r.exchange))) {
    findings.push({
      id: 'mx.null-mx-with-others',
      severity: 'fail',
      message: `${domain} publishes a null MX ("0 .") next to other MX records. RFC 7505 §3: a domain that advertises a null MX MUST NOT advertise any other MX record; senders may treat the domain as accepting no mail.`,
      refs: [ref('RFC7505', '3')],
      level: 'MUST NOT',
      fix: `Delete the record "${domain}. IN MX 0 ." (or delete the other MX records if the domain really accepts no mail).`,
    });
  }
  let inconclusive = false;
  const implicit = plan.kind === 'implicit';
  const checked = plan.hosts.slice(0, MX_HOST_LIMIT);
  if (plan.hosts.length > MX_HOST_LIMIT || mx.recordsCapped) {
    const total = mx.recordsCapped ? `${mx.recordsCapped.total} MX records (the first ${mx.recordsCapped.kept} read)` : `${plan.hosts.length} MX hosts`;
    findings.push({
      id: 'mx.too-many-hosts',
      severity: 'warn',
      message: `${domain} has ${total}, far more than any mail set-up needs; only the first ${checked.length} hosts in preference order were looked up and probed. Senders try at most a few of them.`,
      refs: [ref('RFC5321', '5.1')],
    });
  }
  for (const t of checked) {
    const answers = input.addresses[t.host];
    const ev = hostEvidence(t, answers);
    evidence.hosts.push(ev);
    const r = hostFindings(t, ev, answers, implicit, input.allowPrivate === true, domain);
    findings.push(...r.findings);
    inconclusive ||= r.inconclusive;
  }
  if (implicit) {
    const self = evidence.hosts[0];
    const hasAddr = self !== undefined && self.ipv4.length + self.ipv6.length > 0;
    findings.push({
      id: 'mx.implicit-mx',
      severity: 'fail',
      message:
        `${domain} has no MX records. Senders then use the domain itself as an implicit MX with preference 0 (RFC 5321 §5.1)` +
        (hasAddr ? `, i.e. they deliver to the addresses of ${domain}` : `, but ${domain} has no address either, so mail cannot be delivered`) +
        `. The other checks run against ${domain} as the MX host; an MTA-STS policy must then list "mx: ${domain}". Publish explicit MX records.`,
      refs: [ref('RFC5321', '5.1'), ref('RFC8461', '4.1')],
      fix: `${domain}. IN MX 10 ${hasAddr ? domain : `mail.${domain}`}.`,
    });
  }
  const usable = evidence.hosts.filter((h) => !h.ipLiteral && h.ipv4.length + h.ipv6.length > 0);
  if (!implicit && usable.length === 0 && !inconclusive) {
    findings.push({
      id: 'mx.none-usable',
      severity: 'fail',
      message: `None of the MX hosts of ${domain} is usable, so mail to it cannot be delivered (RFC 5321 §5.1).`,
      refs: REFS_MX,
      level: 'MUST',
    });
  }
  if (!implicit) {
    findings.push({
      id: 'mx.hosts',
      severity: 'info',
      message: `${plural(plan.hosts.length, 'MX host')} in preference order: ${listSome(plan.hosts.map((h) => `${h.host} (${h.preference})`))}. Senders try them in this order, so a problem on a backup host shows only when the primary is down (RFC 8461 §8.4).`,
      refs: [ref('RFC5321', '5.1'), ref('RFC8461', '8.4')],
    });
  }
  let status = statusFromFindings(findings) as MxStatus;
  if (inconclusive && status !== 'fail') status = 'error';
  const summary = implicit
    ? `No MX records: the domain itself is the implicit MX.`
    : status === 'pass'
      ? `${plural(plan.hosts.length, 'MX host')}: ${listSome(plan.hosts.map((h) => h.host))}.`
      : `${plural(plan.hosts.length, 'MX host')}; ${summarise(findings)}`;
  return { status, summary, findings: sortFindings(findings), evidence };
}

type MxStatus = 'pass' | 'warn' | 'fail' | 'error';

function summarise(findings: Finding[]): string {
  const worst = sortFindings(findings)[0];
  if (!worst || worst.severity === 'info') return 'no problems.';
  const n = findings.filter((f) => f.severity !== 'info').length;
  return `${plural(n, 'problem')}, first: ${worst.message.split('. ')[0]}.`;
}
