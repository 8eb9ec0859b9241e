// `lint policy|sts-record|tlsrpt-record`: judge a draft before publishing it. Same parsers and
// checks as the live run; an invalid record is a failure here (no TLSRPT capping).
import { checkPolicyMxMatch } from '../../../core/checks/policy-mx-match.ts';
import { checkPolicySyntax, policySummary } from '../../../core/checks/policy-syntax.ts';
import { parseStsRecord } from '../../../core/parse/sts-record.ts';
import { parseTlsrptRecord } from '../../../core/parse/tlsrpt-record.ts';
import { statusFromFindings, type Finding, type OverallStatus } from '../../../core/report/schema.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT_FAILURES, EXIT_OK, UsageError, type CliIo } from '../io.ts';
import { readInput } from '../read-input.ts';
import { renderFindings } from '../render/findings.ts';
import { statusLabel, styleFor } from '../style.ts';
import { USAGE } from '../usage.ts';

export interface LintResult {
  status: OverallStatus;
  findings: Finding[];
}

const KINDS = ['policy', 'sts-record', 'tlsrpt-record'] as const;

export async function lintCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('lint', argv, {
    json: { type: 'boolean' },
    mx: { type: 'string', multiple: true },
  });
  if (values.help) {
    io.stdout.write(USAGE.lint);
    return EXIT_OK;
  }
  const [kind, input, ...extra] = positionals;
  if (!kind || !(KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(kind ? `unknown lint target ${JSON.stringify(kind)}: use policy, sts-record or tlsrpt-record` : 'lint needs a target: policy, sts-record or tlsrpt-record', 'lint');
  }
  if (input === undefined) throw new UsageError(kind === 'policy' ? 'lint policy needs a file, or - for standard input' : `lint ${kind} needs the record text, in quotes`, 'lint');
  if (values.mx && kind !== 'policy') throw new UsageError('--mx only applies to lint policy', 'lint');
  // `--mx a b c` reads as three hosts: words after the file belong to --mx when it was given.
  const mxHosts = [...(values.mx ?? []), ...(values.mx ? extra : [])];
  if (extra.length > 0 && !values.mx) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}${kind === 'policy' ? '' : ': quote the whole record'}`, 'lint');

  const result =
    kind === 'policy'
      ? lintPolicy(await readInput(input, io.stdin, 'lint'), mxHosts)
      : kind === 'sts-record'
        ? lintRecord(parseStsRecord(input))
        : lintRecord(parseTlsrptRecord(input));

  if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const style = styleFor(io);
    const what = kind === 'policy' ? (input === '-' ? 'policy (standard input)' : `policy ${input}`) : kind;
    const lines = [`${style.bold(what)}: ${statusLabel(result.status, style)}`, ...renderFindings(result.findings, style, '  ')];
    if (result.findings.length === 0) lines.push('  No findings.');
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return result.status === 'fail' ? EXIT_FAILURES : EXIT_OK;
}

export function lintRecord(parsed: { valid: boolean; findings: Finding[] }): LintResult {
  return { status: parsed.valid ? statusFromFindings(parsed.findings) : 'fail', findings: parsed.findings };
}

/** The policy-syntax check, and with MX hosts the policy-mx-match check, on a draft body. */
export function lintPolicy(body: Uint8Array, mxHosts: readonly string[], now: Date = new Date()): LintResult {
  // The domain is not known when linting a file: it only shapes suggested TLSRPT fixes, which need a tlsrpt lookup.
  const syntax = checkPolicySyntax({ domain: '', body, now });
  const findings = [...syntax.findings];
  const valid = syntax.status !== 'fail';
  if (mxHosts.length > 0) {
    const hosts = mxHosts.map((h) => ({ host: h.toLowerCase().replace(/\.$/, ''), preference: 0, ipLiteral: false }));
    const match = checkPolicyMxMatch({ domain: '', plan: { kind: 'hosts', hosts }, policy: policySummary(syntax.evidence, valid) });
    findings.push(...match.findings);
  }
  return { status: valid ? statusFromFindings(findings) : 'fail', findings };
}
