// Starts a host the way a browser does and asks it `hello` over the framing: the only proof
// that an installed manifest really leads to a working helper.
import { spawn } from 'node:child_process';
import { HelloResponseSchema } from '../../core/protocol/helper.ts';
import { FrameDecoder, encodeFrame } from '../messaging/framing.ts';

export type PingResult = { ok: true; version: string; protocol: number } | { ok: false; message: string };

export function pingHelper(command: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<PingResult> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve) => {
    let settled = false;
    let stderr = '';
    const child = spawn(command, [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      // why: a .cmd launcher can only be started through cmd.exe; the path is ours, not the request's.
      shell: process.platform === 'win32',
      windowsHide: true,
    });
    const finish = (r: PingResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin.end();
      child.kill();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, message: `no answer to hello within ${timeoutMs} ms${tail(stderr)}` }), timeoutMs);
    const decoder = new FrameDecoder();
    child.stdout.on('data', (chunk: Uint8Array) => {
      for (const d of decoder.push(chunk)) {
        if (!d.ok) return finish({ ok: false, message: `the helper wrote something that is not a frame: ${d.message}` });
        const hello = HelloResponseSchema.safeParse(d.value);
        return finish(hello.success ? { ok: true, version: hello.data.version, protocol: hello.data.protocol } : { ok: false, message: `unexpected answer to hello: ${JSON.stringify(d.value).slice(0, 200)}` });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr = (stderr + d).slice(-2000)));
    child.on('error', (e) => finish({ ok: false, message: `could not start ${command}: ${e.message}` }));
    child.on('exit', (code, signal) => finish({ ok: false, message: `the helper exited (${signal ?? `code ${code}`}) without answering${tail(stderr)}` }));
    child.stdin.on('error', () => undefined); // the child may die before reading: its exit says why.
    const frame = encodeFrame({ type: 'hello' });
    if (frame.ok) child.stdin.write(frame.frame);
  });
}

function tail(stderr: string): string {
  const t = stderr.trim();
  return t ? `; it said: ${t.slice(-300)}` : '';
}
