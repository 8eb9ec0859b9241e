// The helper's loop: frames in on stdin, frames out on stdout (and nothing else there),
// one line per event on stderr. Returns the exit code.
import type { HelperResponse } from '../../core/protocol/helper.ts';
import { FrameDecoder, type Decoded } from '../messaging/framing.ts';
import { createDispatcher, type DispatcherOptions } from './dispatch.ts';
import { errorReply } from './errors.ts';
import { encodeReply } from './reply.ts';

export interface HelperIo {
  stdin: AsyncIterable<Uint8Array | string>;
  stdout: { write(chunk: Uint8Array): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
}

export type HelperRunOptions = Pick<DispatcherOptions, 'workers' | 'maxInFlight' | 'graceMs' | 'version'> & {
  /** How long in-flight work gets to wind down after stdin ends. */
  drainMs?: number;
};

export async function runHelper(io: HelperIo, options: HelperRunOptions = {}): Promise<number> {
  const log = (line: string) => void io.stderr.write(`[mta-sts-inspector helper] ${line}\n`);
  const send = (reply: HelperResponse) => void io.stdout.write(encodeReply(reply, log));
  const dispatcher = createDispatcher({ ...options, send, log, env: io.env });
  const decoder = new FrameDecoder();

  const onDecoded = (d: Decoded) => {
    if (d.ok) return dispatcher.handle(d.value);
    log(d.message);
    if (d.error === 'bad-json') send(errorReply('bad-json', d.message));
    else if (d.error === 'too-large' || d.error === 'stream-corrupt') send(errorReply('too-large', d.message));
  };

  let exitCode = 0;
  try {
    for await (const chunk of io.stdin) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      decoder.push(bytes).forEach(onDecoded);
      if (decoder.closed) {
        log('stopping: the input stream cannot be trusted after a corrupt frame length');
        exitCode = 1;
        break;
      }
    }
  } catch (e) {
    log(`reading stdin failed: ${e instanceof Error ? e.message : String(e)}`);
    exitCode = 1;
  }
  decoder.end().forEach(onDecoded);
  // stdin closed: the browser disconnected (or the pipe ended). Abort what runs; let it answer briefly.
  if (dispatcher.inFlight > 0) {
    dispatcher.abortAll();
    await Promise.race([dispatcher.idle(), new Promise((r) => setTimeout(r, options.drainMs ?? 2_000).unref?.())]);
  }
  return exitCode;
}
