// Entry point of the native-messaging host (bundled to .output/native-host/helper.mjs).
// stdout carries frames only: console output of any module is redirected to stderr.
import { Console } from 'node:console';
import { runHelper } from './run.ts';

function main(): void {
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  process.on('uncaughtException', (e) => {
    process.stderr.write(`[mta-sts-inspector helper] fatal: ${e.stack ?? e.message}\n`);
    process.exit(70);
  });
  process.stdout.on('error', () => process.exit(0)); // the browser closed our stdout: nobody listens.
  runHelper({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      // Let queued stdout writes flush, then exit even if a worker left a socket open.
      process.stdout.write('', () => process.exit(code));
    },
    (e: unknown) => {
      process.stderr.write(`[mta-sts-inspector helper] fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(70);
    },
  );
}

main();
