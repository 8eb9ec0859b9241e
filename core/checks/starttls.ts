// `starttls`: each MX host over port 25 (RFC 3207, RFC 8461 §4.2, §7): STARTTLS offered, handshake
// with SNI, TLS version, chain trusted, not expired, name matches the MX host. The probing itself
// is done by the MxProber port (the helper); this module only judges its results.
import type { AddressProbe, MxProbeResult } from '../protocol/probe.ts';
import { ref } from '../report/refs.ts';
import { statusFromFindings, type CheckStatus, type Finding, type PolicyMode, type Severity } from '../report/schema.ts';
import type { StarttlsEvidence } from './evidence.ts';
import { clip, listSome, modeConsequence, modeSeverity, period, plural, sortFindings } from './helpers.ts';
import type { CheckOutcome } from './types.ts';

export interface StarttlsHostInput {
  host: string;
  preference?: number;
  /** The addresses the engine resolved for this host (empty: nothing to probe). */
  addresses: string[];
  probe?: MxProbeResult;
  /** The prober failed (threw or answered garbage): could not check this host. */
  probeError?: string;
  /** No address because the resolver failed (not because the host has none): could not check. */
  addressLookupError?: string;
}

export interface StarttlsCheckInput {
  hosts: StarttlsHostInput[];
  proberAvailable: boolean;
  proberMissingReason?: string;
  /** The policy's mode: MX-level severities depend on it (ambiguity A7). */
  mode?: PolicyMode;
  /** Null MX or unknown MX list: nothing to probe, with this reason. */
  skipReason?: string;
  now: Date;
}

const OLD_TLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);
const R42 = ref('RFC8461', '4.2');
const R3207 = ref('RFC3207', '4');

interface AddressVerdict {
  findings: Finding[];
  /** Timed out at connect or banner: what a blocked outbound port 25 looks like. */
  earlyTimeout: boolean;
  /** Nothing could be learnt about TLS here (timeouts, busy server, probe error). */
  inconclusive: boolean;
}

type F = Omit<Finding, 'host'>;

function tlsFindings(p: AddressProbe, host: string, mode: PolicyMode | undefined, now: Date): F[] {
  const out: F[] = [];
  const tls = p.tls;
  const s = modeSeverity(mode);
  const cons = modeConsequence(mode);
  if (!tls) return out;
  if (!tls.handshakeCompleted) {
    out.push({ id: 'starttls.handshake-failed', severity: s, message: `The TLS handshake failed${tls.error ? `: ${tls.error.message}` : ''}. ${cons}`, refs: [R42, R3207], tlsrptResultType: 'validation-failure' });
    return out;
  }
  out.push({ id: 'starttls.handshake-completed', severity: 'info', message: `TLS handshake completed with SNI ${tls.servername ?? host}${tls.protocol ? ` using ${tls.protocol}` : ''}${tls.cipher ? ` (${tls.cipher})` : ''}.`, refs: [ref('RFC8461', '7.1'), ref('RFC6066', '3')] });
  if (tls.protocol && OLD_TLS.has(tls.protocol)) {
    out.push({
      id: 'starttls.tls-version-old',
      severity: s,
      message: `The server negotiated ${tls.protocol}. MTA-STS senders are only required to support TLS 1.2 or later (RFC 8461 §7.2), so they may fail to connect. ${cons}`,
      refs: [ref('RFC8461', '7.2'), ref('RFC7525', '3.1.1')],
      level: 'MUST',
      tlsrptResultType: 'validation-failure',
      fix: 'Enable TLS 1.2 and TLS 1.3 on the MTA (e.g. Postfix: smtpd_tls_protocols = >=TLSv1.2).',
    });
  }
  const leaf = tls.chain[0];
  const kind = trustKind(tls);
  if (tls.trusted) {
    out.push({ id: 'starttls.chain-trusted', severity: 'info', message: `The certificate chains to a trusted root${leaf ? ` (issuer: ${leaf.issuer})` : ''}.`, refs: [R42] });
  } else {
    // The verifier's code helps only where our words are vague; a named cause says it better.
    const detail = tls.trustError && (kind === 'unknown-issuer' || kind === 'other' || kind === undefined) ? ` (${tls.trustError.code})` : '';
    const table: Record<string, [string, string, Finding['tlsrptResultType']]> = {
      expired: ['starttls.certificate-expired', `The certificate has expired${leaf ? ` (valid to ${leaf.validTo})` : ''}`, 'certificate-expired'],
      'not-yet-valid': ['starttls.certificate-not-yet-valid', `The certificate is not valid yet${leaf ? ` (valid from ${leaf.validFrom})` : ''}`, 'certificate-not-trusted'],
      'self-signed': ['starttls.certificate-self-signed', 'The certificate is self-signed, which senders applying MTA-STS do not accept', 'certificate-not-trusted'],
      'unknown-issuer': ['starttls.certificate-unknown-issuer', `The certificate was issued by a CA senders do not trust${leaf ? ` (${leaf.issuer})` : ''}`, 'certificate-not-trusted'],
      'missing-intermediate': [
        'starttls.certificate-chain-incomplete',
        `The server sends only its own certificate${leaf ? `, issued by ${leaf.issuer},` : ''} without the intermediate certificate(s) that link it to a trusted root, so senders cannot build the chain. If that issuer is a private CA rather than a public CA's intermediate, the certificate itself must be replaced`,
        'certificate-not-trusted',
      ],
    };
    const [id, text, type] = table[kind ?? ''] ?? ['starttls.certificate-not-trusted', 'The certificate does not chain to a trusted root', 'certificate-not-trusted'];
    out.push({
      id,
      severity: s,
      message: `${text}${detail}. The MX certificate MUST chain to a root CA the sender trusts and MUST NOT be expired (RFC 8461 §4.2). ${cons}`,
      refs: [R42],
      level: 'MUST',
      tlsrptResultType: type,
      fix:
        kind === 'missing-intermediate'
          ? 'Configure the MTA to send the full chain, leaf first, then the intermediates (e.g. Postfix: smtpd_tls_chain_files = /path/privkey.pem, /path/fullchain.pem).'
          : kind === 'expired'
            ? `Renew the certificate of ${host} (and make renewal automatic).`
            : `Install a certificate for ${host} from a public CA (for example via ACME).`,
    });
  }
  if (leaf && kind !== 'expired') {
    const days = Math.floor((Date.parse(leaf.validTo) - now.getTime()) / 86_400_000);
    if (days < 0) {
      out.push({ id: 'starttls.certificate-expired', severity: s, message: `The certificate expired on ${leaf.validTo} (RFC 8461 §4.2). ${cons}`, refs: [R42], level: 'MUST', tlsrptResultType: 'certificate-expired', fix: `Renew the certificate of ${host}.` });
    } else if (days < 14) {
      out.push({ id: 'starttls.certificate-expiring-soon', severity: 'warn', message: `The certificate expires in ${plural(days, 'day')} (${leaf.validTo}); after that senders applying MTA-STS refuse the host (RFC 8461 §4.2).`, refs: [R42], fix: 'Renew the certificate now and check that renewal is automatic.' });
    }
  }
  if (tls.nameMatches) {
    out.push({ id: 'starttls.name-matches', severity: 'info', message: `The certificate names ${host}${tls.matchedName ? ` (SAN ${tls.matchedName})` : ''}.`, refs: [R42, ref('RFC6125', '6.4')] });
  } else {
    out.push({
      id: 'starttls.certificate-name-mismatch',
      severity: s,
      message: `The certificate does not name ${host}: ${leaf && leaf.dnsNames.length === 0 ? `it has no DNS names (subject alternative names) at all, only the subject ${leaf.subject}` : `its DNS names are ${listSome(leaf?.dnsNames ?? []) || 'unknown'}`}. It MUST have a subject alternative name matching the MX host name (RFC 8461 §4.2; "*" only as the whole leftmost label). RFC 6125 would fall back to the subject CN when there is no DNS name, but RFC 8461 §4.2 requires a SAN and RFC 9525 drops CN matching, so a CN alone does not count (ambiguity A14). ${cons}`,
      refs: [R42, ref('RFC6125', '6.4'), ref('RFC9525', '6.3')],
      level: 'MUST',
      tlsrptResultType: 'certificate-host-mismatch',
      fix: `Get a certificate whose subject alternative names include ${host}.`,
    });
  }
  return out;
}

/**
 * The verifier's verdict, sharpened: a lone leaf (not self-signed) whose issuer is unknown is
 * almost always a server that does not send its intermediates ("missing intermediate").
 */
function trustKind(tls: NonNullable<AddressProbe['tls']>): string | undefined {
  const kind = tls.trustError?.kind;
  const leaf = tls.chain[0];
  const lonelyLeaf = tls.chain.length === 1 && leaf !== undefined && !leaf.selfSigned && leaf.issuer !== leaf.subject;
  const issuerMissing = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?)$/.test(tls.trustError?.code ?? '');
  return kind === 'unknown-issuer' && lonelyLeaf && issuerMissing ? 'missing-intermediate' : kind;
}

function judgeAddress(p: AddressProbe, host: string, mode: PolicyMode | undefined, now: Date, othersAnswered = false): AddressVerdict {
  const s: Severity = modeSeverity(mode);
  const cons = modeConsequence(mode);
  const out: F[] = [];
  let earlyTimeout = false;
  let inconclusive = false;
  const replyText = (r?: { code: number; lines: string[] }) => (r ? `${r.code} ${r.lines.join(' ').slice(0, 200)}` : '');
  switch (p.outcome) {
    case 'ok':
      out.push({ id: 'starttls.offered', severity: 'info', message: 'STARTTLS is offered in the EHLO response and accepted (220).', refs: [R3207, ref('RFC8461', '4')] });
      out.push(...tlsFindings(p, host, mode, now));
      if (p.noSni && !p.noSni.handshakeCompleted) {
        out.push({
          id: 'starttls.sni-required',
          severity: 'warn',
          message: `A handshake without SNI failed${p.noSni.error ? ` (${p.noSni.error})` : ''}. Servers MUST NOT require SNI and must send a fallback chain when it is missing (RFC 8461 §7.1); opportunistic senders that send no SNI cannot use TLS here.`,
          refs: [ref('RFC8461', '7.1')],
          level: 'MUST NOT',
        });
      } else if (p.noSni?.differentCertificate) {
        out.push({ id: 'starttls.no-sni-different-certificate', severity: 'info', message: 'Without SNI the server presents a different certificate (its fallback chain), which RFC 8461 §7.1 allows.', refs: [ref('RFC8461', '7.1')] });
      }
      if (p.step === 'ehlo-after-tls') {
        // The probe ends at `quit` when the session inside TLS worked; stopping here means EHLO over TLS failed.
        out.push({
          id: 'starttls.ehlo-after-tls-failed',
          severity: s,
          message: `The TLS handshake completed, but the session failed at step ehlo-after-tls: ${period(clip(p.message.replace(/^.*But EHLO after TLS failed:\s*/, ''), 400))} Senders cannot deliver over TLS if EHLO inside TLS fails (RFC 3207 §4.2). ${cons}`,
          refs: [ref('RFC3207', '4.2')],
          tlsrptResultType: 'validation-failure',
        });
      }
      if (p.starttlsAfterTls) {
        out.push({
          id: 'starttls.advertised-after-tls',
          severity: 'fail',
          message: 'After the TLS handshake the server advertises STARTTLS again in its EHLO response. RFC 3207 §4.2: the server MUST NOT return the STARTTLS extension after TLS is established. Some clients then loop or give up.',
          refs: [ref('RFC3207', '4.2')],
          level: 'MUST NOT',
          fix: 'Fix the MTA (or the proxy in front of it) so it stops offering STARTTLS inside TLS.',
        });
      }
      break;
    case 'no-starttls':
      out.push({
        id: 'starttls.not-offered',
        severity: s,
        message: `The EHLO response does not offer STARTTLS, so mail to this host travels in plain text. Under MTA-STS senders MUST NOT deliver to hosts that do not support STARTTLS (RFC 8461 §4, §5). ${cons}`,
        refs: [R3207, ref('RFC8461', '5')],
        level: 'MUST',
        tlsrptResultType: 'starttls-not-supported',
        fix: 'Enable STARTTLS with a valid certificate (e.g. Postfix: smtpd_tls_security_level = may, smtpd_tls_chain_files = ...).',
      });
      break;
    case 'starttls-rejected': {
      const code = p.starttlsReply?.code;
      if (code === 454) {
        out.push({ id: 'starttls.temporarily-unavailable', severity: 'warn', message: `STARTTLS is offered but answered "${replyText(p.starttlsReply)}": TLS not available due to a temporary reason (RFC 3207 §4). Senders retry later; if it persists, the host is effectively without TLS.`, refs: [R3207], tlsrptResultType: 'starttls-not-supported' });
      } else {
        out.push({
          id: 'starttls.rejected',
          severity: code === 501 ? 'fail' : s,
          message: `STARTTLS is offered but the command is answered "${replyText(p.starttlsReply) || 'with an error'}"${code === 501 ? ' (501: syntax error, although STARTTLS takes no parameters, RFC 3207 §4)' : ''}. ${cons}`,
          refs: [R3207],
          tlsrptResultType: 'starttls-not-supported',
        });
      }
      break;
    }
    case 'tls-failed':
      out.push({
        id: 'starttls.handshake-failed',
        severity: s,
        message: `STARTTLS was accepted but the TLS handshake failed at step tls: ${period(clip(p.message.replace(/^STARTTLS was accepted but the TLS handshake failed:\s*/, ''), 400))} ${cons}`,
        refs: [R42, R3207],
        tlsrptResultType: 'validation-failure',
      });
      if (p.tls) out.push(...tlsFindings(p, host, mode, now).filter((f) => f.id !== 'starttls.handshake-failed'));
      break;
    case 'greeting-rejected': {
      const code = p.greeting?.code;
      inconclusive = true;
      if (code === 421) {
        out.push({ id: 'starttls.rate-limited', severity: 'warn', message: `The server greeted with "${replyText(p.greeting)}": 421 means it is busy or limiting connections from this network, not that it lacks STARTTLS. Try again later or from another network.`, refs: [ref('RFC5321', '4.2.3'), R3207] });
      } else {
        out.push({ id: 'starttls.greeting-rejected', severity: 'warn', message: `The server refused the session in its greeting ("${replyText(p.greeting)}"), so STARTTLS could not be tested. It may be rejecting this network (e.g. a blocklist) rather than all senders.`, refs: [ref('RFC5321', '3.1')] });
      }
      break;
    }
    case 'ehlo-rejected':
      inconclusive = true;
      out.push({ id: 'starttls.ehlo-rejected', severity: 'warn', message: `EHLO was answered "${replyText(p.ehlo)}", so STARTTLS could not be tested. Senders that are refused EHLO cannot use STARTTLS (RFC 3207 §4).`, refs: [ref('RFC5321', '4.1.1.1'), R3207] });
      break;
    case 'timeout':
      earlyTimeout = p.step === 'connect' || p.step === 'banner';
      if (earlyTimeout) {
        // Nothing heard from the server: a filter on this network is as likely as the server.
        inconclusive = true;
        out.push(
          othersAnswered
            ? {
                // Other MX addresses answered on port 25 from here: not this network's filter.
                id: 'starttls.timeout',
                severity: 'warn',
                message: `${p.step === 'banner' ? 'The host accepted the TCP connection on port 25 but sent no SMTP greeting' : 'No TCP connection to port 25'} within the probe's time limit (step ${p.step}). Other MX addresses of the same IP family answered from this network, so port 25 is not blocked here: this host (or a firewall in front of it) does not answer, and senders time out the same way (RFC 5321 §4.5.3.2). STARTTLS could not be tested.`,
                refs: [ref('RFC5321', '4.5.3.2'), R3207],
              }
            : { id: 'starttls.timeout', severity: 'info', message: `No answer on port 25 (timed out at step ${p.step}: ${period(clip(p.message, 300))}) Could not probe; this network may block outbound port 25.`, refs: [R3207] },
        );
      } else if (p.step === 'tls') {
        out.push({
          id: 'starttls.handshake-timeout',
          severity: s,
          message: `STARTTLS was accepted but the TLS handshake stalled (timed out at step tls: ${period(clip(p.message, 300))}) Senders give up on TLS with this host. ${cons}`,
          refs: [R42, R3207],
          tlsrptResultType: 'validation-failure',
        });
      } else {
        // The server greeted and then stopped answering: a server problem, not this network.
        out.push({ id: 'starttls.timeout', severity: 'warn', message: `The server stopped answering at step ${p.step} (${period(clip(p.message, 300))}) Senders time out the same way.`, refs: [ref('RFC5321', '4.5.3.2'), R3207] });
      }
      break;
    case 'unreachable':
      inconclusive = true;
      out.push({ id: 'starttls.unreachable', severity: 'info', message: `The address is unreachable from here (${p.message}): could not probe. Check IPv6 connectivity of this network if it is an IPv6 address.`, refs: [R3207] });
      break;
    case 'refused':
      out.push({ id: 'starttls.connection-refused', severity: 'warn', message: `The connection to port 25 was refused at step connect (${clip(p.message, 300)}). Senders that pick this address must fall back to another one.`, refs: [ref('RFC5321', '5.1')] });
      break;
    case 'closed':
      out.push({ id: 'starttls.connection-closed', severity: 'warn', message: `The server closed the connection at step ${p.step} (${clip(p.message, 300)}).`, refs: [R3207] });
      break;
    case 'protocol-error':
      if (p.step === 'starttls' || p.step === 'tls' || p.step === 'ehlo-after-tls') {
        // The server accepted STARTTLS and then could not carry a TLS session: a verdict on TLS,
        // unlike a broken banner or EHLO (which could be a tarpit aimed at this network).
        const atStarttls = p.step === 'starttls';
        out.push({
          id: 'starttls.protocol-error',
          severity: s,
          message: `The server broke the protocol at step ${p.step}: ${period(clip(p.message, 300))} ${atStarttls ? 'Bytes that are not TLS after "220" make every handshake fail (RFC 3207 §4.2), so senders cannot use TLS with this host.' : 'Senders cannot carry mail over TLS with this host.'} ${cons}`,
          refs: [atStarttls ? ref('RFC3207', '4.2') : R3207, R42],
          // Senders see STARTTLS fail before any TLS: "starttls-not-supported"; a broken TLS session: "validation-failure" (RFC 8460 §4.3.1).
          tlsrptResultType: atStarttls ? 'starttls-not-supported' : 'validation-failure',
        });
      } else {
        out.push({ id: 'starttls.protocol-error', severity: 'warn', message: `The server broke the SMTP protocol at step ${p.step}: ${period(clip(p.message, 300))}`, refs: [ref('RFC5321', '4.2')] });
      }
      break;
    case 'refused-private':
      out.push({ id: 'starttls.private-address', severity: 'warn', message: `Not probed: ${p.address} is a loopback, private or link-local address. Senders on the Internet cannot reach it.`, refs: [ref('RFC5321', '5.1')] });
      break;
    default:
      inconclusive = true;
      out.push({ id: 'starttls.probe-error', severity: 'info', message: `The probe failed (${p.message}): could not check this address.`, refs: [R3207] });
  }
  return { findings: out.map((f) => ({ ...f, host })), earlyTimeout, inconclusive };
}

/** One finding per id and host, naming the addresses it applies to. */
function mergeAddresses(perAddress: { address: string; findings: Finding[] }[]): Finding[] {
  const byId = new Map<string, { f: Finding; addrs: string[] }>();
  for (const { address, findings } of perAddress) {
    for (const f of findings) {
      const e = byId.get(f.id);
      if (e) {
        e.addrs.push(address);
        if (rank(f.severity) > rank(e.f.severity)) e.f = { ...f };
      } else byId.set(f.id, { f, addrs: [address] });
    }
  }
  const total = perAddress.length;
  return [...byId.values()].map(({ f, addrs }) => ({
    ...f,
    message: `${f.message} [${total > 1 && addrs.length === total ? `all ${total} addresses` : addrs.join(', ')}]`,
  }));
}

const rank = (s: Severity) => ({ info: 0, warn: 1, fail: 2 })[s];

export function checkStarttls(input: StarttlsCheckInput): CheckOutcome<StarttlsEvidence> {
  const evidence: StarttlsEvidence = { probed: input.proberAvailable, hosts: [] };
  if (!input.proberAvailable) {
    evidence.hosts = input.hosts.map((h) => ({ host: h.host, preference: h.preference, status: 'skipped', summary: 'Not probed.', addresses: [] }));
    const reason = input.proberMissingReason ?? 'Probing port 25 needs the helper (a browser cannot open SMTP connections).';
    return { status: 'skipped', summary: reason, findings: [], evidence };
  }
  if (input.skipReason) return { status: 'skipped', summary: input.skipReason, findings: [], evidence };

  const findings: Finding[] = [];
  // Some address of the same family sent an SMTP greeting: port 25 is open from this network for
  // that family (an IPv6 timeout next to working IPv4 may still be this network's missing IPv6).
  const greetedFamilies = new Set(input.hosts.flatMap((h) => (h.probe?.addresses ?? []).filter((p) => p.greeting !== undefined).map((p) => p.family)));
  let addressesTotal = 0;
  let earlyTimeouts = 0;
  const hostStatuses: CheckStatus[] = [];
  for (const h of input.hosts) {
    let hostStatus: CheckStatus;
    let summary: string;
    let hostFindings: Finding[] = [];
    const probes = h.probe?.addresses ?? [];
    if (h.addresses.length === 0 && h.addressLookupError) {
      hostStatus = 'error';
      summary = `Could not look up its addresses: ${period(clip(h.addressLookupError, 300))}`;
      hostFindings.push({ id: 'starttls.address-lookup-failed', severity: 'info', message: `Could not probe ${h.host}: its address lookup failed at the resolver (${clip(h.addressLookupError, 300)}). This is not a verdict on the host.`, refs: [ref('RFC8484')], host: h.host });
    } else if (h.addresses.length === 0) {
      hostStatus = 'skipped';
      summary = 'No address to probe (see the mx check).';
    } else if (h.probeError || probes.length === 0) {
      hostStatus = 'error';
      summary = `Could not probe: ${h.probeError ?? 'the prober returned no result'}.`;
      hostFindings.push({ id: 'starttls.probe-error', severity: 'info', message: `Could not probe ${h.host}: ${h.probeError ?? 'no result'}.`, refs: [R3207], host: h.host });
    } else {
      const verdicts = probes.map((p) => ({ address: p.address, ...judgeAddress(p, h.host, input.mode, input.now, greetedFamilies.has(p.family)) }));
      addressesTotal += probes.length;
      earlyTimeouts += verdicts.filter((v) => v.earlyTimeout).length;
      hostFindings = mergeAddresses(verdicts);
      const allInconclusive = verdicts.every((v) => v.inconclusive);
      const st = statusFromFindings(hostFindings);
      hostStatus = allInconclusive && st !== 'fail' ? 'error' : st;
      const worst = sortFindings(hostFindings).find((f) => f.severity !== 'info');
      const tls = probes.find((p) => p.tls?.handshakeCompleted)?.tls;
      summary =
        hostStatus === 'pass'
          ? `STARTTLS with ${tls?.protocol ?? 'TLS'}, trusted certificate for ${h.host} on ${plural(probes.length, 'address', 'addresses')}.`
          : hostStatus === 'error'
            ? `Could not probe: ${probes[0]?.message ?? 'no answer'}.`
            : (worst?.message.split('. ')[0] ?? 'Problems found') + '.';
    }
    hostStatuses.push(hostStatus);
    findings.push(...hostFindings);
    evidence.hosts.push({ host: h.host, preference: h.preference, status: hostStatus, summary, addresses: probes });
  }

  if (addressesTotal > 0 && earlyTimeouts === addressesTotal) {
    evidence.port25Blocked = true;
    return {
      status: 'error',
      summary: 'Every MX address timed out on port 25: outbound port 25 is probably blocked on this network. This is not a verdict on the domain.',
      findings: [
        {
          id: 'starttls.port25-blocked',
          severity: 'info',
          message: `All ${plural(addressesTotal, 'address', 'addresses')} of every MX host timed out before the SMTP greeting. Many home and cloud networks block outbound port 25; run the check from a network that allows it (for example a mail server) to test STARTTLS.`,
          refs: [R3207],
        },
        ...findings,
      ],
      evidence,
    };
  }
  // STS-MX-07 (RFC 8461 §8.4): a failing backup MX is noticed only when the primary is down.
  const primary = evidence.hosts[0];
  const failingBackups = evidence.hosts.slice(1).filter((h) => h.status === 'fail' || h.status === 'warn');
  if (primary?.status === 'pass' && failingBackups.length > 0) {
    findings.push({
      id: 'starttls.backup-mx-failing',
      severity: 'info',
      message: `The primary MX passes but ${failingBackups.map((h) => h.host).join(', ')} ${failingBackups.length === 1 ? 'does' : 'do'} not. Senders try backup hosts only when the primary fails, so these problems show up during an outage, when they hurt most (RFC 8461 §8.4).`,
      refs: [ref('RFC8461', '8.4')],
    });
  }
  let status: CheckStatus = statusFromFindings(findings);
  const probedStatuses = hostStatuses.filter((s) => s !== 'skipped');
  if (probedStatuses.length > 0 && probedStatuses.every((s) => s === 'error')) status = 'error';
  else if (status === 'pass' && probedStatuses.some((s) => s === 'error')) status = 'warn';
  if (input.hosts.length === 0) return { status: 'skipped', summary: 'No MX host to probe.', findings: [], evidence };
  if (probedStatuses.length === 0) return { status: 'skipped', summary: 'No MX host has an address to probe.', findings: sortFindings(findings), evidence };
  const good = evidence.hosts.filter((h) => h.status === 'pass').length;
  const summary =
    status === 'error'
      ? 'Could not probe any MX host from here.'
      : `${good} of ${plural(input.hosts.length, 'MX host')} passed${status === 'pass' ? '' : `; ${firstProblem(findings)}`}.`;
  return { status, summary, findings: sortFindings(findings), evidence };
}

function firstProblem(findings: Finding[]): string {
  const f = sortFindings(findings).find((x) => x.severity !== 'info');
  if (!f) return 'some could not be probed';
  return `${f.host ? `${f.host}: ` : ''}${f.message.split('. ')[0]}`;
}
