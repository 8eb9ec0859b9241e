// --help text per command.
export const USAGE: Record<'main' | 'check' | 'lint' | 'report' | 'host', string> = {
  main: `mta-sts-inspector: check a domain's MTA-STS (RFC 8461) and TLS reporting (RFC 8460) set-up.

Usage:
  mta-sts-inspector check <domain...> [options]      run every check against live DNS, HTTPS and SMTP
  mta-sts-inspector lint policy <file|-> [--mx host ...] [--json]
  mta-sts-inspector lint sts-record "<txt>" [--json]
  mta-sts-inspector lint tlsrpt-record "<txt>" [--json]
  mta-sts-inspector report <file|-...> [--json]       sum TLSRPT aggregate reports (.json or .json.gz)
  mta-sts-inspector host install|uninstall|status [--browser NAME] [--manifest-dir DIR]

Run "mta-sts-inspector <command> --help" for a command's options.
Exit status: 0 no failures, 1 at least one failure, 2 bad usage or unreadable input.
`,
  check: `Usage: mta-sts-inspector check <domain...> [options]

Checks each domain (a domain, an e-mail address or a URL) and prints what is wrong and how to fix it.

Options:
  --json                 print the report as JSON; for several domains an array, streamed in
                         the order given as the reports finish
  --resolver R           cloudflare (default), google, quad9, system (plain DNS to the system's
                         nameservers, DO bit set), or an RFC 8484 https:// URL (asked over one
                         HTTP/2 connection; the domains of one run share its answers)
  --no-probe             do not probe the MX hosts on port 25 (the starttls check is skipped)
  --timeout-ms N         time limit of the probe of each MX address and of the policy fetch
                         (100-120000; default 60000)
  --concurrency N        domains checked at once (1-64, default 8); also bounds the SMTP and
                         HTTPS connections open at once across all domains to max(32, 4*N)
  --allow-private        allow probing loopback, private and link-local addresses (test networks)
  -h, --help             this text

Extra trusted CAs come from NODE_EXTRA_CA_CERTS. Colours only on a terminal, and not with NO_COLOR.
`,
  lint: `Usage:
  mta-sts-inspector lint policy <file|-> [--mx host ...] [--json]
  mta-sts-inspector lint sts-record "<txt>" [--json]
  mta-sts-inspector lint tlsrpt-record "<txt>" [--json]

Checks a draft policy file (- reads standard input) or TXT record before you publish it.
With --mx, also says which policy "mx" pattern allows each given MX host (RFC 8461 §4.1).
--json prints { "status": "pass"|"warn"|"fail", "findings": [...] }. An invalid record is a failure.
`,
  report: `Usage: mta-sts-inspector report <file|-...> [--json]

Reads TLSRPT aggregate reports (RFC 8460 §4) that senders mailed to your rua address, plain
JSON or gzip (.json.gz), each at most 10 MiB (- reads standard input), and sums them: per policy
domain and UTC day the successful and failed sessions per policy type, each failure type with
what it means and which check to run, the receiving MX hosts and sending IPs, and the deviations
from RFC 8460 that were tolerated. Duplicate reports (same organisation and report-id) count once.

Options:
  --json       print { "reports": [{ "file", "ok", "deviations", "message"? ... }], "summary" }
  -h, --help   this text

Exit status: 0 every file read and no failed sessions, 1 the reports show failed sessions,
2 a file could not be read or is not a TLSRPT report (named on standard error).
`,
  host: `Usage: mta-sts-inspector host install|uninstall|status [--browser NAME] [--manifest-dir DIR]

Registers the native-messaging helper (host dev.mta_sts_inspector.helper) with your browsers,
so the extension can probe MX hosts over STARTTLS and fetch policies with TLS details.

  install      write the host manifest and a launcher that runs the helper with this Node
  uninstall    remove what install wrote
  status       per browser: is the manifest there, does its launcher exist, does the helper answer

Options:
  --browser NAME       chrome, chromium, edge, brave, vivaldi, firefox or all (default: all;
                       browsers that are not installed are skipped)
  --manifest-dir DIR   write the manifest (and the launcher) exactly in DIR, e.g. the
                       NativeMessagingHosts folder of a Chromium --user-data-dir profile
                       (default browser there: chromium)
`,
};
