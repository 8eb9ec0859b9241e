// The loopback address plan of the test network (this harness owns 127.0.50.0/24 … 127.0.59.0/24).
// Linux routes all of 127.0.0.0/8 to `lo`, so any of these can be bound without configuration.
// Scenario i (1-based, order of SCENARIOS) gets its policy host at 127.0.51.i and its SMTP
// hosts at 127.0.52.i, 127.0.53.i, ... (one third octet per host of the scenario).

export const NSD_ADDRESS = '127.0.50.1';
export const RESOLVER_ADDRESS = '127.0.50.2';
export const NS_NAME = 'ns.mtasts.test';

const POLICY_OCTET = 51;
const FIRST_HOST_OCTET = 52;
const LAST_OCTET = 59;

export const MAX_SCENARIOS = 254;
export const MAX_HOSTS_PER_SCENARIO = LAST_OCTET - FIRST_HOST_OCTET + 1;

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 1 || index > MAX_SCENARIOS) throw new RangeError(`scenario index ${index} out of 1..${MAX_SCENARIOS}`);
}

/** The policy host (mta-sts.<domain>) of scenario `index` (1-based). */
export function policyAddress(index: number): string {
  checkIndex(index);
  return `127.0.${POLICY_OCTET}.${index}`;
}

/** SMTP host number `host` (0-based, in the scenario's `hosts` order) of scenario `index`. */
export function smtpAddress(index: number, host: number): string {
  checkIndex(index);
  if (!Number.isInteger(host) || host < 0 || host >= MAX_HOSTS_PER_SCENARIO) throw new RangeError(`host ${host} out of range`);
  return `127.0.${FIRST_HOST_OCTET + host}.${index}`;
}
