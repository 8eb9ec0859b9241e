// What the CLI touches of the outside world, handed in so tests run it in-process.
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: AsyncIterable<Uint8Array | string>;
  /** stdout is a terminal: colours (unless NO_COLOR) and live progress. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

/** Bad usage or unreadable input: exit status 2 with this message on stderr. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURES = 1;
export const EXIT_USAGE = 2;
