import { describe, expect, it } from 'vitest';
import { computeBound, describeBound, issueChains, proberChains } from '../../bench/critical-path.ts';

describe('critical-path bound (issue 6 row 1)', () => {
  it.each([
    // DoH set-up 2 + MX 1 + A/AAAA 1 + connect+banner 2 + EHLO 1 + STARTTLS 1 + TLS 1 = 9 RTT
    { transport: 'doh' as const, rtt: 50, rtts: 9, ms: 450, critical: 'MX → STARTTLS' },
    { transport: 'plain' as const, rtt: 50, rtts: 7, ms: 350, critical: 'MX → STARTTLS' },
    { transport: 'doh' as const, rtt: 10, rtts: 9, ms: 90, critical: 'MX → STARTTLS' },
  ])('$transport at RTT $rtt ms: $rtts RTT', ({ transport, rtt, rtts, ms, critical }) => {
    const b = computeBound(issueChains(transport), rtt);
    expect(b).toMatchObject({ rtts, ms, critical });
  });

  it('the policy fetch chain is DoH 2 + lookup 1 + connect 1 + TLS 1 + GET 1', () => {
    const b = computeBound(issueChains('doh'), 50);
    expect(b.chains.find((c) => c.name === 'policy fetch')?.rtts).toBe(6);
  });

  it.each([
    // main session: the issue's 9 + EHLO after TLS 1 (RFC 3207 §4.2), QUIT's 221 not awaited
    { transport: 'doh' as const, rtts: 10, noSni: 9 },
    { transport: 'plain' as const, rtts: 8, noSni: 7 },
  ])("RFC 8461 §7.1: $transport prober bound is $rtts RTT, the no-SNI session alongside ($noSni)", ({ transport, rtts, noSni }) => {
    const b = computeBound(proberChains(transport), 50);
    expect(b).toMatchObject({ rtts, ms: rtts * 50, critical: 'MX → STARTTLS as our prober does it' });
    expect(b.chains.find((c) => c.name === 'no-SNI session (alongside)')?.rtts).toBe(noSni);
  });

  it('the no-SNI chain relabels only its connect step', () => {
    const steps = computeBound(proberChains('doh'), 50).chains[1]?.steps.map((s) => s.label) ?? [];
    expect(steps).toContain('no-SNI: TCP connect + 220 banner');
    expect(steps).not.toContain('TCP connect + 220 banner');
  });

  it('marks the critical chain in the printed derivation', () => {
    const lines = describeBound(computeBound(issueChains('doh'), 50));
    expect(lines.filter((l) => l.startsWith('*'))).toHaveLength(1);
    expect(lines[0]).toMatch(/^\* MX → STARTTLS: .* = 9 RTT = 450 ms$/);
  });
});
