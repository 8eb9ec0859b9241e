// The helper as the browser runs it: a child process speaking frames on stdin/stdout.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../../core/protocol/helper.ts';
import { FrameDecoder, encodeFrame, lengthHeader, type Decoded } from '../../../native-host/messaging/framing.ts';
import { buildBundles } from './build-once.ts';

const SILENT_MX = '127.0.20.10'; // accepts on port 25 and never says anything
const CLOSED_MX = '127.0.20.11'; // nothing listens: connection refused at once

let bundles: ReturnType<typeof buildBundles>;
let silent: Server;
const sockets = new Set<Socket>();

beforeAll(async () => {
  bundles = buildBundles();
  silent = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    silent.once('error', reject);
    silent.listen(25, SILENT_MX, () => resolve());
  });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent.close(r));
  rmSync(bundles.dir, { recursive: true, force: true });
});

class Session {
  readonly child: ChildProcessWithoutNullStreams;
  readonly frames: Decoded[] = [];
  readonly raw: Uint8Array[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [bundles.helper], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const decoder = new FrameDecoder();
    this.child.stdout.on('data', (c: Uint8Array) => {
      this.raw.push(c);
      this.frames.push(...decoder.push(c));
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => void (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  send(message: unknown): void {
    const f = encodeFrame(message);
    if (!f.ok) throw new Error(f.message);
    this.child.stdin.write(f.frame);
  }

  write(bytes: Uint8Array): void {
    this.child.stdin.write(bytes);
  }

  values(): unknown[] {
    return this.frames.map((f) => (f.ok ? f.value : f));
  }

  async waitFor(count: number): Promise<unknown[]> {
    const deadline = Date.now() + 20_000;
    while (this.frames.length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.frames.length} of ${count} frames; stderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.values();
  }

  async close(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }
}

const hello = { type: 'hello', version: expect.any(String), protocol: 1 };

describe('helper process', () => {
  it('answers hello, and exits with status 0 when stdin ends', async () => {
    const s = new Session();
    s.send({ type: 'hello' });
    expect(await s.waitFor(1)).toEqual([hello]);
    expect(await s.close()).toBe(0);
  });

  it.each<[string, Uint8Array, string]>([
    ['bad JSON', concatBytes(lengthHeader(5), new TextEncoder().encode('{nope')), 'bad-json'],
    ['JSON of the wrong shape', frame({ type: 'probe-mx', id: 'w1' }), 'bad-request'],
    ['an unknown type', frame({ type: 'reboot', id: 'u1' }), 'unknown-type'],
    ['a frame over 1 MiB', concatBytes(lengthHeader(MAX_MESSAGE_BYTES + 1), new Uint8Array(MAX_MESSAGE_BYTES + 1).fill(0x20)), 'too-large'],
  ])('answers %s with its code and keeps running', async (_name, bytes, code) => {
    const s = new Session();
    s.write(bytes);
    s.send({ type: 'hello' });
    expect(await s.waitFor(2)).toEqual([expect.objectContaining({ type: 'error', code }), hello]);
    expect(await s.close()).toBe(0);
  });

  it('answers too-large to a length no browser sends, then stops reading and exits with status 1', async () => {
    const s = new Session();
    s.write(lengthHeader(2 ** 32 - 1));
    expect(await s.exited).toBe(1);
    expect(s.values()).toEqual([expect.objectContaining({ type: 'error', code: 'too-large' })]);
  });

  it('answers concurrent requests as each finishes: a stalled probe does not hold back the others', async () => {
    const s = new Session({ MTA_STS_INSPECTOR_ALLOW_PRIVATE: '1' });
    s.send({ type: 'probe-mx', id: 'stalled', host: 'mx1.example.test', addresses: [SILENT_MX], timeoutMs: 1500 });
    s.send({ type: 'probe-mx', id: 'refused', host: 'mx2.example.test', addresses: [CLOSED_MX], timeoutMs: 1500 });
    s.send({ type: 'hello' });
    const answers = await s.waitFor(3);
    expect(answers.map((a) => (a as { id?: string; type: string }).id ?? (a as { type: string }).type)).toEqual(['hello', 'refused', 'stalled']);
    expect(answers[1]).toEqual(
      expect.objectContaining({ type: 'probe-mx-result', result: expect.objectContaining({ addresses: [expect.objectContaining({ address: CLOSED_MX, outcome: 'refused' })] }) }),
    );
    expect(await s.close()).toBe(0);
  });

  it('refuses a loopback address per address without permission', async () => {
    const s = new Session({ MTA_STS_INSPECTOR_ALLOW_PRIVATE: '' });
    s.send({ type: 'probe-mx', id: 'p', host: 'mx.example.test', addresses: [CLOSED_MX] });
    const [answer] = await s.waitFor(1);
    expect(answer).toEqual(expect.objectContaining({ type: 'probe-mx-result', result: expect.objectContaining({ addresses: [expect.objectContaining({ outcome: 'refused-private' })] }) }));
    await s.close();
  });

  it('writes nothing but whole frames to stdout, even after errors', async () => {
    const s = new Session();
    s.write(frame('just a string'));
    s.write(concatBytes(lengthHeader(3), new TextEncoder().encode('{{{')));
    s.send({ type: 'probe-mx', id: 'x', host: 'mx.example.test', addresses: ['not-an-ip'] });
    s.send({ type: 'hello' });
    await s.waitFor(4);
    expect(await s.close()).toBe(0);
    const replay = new FrameDecoder();
    const all = s.raw.flatMap((c) => replay.push(c));
    expect({ frames: all.every((f) => f.ok), count: all.length, leftover: replay.end() }).toEqual({ frames: true, count: 4, leftover: [] });
    expect(s.stderr).toContain('not JSON');
  });
});

function frame(v: unknown): Uint8Array {
  const f = encodeFrame(v);
  if (!f.ok) throw new Error(f.message);
  return f.frame;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
