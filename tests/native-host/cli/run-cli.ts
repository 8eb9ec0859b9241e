// Runs the CLI in-process with captured output.
import { runCli, type CliDeps } from '../../../native-host/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], options: { stdin?: string | Uint8Array; isTTY?: boolean; env?: Record<string, string>; deps?: CliDeps } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdin = (async function* () {
    if (options.stdin !== undefined) yield typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : options.stdin;
  })();
  const code = await runCli(
    argv,
    {
      stdout: { write: (t: string) => void (stdout += t) },
      stderr: { write: (t: string) => void (stderr += t) },
      stdin,
      isTTY: options.isTTY ?? false,
      env: options.env ?? {},
    },
    options.deps,
  );
  return { code, stdout, stderr };
}
