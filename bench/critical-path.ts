// The physical limit of a full check: the longest chain of round trips that cannot overlap
// (issue 6, row 1). Each step costs whole round trips (RTT = 2 × one-way delay). A TCP connect
// followed by a server-first greeting costs 2 RTT (SYN, SYN-ACK, ACK+accept, banner); TLS 1.3
// costs 1 RTT; a DNS lookup through a nearby caching resolver 1 RTT.

export interface Step {
  label: string;
  rtts: number;
}

export interface Chain {
  name: string;
  steps: Step[];
}

export interface Bound {
  rttMs: number;
  chains: { name: string; rtts: number; ms: number; steps: Step[] }[];
  /** The longest chain. */
  critical: string;
  rtts: number;
  ms: number;
}

const doh: Step = { label: 'DoH connection set-up (TCP 1 + TLS 1.3 1)', rtts: 2 };
const connectBanner: Step = { label: 'TCP connect + 220 banner', rtts: 2 };

/** The chains of the issue's bound: MX lookups then the STARTTLS handshake, in parallel with the policy fetch. */
export function issueChains(transport: 'doh' | 'plain'): Chain[] {
  const head = transport === 'doh' ? [doh] : [];
  return [
    {
      name: 'MX → STARTTLS',
      steps: [...head, { label: 'MX lookup', rtts: 1 }, { label: 'MX host A/AAAA (parallel)', rtts: 1 }, connectBanner, { label: 'EHLO', rtts: 1 }, { label: 'STARTTLS', rtts: 1 }, { label: 'TLS 1.3 handshake', rtts: 1 }],
    },
    {
      name: 'policy fetch',
      steps: [...head, { label: 'mta-sts host A/AAAA', rtts: 1 }, { label: 'TCP connect', rtts: 1 }, { label: 'TLS 1.3 handshake', rtts: 1 }, { label: 'GET policy', rtts: 1 }],
    },
    { name: 'TXT records', steps: [...head, { label: '_mta-sts and _smtp._tls TXT (parallel)', rtts: 1 }] },
  ];
}

/**
 * What our prober does on purpose, on top of the issue's chain: EHLO again after TLS (RFC 3207 §4.2:
 * STARTTLS must no longer be offered), and a second session without SNI (RFC 8461 §7.1) that runs
 * alongside the main one, so it is a parallel chain, not extra steps. QUIT is sent and its 221 not
 * awaited (0 RTT). The SMTP servers greet at once (bench/net/smtp-server.ts): no server think time.
 */
export function proberChains(transport: 'doh' | 'plain'): Chain[] {
  const [mx, ...rest] = issueChains(transport);
  if (!mx) return rest;
  return [
    {
      name: 'MX → STARTTLS as our prober does it',
      steps: [...mx.steps, { label: 'EHLO after TLS', rtts: 1 }, { label: 'QUIT (221 not awaited)', rtts: 0 }],
    },
    {
      name: 'no-SNI session (alongside)',
      steps: [...mx.steps.map((s) => (s === connectBanner ? { ...s, label: 'no-SNI: TCP connect + 220 banner' } : s)), { label: 'QUIT (221 not awaited)', rtts: 0 }],
    },
    ...rest,
  ];
}

export function computeBound(chains: Chain[], rttMs: number): Bound {
  const measured = chains.map((c) => {
    const rtts = c.steps.reduce((sum, s) => sum + s.rtts, 0);
    return { name: c.name, rtts, ms: rtts * rttMs, steps: c.steps };
  });
  let critical = measured[0];
  for (const c of measured) if (!critical || c.rtts > critical.rtts) critical = c;
  return { rttMs, chains: measured, critical: critical?.name ?? '', rtts: critical?.rtts ?? 0, ms: critical?.ms ?? 0 };
}

/** Lines explaining the bound, for the printed table. */
export function describeBound(b: Bound): string[] {
  return b.chains.map(
    (c) => `${c.name === b.critical ? '*' : ' '} ${c.name}: ${c.steps.map((s) => `${s.label} ${s.rtts}`).join(' + ')} = ${c.rtts} RTT = ${c.ms} ms`,
  );
}
