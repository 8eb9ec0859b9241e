// The I/O the engine is handed. core/ never opens a socket itself: the extension, the CLI
// and the tests each plug in their own implementations of these.
import type { Resolver } from './dns/types.ts';
import type { MxProbeResult } from './protocol/probe.ts';
import type { PolicyFetchResult } from './protocol/policy-fetch.ts';

export type { Resolver } from './dns/types.ts';

export interface PolicyFetchOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Addresses of mta-sts.<domain> already resolved by the engine (the fetcher may resolve itself). */
  addresses?: string[];
}

export interface PolicyFetcher {
  /** Fetch https://mta-sts.<domain>/.well-known/mta-sts.txt. Never throws: failures are in the result. */
  fetchPolicy(domain: string, options?: PolicyFetchOptions): Promise<PolicyFetchResult>;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface MxProber {
  /** Probe every address of one MX host in parallel on port 25. Never throws. */
  probe(host: string, addresses: string[], options?: ProbeOptions): Promise<MxProbeResult>;
}

/** Local policy history (STS-TXT-07: the policy changed but the id did not). Optional. */
export interface PolicyHistoryEntry {
  domain: string;
  id: string;
  policySha256: string;
  firstSeen: string;
  lastSeen: string;
  maxAge?: number;
}
export interface PolicyHistory {
  get(domain: string): Promise<PolicyHistoryEntry | undefined>;
  put(entry: PolicyHistoryEntry): Promise<void>;
}

export interface EnginePorts {
  resolver: Resolver;
  policyFetcher: PolicyFetcher;
  /** Absent: the `starttls` check is skipped, with the reason in `proberMissingReason`. */
  prober?: MxProber;
  proberMissingReason?: string;
  history?: PolicyHistory;
  /** For deterministic tests. */
  now?: () => Date;
}
