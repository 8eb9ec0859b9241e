// The orchestrator: normalises the input, starts every independent lookup at once through the
// ports, computes each check as soon as its own inputs are in, streams it (onProgress), and
// assembles the report (DESIGN.md "The report"). One failing check never stops the others.
import { buildAdvice, modeInfo } from './advice.ts';
import { checkDane, type DaneHostInput } from './checks/dane.ts';
import { checkMx, MX_HOST_LIMIT, mxTargets, type HostAddressAnswers, type MxPlan, type MxTarget } from './checks/mx.ts';
import { checkPolicyFetch, policyBodyToParse } from './checks/policy-fetch.ts';
import { checkPolicyMxMatch } from './checks/policy-mx-match.ts';
import { checkPolicySyntax, policySummary } from './checks/policy-syntax.ts';
import { checkStarttls, type StarttlsHostInput } from './checks/starttls.ts';
import { checkStsRecord, stsRecordState } from './checks/sts-record.ts';
import { checkTlsrptRecord, tlsrptDeployed } from './checks/tlsrpt-record.ts';
import type { CheckOutcome } from './checks/types.ts';
import { addressesOf, describeDnsFailure, dnssecBogusReason, isResolverFailure, visibleText } from './checks/helpers.ts';
import type { PolicySyntaxEvidence } from './checks/evidence.ts';
import type { DnsAnswer, RRType } from './dns/types.ts';
import { tlsaQueryName } from './dane/record.ts';
import { AbortedError, bounded, createGate, DeadlineError } from './engine/scheduler.ts';
import { normalizeDomainInput } from './parse/domain-name.ts';
import { ref } from './report/refs.ts';
import type { EnginePorts, PolicyHistoryEntry } from './ports.ts';
import { MxProbeResultSchema, type MxProbeResult } from './protocol/probe.ts';
import { POLICY_TIMEOUT_MS, PolicyFetchResultSchema, type PolicyFetchResult } from './protocol/policy-fetch.ts';
import { CHECK_IDS, CHECK_TITLES, overallStatus, type CheckId, type CheckResult, type Report } from './report/schema.ts';

export interface EngineOptions {
  signal?: AbortSignal;
  onProgress?: (e: EngineEvent) => void;
  probeTimeoutMs?: number;
  policyTimeoutMs?: number;
  /** Policy whitespace deviations as warnings (ambiguity A2). */
  lenient?: boolean;
  /** Run every lookup one after another. For the benchmark only. */
  sequential?: boolean;
  /** Non-public MX addresses are expected (internal testing, `--allow-private`): noted as info, not judged. */
  allowPrivate?: boolean;
}

export type EngineEvent =
  | { type: 'started'; domain: string; checks: { id: CheckId; title: string }[] }
  | { type: 'check'; check: CheckResult };

export type EngineResult = { ok: true; report: Report } | { ok: false; error: string };

/** Bounds: how many MX hosts and addresses per host we look at, and last-resort deadlines. */
export const ENGINE_LIMITS = {
  maxMxHosts: MX_HOST_LIMIT,
  maxAddressesPerHost: 16,
  dnsDeadlineMs: 30_000,
  defaultProbeTimeoutMs: 30_000,
  /** Added to the port's own timeout before the engine gives up on it. */
  slackMs: 5_000,
} as const;

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function sha256Hex(bytes: Uint8Array): Promise<string | undefined> {
  try {
    return hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  } catch {
    return undefined;
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Derived inputs one check borrows from another's data: a fault there must not spread to this check. */
function guarded<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
const NO_STS = { counted: 0, valid: false } as const;

export async function checkDomain(input: string, ports: EnginePorts, options: EngineOptions = {}): Promise<EngineResult> {
  const norm = normalizeDomainInput(input);
  if (!norm.ok) return { ok: false, error: norm.message };
  const domain = norm.domain;
  const { signal } = options;
  if (signal?.aborted) return { ok: false, error: new AbortedError().message };

  const now = ports.now ?? (() => new Date());
  const startedAt = now();
  const t0 = performance.now();
  const gate = createGate(options.sequential === true);
  const emit = (e: EngineEvent) => {
    if (signal?.aborted) return;
    try {
      options.onProgress?.(e);
    } catch {
      // A listener's bug must not break the check.
    }
  };
  emit({ type: 'started', domain, checks: CHECK_IDS.map((id) => ({ id, title: CHECK_TITLES[id] })) });

  // --- I/O, each call safe: answers are values, never exceptions (abort aside) ---
  const query = <T extends RRType>(name: string, type: T): Promise<DnsAnswer<T>> =>
    gate(async () => {
      const started = performance.now();
      try {
        return await bounded(ports.resolver.query(name, type, { signal }), signal, ENGINE_LIMITS.dnsDeadlineMs);
      } catch (e) {
        if (e instanceof AbortedError || signal?.aborted) throw new AbortedError();
        return {
          name,
          type,
          status: 'error',
          records: [],
          cnameChain: [],
          ad: false,
          ede: [],
          message: e instanceof DeadlineError ? `the resolver gave ${e.message}` : `the resolver failed: ${errorText(e)}`,
          errorKind: e instanceof DeadlineError ? 'timeout' : 'other',
          elapsedMs: performance.now() - started,
        };
      }
    });

  const policyTimeoutMs = options.policyTimeoutMs ?? POLICY_TIMEOUT_MS;
  const fetchPolicy = (): Promise<PolicyFetchResult | { failed: string }> =>
    gate(async () => {
      try {
        const raw = await bounded(ports.policyFetcher.fetchPolicy(domain, { signal, timeoutMs: policyTimeoutMs }), signal, policyTimeoutMs + ENGINE_LIMITS.slackMs);
        const parsed = PolicyFetchResultSchema.safeParse(raw);
        return parsed.success ? parsed.data : { failed: `the policy fetcher returned an invalid result (${parsed.error.issues[0]?.message ?? 'schema'})` };
      } catch (e) {
        if (e instanceof AbortedError || signal?.aborted) throw new AbortedError();
        return { failed: `the policy fetcher failed: ${errorText(e)}` };
      }
    });

  const probeTimeoutMs = options.probeTimeoutMs ?? ENGINE_LIMITS.defaultProbeTimeoutMs;
  const prober = ports.prober;
  const probe = (host: string, addresses: string[]): Promise<{ result?: MxProbeResult; error?: string }> =>
    gate(async () => {
      if (!prober) return {};
      try {
        // A probe walks several steps (connect, banner, EHLO, STARTTLS, TLS, EHLO): allow a few timeouts' worth.
        const raw = await bounded(prober.probe(host, addresses, { signal, timeoutMs: probeTimeoutMs }), signal, probeTimeoutMs * 3 + ENGINE_LIMITS.slackMs);
        const parsed = MxProbeResultSchema.safeParse(raw);
        return parsed.success ? { result: parsed.data } : { error: `the prober returned an invalid result (${parsed.error.issues[0]?.message ?? 'schema'})` };
      } catch (e) {
        if (e instanceof AbortedError || signal?.aborted) throw new AbortedError();
        return { error: `the prober failed: ${errorText(e)}` };
      }
    });

  // --- start every independent lookup at once ---
  const mxP = query(domain, 'MX');
  const stsP = query(`_mta-sts.${domain}`, 'TXT');
  const rptP = query(`_smtp._tls.${domain}`, 'TXT');
  const polAP = query(`mta-sts.${domain}`, 'A');
  const polAaaaP = query(`mta-sts.${domain}`, 'AAAA');
  const fetchP = fetchPolicy();
  const historyP: Promise<PolicyHistoryEntry | undefined> = ports.history
    ? ports.history.get(domain).catch(() => undefined)
    : Promise.resolve(undefined);

  interface HostRun {
    target: MxTarget;
    answersP: Promise<HostAddressAnswers>;
    /** `_25._tcp.<host>` TLSA (RFC 7672 §2.2); none for an IP-literal target, which has no name to secure. */
    tlsaP?: Promise<DnsAnswer<'TLSA'>>;
    probeP: Promise<StarttlsHostInput>;
  }
  const planP: Promise<MxPlan> = mxP.then((ans) => {
    const plan = mxTargets(domain, ans);
    return plan.kind === 'hosts' || plan.kind === 'implicit' ? { ...plan, hosts: plan.hosts.slice(0, ENGINE_LIMITS.maxMxHosts) } : plan;
  });
  // Each host's A, AAAA and TLSA start when the MX answer arrives; its probe when its own addresses do.
  const hostsP: Promise<HostRun[]> = planP.then((plan) =>
    plan.hosts.map((target) => {
      const answersP: Promise<HostAddressAnswers> = target.ipLiteral
        ? Promise.resolve({})
        : Promise.all([query(target.host, 'A'), query(target.host, 'AAAA')]).then(([a, aaaa]) => ({ a, aaaa }));
      const tlsaP = target.ipLiteral ? undefined : query(tlsaQueryName(target.host), 'TLSA');
      const probeP = answersP.then(async (ans): Promise<StarttlsHostInput> => {
        const addresses = [
          ...addressesOf(ans.a),
          ...addressesOf(ans.aaaa),
        ].slice(0, ENGINE_LIMITS.maxAddressesPerHost);
        const failed = [ans.a, ans.aaaa].filter((x) => x !== undefined && isResolverFailure(x));
        const base: StarttlsHostInput = { host: target.host, preference: target.preference, addresses };
        // Both families failed at the resolver: "could not look up", which is not "has no address".
        if (addresses.length === 0 && failed.length > 0 && failed.length === [ans.a, ans.aaaa].filter(Boolean).length) {
          base.addressLookupError = failed.map((x) => describeDnsFailure(x!)).join('; ');
        }
        if (addresses.length === 0 || !prober) return base;
        const r = await probe(target.host, addresses);
        return { ...base, probe: r.result, probeError: r.error };
      });
      return { target, answersP, tlsaP, probeP };
    }),
  );

  // --- checks, each as soon as its inputs are in ---
  const run = async <E extends Record<string, unknown>>(id: CheckId, compute: () => Promise<CheckOutcome<E>>): Promise<CheckResult> => {
    let outcome: CheckOutcome<Record<string, unknown>>;
    try {
      outcome = await compute();
    } catch (e) {
      if (e instanceof AbortedError || signal?.aborted) throw new AbortedError();
      outcome = { status: 'error', summary: `The check failed unexpectedly: ${errorText(e)}`, findings: [], evidence: {} };
    }
    // Messages quote records and server replies: never let their control characters reach a terminal or a page.
    outcome = {
      ...outcome,
      summary: visibleText(outcome.summary),
      findings: outcome.findings.map((f) => ({ ...f, message: visibleText(f.message), ...(f.fix !== undefined ? { fix: visibleText(f.fix) } : {}) })),
    };
    const check: CheckResult = { id, title: CHECK_TITLES[id], durationMs: Math.max(0, Math.round(performance.now() - t0)), ...outcome };
    emit({ type: 'check', check });
    return check;
  };

  const policyBytesP = fetchP.then(async (r) => {
    if ('failed' in r) return { result: undefined, body: undefined, truncation: undefined, sha256: undefined, failed: r.failed };
    const toParse = guarded(() => policyBodyToParse(r), undefined);
    const body = toParse?.bytes;
    return { result: r, body, truncation: toParse?.truncation, sha256: body ? await sha256Hex(body) : undefined, failed: undefined };
  });

  const mxCheck = run('mx', async () => {
    const [mx, hosts] = await Promise.all([mxP, hostsP]);
    const answers = await Promise.all(hosts.map((h) => h.answersP));
    const addresses: Record<string, HostAddressAnswers> = {};
    hosts.forEach((h, i) => (addresses[h.target.host] = answers[i] ?? {}));
    return checkMx({ domain, mx, addresses, allowPrivate: options.allowPrivate === true });
  });

  const tlsrptCheck = run('tlsrpt-record', async () => checkTlsrptRecord({ domain, txt: await rptP }));

  const stsCheck = run('sts-record', async () => {
    const txt = await stsP;
    const state = stsRecordState(txt);
    // Wait for the policy only when the answer depends on it: "a policy is served anyway", or the history comparison.
    const needPolicy = state.counted === 0 || (ports.history !== undefined && state.valid);
    if (!needPolicy) return checkStsRecord({ domain, txt, now: startedAt });
    const [pol, previous] = await Promise.all([policyBytesP, historyP]);
    return checkStsRecord({
      domain,
      txt,
      now: startedAt,
      policyServed: pol.body !== undefined,
      history: ports.history ? { previous, currentSha256: pol.sha256 } : undefined,
    });
  });

  const fetchCheck = run('policy-fetch', async () => {
    const [pol, hostA, hostAaaa, sts] = await Promise.all([policyBytesP, polAP, polAaaaP, stsP]);
    if (!pol.result) {
      const why = pol.failed ?? 'unknown error';
      return {
        status: 'error',
        summary: `Could not fetch the policy: ${why}.`,
        findings: [{ id: 'policy-fetch.fetcher-failed', severity: 'warn', message: `The policy could not be fetched from here: ${why}. This says nothing about the domain; try again.`, refs: [ref('RFC8461', '3.3')] }],
        evidence: {},
      };
    }
    const state = guarded<ReturnType<typeof stsRecordState>>(() => stsRecordState(sts), NO_STS);
    const stsDeployed = sts.status === 'ok' || sts.status === 'nodata' || sts.status === 'nxdomain' ? state.valid : undefined;
    return checkPolicyFetch({ domain, result: pol.result, hostA, hostAaaa, stsDeployed, now: startedAt });
  });

  const syntaxP = (async () => {
    const [pol, rpt, sts] = await Promise.all([policyBytesP, rptP, stsP]);
    const rptKnown = rpt.status === 'ok' || rpt.status === 'nodata' || rpt.status === 'nxdomain';
    const noSts = guarded(() => stsRecordState(sts), NO_STS).counted === 0 && (sts.status === 'nodata' || sts.status === 'nxdomain' || sts.status === 'ok');
    const skippedReason = pol.failed
      ? `No policy to parse: ${pol.failed}.`
      : noSts
        ? 'No policy was served (and MTA-STS is not deployed), so there is nothing to parse.'
        : 'No policy was served with HTTP 200 (see the policy-fetch check), so there is nothing to parse.';
    const syntaxInput = {
      domain,
      body: pol.body,
      skippedReason,
      lenient: options.lenient,
      tlsrptDeployed: rptKnown ? guarded<boolean | undefined>(() => tlsrptDeployed(rpt), undefined) : undefined,
      sha256: pol.sha256,
      truncation: pol.truncation,
      now: startedAt,
    };
    const first = checkPolicySyntax(syntaxInput);
    // STS-POL-06: only a policy without mx lines waits for the MX answer, to list the hosts as the fix.
    if (!first.findings.some((f) => f.id === 'policy-syntax.missing-mx')) return first;
    const plan = await planP.catch(() => undefined);
    const mxHosts = plan && (plan.kind === 'hosts' || plan.kind === 'implicit') ? plan.hosts.filter((h) => !h.ipLiteral).map((h) => h.host) : [];
    return mxHosts.length > 0 ? checkPolicySyntax({ ...syntaxInput, mxHosts }) : first;
  })();
  const syntaxCheck = run('policy-syntax', () => syntaxP);
  const policyP = syntaxP.then(
    (o) => (o.status === 'skipped' || o.status === 'error' ? undefined : policySummary(o.evidence, o.status !== 'fail')),
    () => undefined,
  );

  const matchCheck = run('policy-mx-match', async () => {
    const [plan, policy, syntax] = await Promise.all([planP, policyP, syntaxP.catch(() => undefined)]);
    return checkPolicyMxMatch({ domain, plan, policy, noPolicyReason: syntax?.summary });
  });

  const starttlsCheck = run('starttls', async () => {
    const [plan, hosts, policy] = await Promise.all([planP, hostsP, policyP]);
    const inputs = await Promise.all(hosts.map((h) => h.probeP));
    const skipReason =
      plan.kind === 'null' ? 'Null MX: the domain accepts no mail, so there is no MX host to probe.' : plan.kind === 'unknown' ? 'The MX hosts are not known (see the mx check).' : undefined;
    return checkStarttls({
      hosts: inputs,
      proberAvailable: prober !== undefined,
      proberMissingReason: ports.proberMissingReason,
      mode: policy?.mode,
      skipReason,
      now: startedAt,
    });
  });

  // DANE: per host, when its TLSA, its addresses and its probe are in (RFC 7672 §2.2); the policy
  // mode only colours the explanation of how DANE and MTA-STS interact.
  const daneCheck = run('dane', async () => {
    const [plan, mx, hosts] = await Promise.all([planP, mxP, hostsP]);
    const mxHosts = await Promise.all(
      hosts.flatMap((h) =>
        h.tlsaP
          ? [
              Promise.all([h.tlsaP, h.answersP, h.probeP]).then(([tlsa, ans, probed]): DaneHostInput => ({
                host: h.target.host,
                preference: h.target.preference,
                tlsa,
                // As the mx check's evidence says it (MxHostEvidence.addressesSecure).
                addressesSecure: Boolean(ans.a?.ad && ans.aaaa?.ad),
                probe: probed.probe,
              })),
            ]
          : [],
      ),
    );
    const policy = await policyP;
    const skipReason =
      plan.kind === 'null'
        ? 'Null MX: the domain accepts no mail, so there is no MX host to look up TLSA records for.'
        : plan.kind === 'unknown'
          ? 'The MX hosts are not known (see the mx check).'
          : hosts.length > 0 && mxHosts.length === 0
            ? 'Every MX target is an IP address: DANE needs a host name to look up TLSA records for (RFC 7672 §2.2).'
            : undefined;
    return checkDane({
      mxHosts,
      probed: prober !== undefined,
      stsMode: policy?.mode,
      domain,
      mxSecure: mx.ad && (mx.status === 'ok' || mx.status === 'nodata'),
      proberMissingReason: ports.proberMissingReason,
      skipReason,
      now: startedAt,
    });
  });

  let checks: CheckResult[];
  try {
    checks = await bounded(Promise.all([mxCheck, starttlsCheck, daneCheck, stsCheck, tlsrptCheck, fetchCheck, syntaxCheck, matchCheck]), signal);
  } catch (e) {
    if (e instanceof AbortedError || signal?.aborted) return { ok: false, error: new AbortedError().message };
    return { ok: false, error: `The check failed: ${errorText(e)}` };
  }
  checks.sort((a, b) => CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id));

  const syntax = checks.find((c) => c.id === 'policy-syntax');
  const policy = await policyP;
  const sts = await stsP;
  const stsState = guarded<ReturnType<typeof stsRecordState>>(() => stsRecordState(sts), NO_STS);
  // A resolver failure says nothing about the record: the mode is then not called "not in effect".
  const stsKnown = sts.status === 'ok' || sts.status === 'nodata' || sts.status === 'nxdomain' || dnssecBogusReason(sts) !== undefined;
  await recordHistory(ports, domain, stsState.id, policy?.valid ? (syntax?.evidence as PolicySyntaxEvidence | undefined) : undefined, await historyP, startedAt);

  const report: Report = {
    schema: 1,
    domain,
    input,
    checkedAt: startedAt.toISOString(),
    durationMs: Math.max(0, Math.round(performance.now() - t0)),
    resolver: { name: ports.resolver.name, url: ports.resolver.url },
    status: overallStatus(checks),
    advice: buildAdvice({ domain, checks, mode: policy?.mode, maxAge: policy?.maxAge, stsValid: stsKnown ? stsState.valid : undefined, policyValid: policy?.valid }),
    checks,
  };
  if (policy?.mode) report.mode = modeInfo(policy.mode, { stsValid: stsKnown ? stsState.valid : undefined, policyValid: policy.valid });
  return { ok: true, report };
}

/** STS-TXT-07: remember (id, policy hash); keep the old entry while the id is unchanged so the warning persists. */
async function recordHistory(
  ports: EnginePorts,
  domain: string,
  id: string | undefined,
  syntax: PolicySyntaxEvidence | undefined,
  previous: PolicyHistoryEntry | undefined,
  now: Date,
): Promise<void> {
  if (!ports.history || !id || !syntax?.sha256) return;
  const at = now.toISOString();
  const same = previous && previous.id === id;
  const entry: PolicyHistoryEntry = same
    ? { ...previous, lastSeen: at }
    : { domain, id, policySha256: syntax.sha256, firstSeen: at, lastSeen: at, maxAge: syntax.maxAge };
  try {
    await ports.history.put(entry);
  } catch {
    // The history is a convenience; failing to write it must not fail the check.
  }
}
