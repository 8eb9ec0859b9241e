// `report <file...>`: read TLSRPT aggregate reports (RFC 8460 §4, plain or gzip), sum them and
// say what failed, what it means and which check to run. A file that cannot be used does not
// stop the others: it is named on stderr and makes the exit status 2.
import { MAX_INPUT_BYTES } from '../../../core/tlsrpt-report/decode.ts';
import { parseTlsrptReport } from '../../../core/tlsrpt-report/parse.ts';
import type { TlsrptReport } from '../../../core/tlsrpt-report/schema.ts';
import { summarizeReports } from '../../../core/tlsrpt-report/summary.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT_FAILURES, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from '../io.ts';
import { readBounded } from '../read-input.ts';
import { printable } from '../render/text.ts';
import { fileName, renderTlsrptSummary, type ReportFileOutcome } from '../render/tlsrpt-summary.ts';
import { styleFor } from '../style.ts';
import { USAGE } from '../usage.ts';

const MAX_FILES = 1000;
const MIB = 1024 * 1024;

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', argv, { json: { type: 'boolean' } });
  if (values.help) {
    io.stdout.write(USAGE.report);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('report needs at least one report file, or - for standard input', 'report');
  if (positionals.length > MAX_FILES) throw new UsageError(`at most ${MAX_FILES} files at once`, 'report');
  if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read only once', 'report');

  const files: ReportFileOutcome[] = [];
  const reports: TlsrptReport[] = [];
  // One file at a time: at most one 10 MiB body (and its inflated JSON) in memory at once.
  for (const file of positionals) {
    const outcome = await readReport(file, io.stdin);
    files.push(outcome.file);
    if (outcome.report) reports.push(outcome.report);
    else io.stderr.write(`mta-sts-inspector report: ${fileName(file)}: ${printable(outcome.file.message ?? 'unreadable', 500)}\n`);
  }
  const summary = summarizeReports(reports);

  if (values.json) io.stdout.write(`${JSON.stringify({ reports: files, summary }, null, 2)}\n`);
  else io.stdout.write(renderTlsrptSummary(files, summary, styleFor(io)));
  if (files.some((f) => !f.ok)) return EXIT_USAGE;
  return summary.failed > 0 ? EXIT_FAILURES : EXIT_OK;
}

async function readReport(file: string, stdin: AsyncIterable<Uint8Array | string>): Promise<{ file: ReportFileOutcome; report?: TlsrptReport }> {
  const read = await readBounded(file, stdin, MAX_INPUT_BYTES);
  if (!read.ok) {
    const message =
      read.reason === 'too-big'
        ? `larger than ${MAX_INPUT_BYTES / MIB} MiB: refused (a TLSRPT report is far smaller, RFC 8460 §5.2)`
        : `cannot read the file: ${read.code}`;
    return { file: { file, ok: false, deviations: [], message } };
  }
  const parsed = await parseTlsrptReport(read.bytes, file === '-' ? undefined : file);
  if (!parsed.ok) return { file: { file, ok: false, deviations: [], message: parsed.message } };
  const out: ReportFileOutcome = {
    file,
    ok: true,
    deviations: parsed.deviations,
    organization: parsed.report['organization-name'],
    reportId: parsed.report['report-id'],
    gzipped: parsed.gzipped,
  };
  if (parsed.filename && parsed.filename.notes.length > 0) out.nameNotes = parsed.filename.notes;
  return { file: out, report: parsed.report };
}
