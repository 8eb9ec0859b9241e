// The CLI: `runCli(argv, io)` returns the exit status, so tests run it in-process.
// Bundled to .output/native-host/cli.mjs; native-host/bin/mta-sts-inspector.mjs calls runCli.
import { pathToFileURL } from 'node:url';
import type { HostEnv } from '../install/host-env.ts';
import { checkCommand } from './commands/check.ts';
import { hostCommand } from './commands/host.ts';
import { lintCommand } from './commands/lint.ts';
import { reportCommand } from './commands/report.ts';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io.ts';
import type { CliPortDeps } from './ports.ts';
import { USAGE } from './usage.ts';

export type { CliIo } from './io.ts';

export interface CliDeps extends CliPortDeps {
  hostEnv?: HostEnv;
}

export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await checkCommand(rest, io, deps);
      case 'lint':
        return await lintCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case 'host':
        return await hostCommand(rest, io, deps.hostEnv);
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(USAGE.main);
        return EXIT_OK;
      case '--version':
      case '-v': {
        const { HELPER_VERSION } = await import('../helper/version.ts');
        io.stdout.write(`${HELPER_VERSION}\n`);
        return EXIT_OK;
      }
      default:
        throw new UsageError(command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`mta-sts-inspector${e.command ? ` ${e.command}` : ''}: ${e.message}\nRun "mta-sts-inspector ${e.command ? `${e.command} ` : ''}--help" for usage.\n`);
    return EXIT_USAGE;
  }
}

// Run directly (node .output/native-host/cli.mjs ...), not when imported by the bin or tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, isTTY: process.stdout.isTTY === true, env: process.env }).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (e: unknown) => {
      process.stderr.write(`mta-sts-inspector: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(70);
    },
  );
}
