// The engine's ports wired as the CLI wires them (DoH resolver, Node policy fetcher resolving through
// the same resolver, STARTTLS prober), with short limits so hostile servers cost seconds, not minutes.
import { createDohResolver } from '../../core/dns/doh.ts';
import type { EngineOptions } from '../../core/engine.ts';
import type { EnginePorts } from '../../core/ports.ts';
import { CHECK_IDS, ReportSchema, type CheckId, type CheckResult, type Report } from '../../core/report/schema.ts';
import { hostResolverOf } from '../../native-host/cli/ports.ts';
import { fetchPolicyWithEvidence } from '../../native-host/policy/fetch-policy.ts';
import { probeMx } from '../../native-host/probe/probe-mx.ts';

export interface HostilePortsOptions {
  dohUrl: string;
  ca: string[];
  /** Probe port 25 (default on). */
  probe?: boolean;
  dnsTimeoutMs?: number;
  stepMs?: number;
}

export function hostilePorts(o: HostilePortsOptions): EnginePorts {
  // POST keeps a random query id that the client checks (RFC 8484 §4.1), so "wrong id" can be tested.
  const resolver = createDohResolver({ name: 'hostile', url: o.dohUrl, method: 'POST', timeoutMs: o.dnsTimeoutMs ?? 2000, retries: 0 });
  const stepMs = o.stepMs ?? 800;
  const steps = { connectMs: 500, bannerMs: stepMs, stepMs };
  const ports: EnginePorts = {
    resolver,
    policyFetcher: {
      fetchPolicy: (domain, f = {}) =>
        fetchPolicyWithEvidence(domain, { ...f, allowPrivate: true, ca: o.ca, via: 'node', resolve: hostResolverOf(resolver), stepTimeouts: steps }),
    },
  };
  if (o.probe !== false) {
    ports.prober = { probe: (host, addresses, p = {}) => probeMx({ host, addresses, ...p, allowPrivate: true, ca: o.ca, stepTimeouts: steps }) };
  } else {
    ports.proberMissingReason = 'Not probed in this test.';
  }
  return ports;
}

/** Short engine limits for the suite: every case ends in a few seconds. */
export const FAST: EngineOptions = { probeTimeoutMs: 2500, policyTimeoutMs: 2000 };

/** The report parsed by its schema (the contract), with a lookup of each check. */
export function parsed(report: Report): { report: Report; check: (id: CheckId) => CheckResult } {
  const r = ReportSchema.parse(JSON.parse(JSON.stringify(report)));
  if (r.checks.map((c) => c.id).join() !== CHECK_IDS.join()) throw new Error(`checks missing or out of order: ${r.checks.map((c) => c.id).join()}`);
  return {
    report: r,
    check: (id) => {
      const c = r.checks.find((x) => x.id === id);
      if (!c) throw new Error(`no ${id} check`);
      return c;
    },
  };
}

/** Everything a check says (summary, findings, evidence) as one string, for "it says X" assertions. */
export const said = (c: CheckResult): string => JSON.stringify([c.summary, c.findings, c.evidence]);

/** With HOSTILE_REPORT=1, one line per case (what the check said), for the issue's closing note. */
export function reportCase(name: string, c: CheckResult): void {
  if (process.env['HOSTILE_REPORT'] !== '1') return;
  const f = c.findings.find((x) => x.severity !== 'info') ?? c.findings[0];
  console.log(`[hostile] ${name}: ${c.id} ${c.status}${f ? ` | ${f.id}: ${f.message.slice(0, 220)}` : ` | ${c.summary.slice(0, 220)}`}`);
}
