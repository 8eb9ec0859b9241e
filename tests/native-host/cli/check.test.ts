// `check --no-probe --json` in-process, with DNS from a local DoH server. Nothing leaves loopback:
// the policy host resolves (through the same DoH server) to a loopback address that is refused
// without --allow-private.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHECK_IDS, ReportSchema } from '../../../core/report/schema.ts';
import * as dnsPacket from '@dnsquery/dns-packet';
import { connectionLimit, orderWindow } from '../../../native-host/cli/commands/check.ts';
import { runCli } from '../../../native-host/cli/main.ts';
import { connectionSemaphore, DEFAULT_MAX_CONNECTIONS } from '../../../native-host/net/concurrency.ts';
import { startDohServer, type DohServer } from './doh-server.ts';
import { cli } from './run-cli.ts';

let doh: DohServer;

beforeAll(async () => {
  doh = await startDohServer([
    { name: 'example.test', type: 'MX', data: { preference: 10, exchange: 'mx1.example.test' } },
    { name: 'mx1.example.test', type: 'A', data: '127.0.20.25' },
    { name: '_mta-sts.example.test', type: 'TXT', data: 'v=STSv1; id=20240101;' },
    { name: '_smtp._tls.example.test', type: 'TXT', data: 'v=TLSRPTv1; rua=mailto:tlsrpt@example.test' },
    { name: 'mta-sts.example.test', type: 'A', data: '127.0.20.26' },
    { name: 'other.test', type: 'MX', data: { preference: 0, exchange: '.' } },
    // A second domain on the same MX host, as bulk lists on one provider are.
    { name: 'third.test', type: 'MX', data: { preference: 10, exchange: 'mx1.example.test' } },
  ]);
});
afterAll(() => {
  connectionSemaphore.setLimit(DEFAULT_MAX_CONNECTIONS);
  return doh.close();
});

const byId = (r: z.infer<typeof ReportSchema>) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describe('check --no-probe --json', () => {
  it('prints one report that matches the report schema, with starttls skipped and the reason', async () => {
    const r = await cli(['check', 'example.test', '--no-probe', '--json', '--resolver', doh.url, '--timeout-ms', '2000']);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect({ domain: report.domain, resolver: report.resolver }).toEqual({ domain: 'example.test', resolver: { name: 'custom', url: doh.url } });
    const starttls = report.checks.find((c) => c.id === 'starttls');
    expect(starttls?.status).toBe('skipped');
    expect(starttls?.summary).toContain('--no-probe');
    // Loopback MX addresses are a failure for public mail; the unsigned local zone only warns.
    expect(byId(report)).toEqual(expect.objectContaining({ mx: 'fail', 'sts-record': 'warn', 'tlsrpt-record': 'warn', 'policy-fetch': 'error' }));
    // The policy host was resolved through the chosen resolver, not the system's, then refused as loopback.
    expect(doh.queries).toContainEqual({ name: 'mta-sts.example.test', type: 'A' });
    const fetchFinding = report.checks.find((c) => c.id === 'policy-fetch')?.findings[0]?.message;
    expect(fetchFinding).toContain('127.0.20.26');
    expect(r.code).toBe(1);
  });

  it('prints an array for several domains, in the order given', async () => {
    const r = await cli(['check', 'other.test', 'example.test', '--no-probe', '--json', '--resolver', doh.url, '--concurrency', '2']);
    const reports = z.array(ReportSchema).parse(JSON.parse(r.stdout));
    expect(reports.map((x) => x.domain)).toEqual(['other.test', 'example.test']);
  });

  it('without --json prints plain progress lines and the report, no escape codes off a terminal', async () => {
    const r = await cli(['check', 'example.test', '--no-probe', '--resolver', doh.url]);
    expect(r.stdout).toMatch(/^example\.test: .*MX records/m);
    expect(r.stdout).toContain('[policy-fetch]');
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.code).toBe(1);
  });

  it('on a terminal redraws a live block per check in place; NO_COLOR keeps it but drops colours', async () => {
    const r = await cli(['check', 'example.test', '--no-probe', '--resolver', doh.url], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(r.stdout).toContain('Checking example.test\n  … running  MX records');
    // Back up over the block (a title line and one line per check), clear, redraw.
    expect(r.stdout).toContain(`\x1b[${CHECK_IDS.length + 1}F\x1b[J`);
    expect(r.stdout).not.toMatch(/\x1b\[\d+m/);
  });

  it.each<[string, string[], string]>([
    ['an input that is not a domain', ['check', 'not a domain!', '--no-probe', '--json'], 'not a domain!'],
    ['a resolver URL that is not DoH', ['check', 'example.test', '--resolver', 'ftp://127.0.0.1/x'], '--resolver ftp://127.0.0.1/x'],
  ])('exits 2 for %s', async (_name, argv, message) => {
    const r = await cli(argv.includes('--resolver') ? argv : [...argv, '--resolver', doh.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--concurrency also bounds the connections open at once, process-wide', async () => {
    const r = await cli(['check', 'other.test', '--no-probe', '--json', '--resolver', doh.url, '--concurrency', '16']);
    expect(ReportSchema.parse(JSON.parse(r.stdout)).domain).toBe('other.test');
    expect(connectionSemaphore.limit).toBe(64);
    await cli(['check', 'other.test', '--no-probe', '--json', '--resolver', doh.url]);
    expect(connectionSemaphore.limit).toBe(DEFAULT_MAX_CONNECTIONS);
  });
});

/** A DoH fetch that logs each query's name (and can hold some back), sharing `log` with stdout. */
function loggingFetch(log: string[], slow: (name: string) => boolean = () => false): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const q = dnsPacket.decode(Buffer.from(url.searchParams.get('dns') ?? '', 'base64url')).questions?.[0];
    const name = q?.name ?? '?';
    log.push(`dns:${name}`);
    if (slow(name)) await new Promise((r) => setTimeout(r, 150));
    const res = await fetch(input, init);
    log.push(`dns-done:${name}`);
    return res;
  }) as typeof fetch;
}

async function loggedCli(argv: string[], log: string[], fetchImpl: typeof fetch): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runCli(argv, {
    stdout: {
      write: (t: string) => {
        stdout += t;
        log.push(`out:${/"domain": "([^"]+)"/.exec(t)?.[1] ?? t.trim()}`);
      },
    },
    stderr: { write: () => undefined },
    stdin: (async function* () {})(),
    isTTY: false,
    env: {},
  }, { fetch: fetchImpl });
  return { code, stdout };
}

describe('check --json with several domains: a streamed array', () => {
  it('prints "[" before the first lookup, each report while later ones still run, in input order, as JSON.stringify(…, null, 2) would', async () => {
    const log: string[] = [];
    const r = await loggedCli(['check', 'other.test', 'third.test', 'example.test', '--no-probe', '--json', '--resolver', doh.url, '--concurrency', '3'], log, loggingFetch(log, (n) => n.endsWith('example.test')));
    expect(log[0]).toBe('out:[');
    // other.test's report went out while example.test was still waiting for DNS answers.
    expect(log.indexOf('out:other.test')).toBeGreaterThan(0);
    expect(log.indexOf('out:other.test')).toBeLessThan(log.lastIndexOf('dns-done:example.test'));
    const reports = z.array(ReportSchema).parse(JSON.parse(r.stdout));
    expect(reports.map((x) => x.domain)).toEqual(['other.test', 'third.test', 'example.test']);
    expect(r.stdout).toBe(`${JSON.stringify(JSON.parse(r.stdout), null, 2)}\n`);
  });

  it('keeps input order when the first domain is the slowest', async () => {
    const log: string[] = [];
    const r = await loggedCli(['check', 'example.test', 'other.test', 'third.test', '--no-probe', '--json', '--resolver', doh.url, '--concurrency', '3'], log, loggingFetch(log, (n) => n === 'example.test'));
    expect(log.filter((l) => l.startsWith('out:') && l.endsWith('.test'))).toEqual(['out:example.test', 'out:other.test', 'out:third.test']);
    expect(z.array(ReportSchema).parse(JSON.parse(r.stdout)).map((x) => x.domain)).toEqual(['example.test', 'other.test', 'third.test']);
  });

  it('shares one resolver and its answers across the domains of a run (one query for the shared MX host)', async () => {
    const before = doh.queries.length;
    const r = await cli(['check', 'example.test', 'third.test', '--no-probe', '--json', '--resolver', doh.url, '--concurrency', '1']);
    expect(z.array(ReportSchema).parse(JSON.parse(r.stdout))).toHaveLength(2);
    const asked = doh.queries.slice(before).filter((q) => q.name === 'mx1.example.test' && q.type === 'A');
    expect(asked).toHaveLength(1);
  });

  it.each<[string, string[], number]>([
    ['one input is not a domain', ['not a domain!', 'other.test'], 1],
    ['no input is a domain', ['not a domain!', 'nor this!'], 0],
  ])('when %s: the others are printed, the array stays valid JSON, exit 2', async (_name, domains, count) => {
    const r = await cli(['check', ...domains, '--no-probe', '--json', '--resolver', doh.url]);
    expect(z.array(ReportSchema).parse(JSON.parse(r.stdout))).toHaveLength(count);
    expect(r.stdout).toBe(`${JSON.stringify(JSON.parse(r.stdout), null, 2)}\n`);
    expect(r.code).toBe(2);
  });
});

describe('orderWindow', () => {
  it.each([
    [1, 16],
    [8, 32],
    [50, 200],
  ])('--concurrency %i holds at most %i reports waiting for an earlier one', (n, w) => {
    expect(orderWindow(n)).toBe(w);
  });
});

describe('connectionLimit', () => {
  it.each([
    [1, 32],
    [8, 32],
    [9, 36],
    [64, 256],
  ])('--concurrency %i allows %i connections', (n, limit) => {
    expect(connectionLimit(n)).toBe(limit);
  });
});
