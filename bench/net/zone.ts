// The data of the bench network: one fully correct domain (MTA-STS enforce, TLS-RPT, one MX
// with a valid certificate) and N generated bulk domains sharing a few MX hosts, as many
// domains share a mail provider. Addresses are in 127.0.20.0/24 (this engineer's range).

export type BenchRecord =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'MX'; preference: number; exchange: string }
  | { type: 'TXT'; text: string };

export const BENCH_TLD = 'bench.test';
export const ADDRESSES = {
  control: '127.0.20.1',
  dns: '127.0.20.53',
  policy: '127.0.20.80',
  goodMx: '127.0.20.25',
} as const;
export const BULK_MX_HOSTS = 8;
export const bulkMxAddress = (i: number): string => `127.0.20.${100 + i}`;
export const bulkMxName = (i: number): string => `mx${i}.provider.${BENCH_TLD}`;

export interface BenchZone {
  records: Map<string, BenchRecord[]>;
  goodDomain: string;
  bulkDomains: string[];
  /** Policy file text by domain. */
  policies: Map<string, string>;
  /** SMTP hosts to run: name and address. */
  mxHosts: { name: string; address: string }[];
}

const policyText = (mx: string[]): string => ['version: STSv1', 'mode: enforce', ...mx.map((m) => `mx: ${m}`), 'max_age: 604800', ''].join('\r\n');

export function buildZone(bulkCount: number): BenchZone {
  const records = new Map<string, BenchRecord[]>();
  const add = (name: string, r: BenchRecord) => {
    const key = name.toLowerCase();
    const list = records.get(key) ?? [];
    list.push(r);
    records.set(key, list);
  };
  const policies = new Map<string, string>();
  const publishDomain = (domain: string, mx: string) => {
    add(domain, { type: 'MX', preference: 10, exchange: mx });
    add(`_mta-sts.${domain}`, { type: 'TXT', text: 'v=STSv1; id=20250101T000000;' });
    add(`_smtp._tls.${domain}`, { type: 'TXT', text: `v=TLSRPTv1; rua=mailto:tlsrpt@${domain}` });
    add(`mta-sts.${domain}`, { type: 'A', address: ADDRESSES.policy });
    policies.set(domain, policyText([mx]));
  };

  const goodDomain = `good.${BENCH_TLD}`;
  const goodMx = `mx1.${goodDomain}`;
  publishDomain(goodDomain, goodMx);
  add(goodMx, { type: 'A', address: ADDRESSES.goodMx });
  const mxHosts: { name: string; address: string }[] = [{ name: goodMx, address: ADDRESSES.goodMx }];

  for (let i = 0; i < BULK_MX_HOSTS; i++) {
    add(bulkMxName(i), { type: 'A', address: bulkMxAddress(i) });
    mxHosts.push({ name: bulkMxName(i), address: bulkMxAddress(i) });
  }
  const bulkDomains: string[] = [];
  for (let i = 0; i < bulkCount; i++) {
    const domain = `bulk${String(i).padStart(4, '0')}.${BENCH_TLD}`;
    bulkDomains.push(domain);
    publishDomain(domain, bulkMxName(i % BULK_MX_HOSTS));
  }
  return { records, goodDomain, bulkDomains, policies, mxHosts };
}
