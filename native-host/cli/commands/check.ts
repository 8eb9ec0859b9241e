// `check <domain...>`: the engine with Node ports, several domains at once (bounded).
import { checkDomain } from '../../../core/engine.ts';
import type { Report } from '../../../core/report/schema.ts';
import { connectionSemaphore, DEFAULT_MAX_CONNECTIONS } from '../../net/concurrency.ts';
import { intOption, parseCommandArgs } from '../args.ts';
import { EXIT_FAILURES, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from '../io.ts';
import { OrderedEmitter } from '../ordered-output.ts';
import { buildPorts, type CliPortDeps } from '../ports.ts';
import { Progress } from '../render/progress.ts';
import { renderReport } from '../render/report.ts';
import { styleFor } from '../style.ts';
import { USAGE } from '../usage.ts';

export const DEFAULT_CONCURRENCY = 8;
const MAX_DOMAINS = 1000;

export async function checkCommand(argv: string[], io: CliIo, deps: CliPortDeps = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    json: { type: 'boolean' },
    resolver: { type: 'string' },
    'no-probe': { type: 'boolean' },
    'timeout-ms': { type: 'string' },
    concurrency: { type: 'string' },
    'allow-private': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(USAGE.check);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('check needs at least one domain', 'check');
  if (positionals.length > MAX_DOMAINS) throw new UsageError(`at most ${MAX_DOMAINS} domains at once`, 'check');
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : intOption(values['timeout-ms'], 'timeout-ms', 100, 120_000, 0, 'check');
  const concurrency = intOption(values.concurrency, 'concurrency', 1, 64, DEFAULT_CONCURRENCY, 'check');
  connectionSemaphore.setLimit(connectionLimit(concurrency));
  const many = positionals.length > 1;
  const ports = buildPorts(
    {
      resolver: values.resolver ?? 'cloudflare',
      probe: !values['no-probe'],
      allowPrivate: values['allow-private'] === true,
      ...(timeoutMs ? { timeoutMs } : {}),
      // Domains of one run share answers (bulk lists share their providers' MX hosts).
      dnsCache: many,
    },
    deps,
  );

  const json = values.json === true;
  const style = styleFor(io);
  const progress = new Progress((t) => void io.stdout.write(t), style, io.isTTY && !json, Number(io.env.COLUMNS) || 100);
  // Several domains with --json: the array is streamed, each report printed (then dropped) once it
  // and every earlier one are done. One domain: one object, as before.
  const array = json && many ? jsonArrayWriter(io.stdout) : undefined;
  const ordered = array ? new OrderedEmitter<Report>(orderWindow(concurrency), (r) => r && array.item(r)) : undefined;
  let single: Report | undefined;
  let failed = false;
  let badInput = false;

  try {
    await forEachLimited(positionals, concurrency, async (input, index) => {
      await ordered?.admit(index);
      let domain = input;
      const outcome = await checkDomain(input, ports, {
        ...(timeoutMs ? { probeTimeoutMs: timeoutMs, policyTimeoutMs: timeoutMs } : {}),
        allowPrivate: values['allow-private'] === true,
        onProgress: json
          ? undefined
          : (e) => {
              if (e.type === 'started') {
                domain = e.domain;
                progress.started(e.domain, e.checks);
              } else progress.checkDone(domain, e.check);
            },
      });
      if (!outcome.ok) {
        badInput = true;
        io.stderr.write(`mta-sts-inspector check: ${JSON.stringify(input)}: ${outcome.error}\n`);
        ordered?.done(index, undefined);
        return;
      }
      if (outcome.report.status === 'fail') failed = true;
      if (ordered) ordered.done(index, outcome.report);
      else if (json) single = outcome.report;
      else progress.finished(domain, renderReport(outcome.report, style));
    });
  } finally {
    ports.close();
  }

  if (array) array.end();
  else if (json) io.stdout.write(`${JSON.stringify(single ?? null, null, 2)}\n`);
  if (badInput) return EXIT_USAGE;
  return failed ? EXIT_FAILURES : EXIT_OK;
}

/** Finished reports that may wait for a slower earlier domain: enough not to stall the lanes often. */
export function orderWindow(concurrency: number): number {
  return Math.max(16, concurrency * 4);
}

/**
 * A JSON array written item by item, byte for byte what JSON.stringify(items, null, 2) prints
 * ("[" goes out at once). JSON strings never hold a raw newline, so indenting every line is safe.
 * process.stdout writes to files and pipes synchronously on Linux, so a printed report is freed.
 */
function jsonArrayWriter(out: CliIo['stdout']): { item(value: unknown): void; end(): void } {
  let count = 0;
  out.write('[');
  return {
    item(value) {
      out.write(`${count++ === 0 ? '' : ','}\n  ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}`);
    },
    end() {
      out.write(count === 0 ? ']\n' : '\n]\n');
    },
  };
}

/** Open connections process-wide for `concurrency` domains at once: a few MX addresses and the policy fetch each. */
export function connectionLimit(concurrency: number): number {
  return Math.max(DEFAULT_MAX_CONNECTIONS, concurrency * 4);
}

/** Runs `work` over `items` with at most `limit` at once; results land by index, not by finish order. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
