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

  it("our prober's own chain adds EHLO after TLS, QUIT and the no-SNI session (8 RTT)", () => {
    expect(computeBound(proberChains('doh'), 50).rtts).toBe(17);
  });

  it('marks the critical chain in the printed derivation', () => {
    const lines = describeBound(computeBound(issueChains('doh'), 50));
    expect(lines.filter((l) => l.startsWith('*'))).toHaveLength(1);
    expect(lines[0]).toMatch(/^\* MX → STARTTLS: .* = 9 RTT = 450 ms$/);
  });
});
