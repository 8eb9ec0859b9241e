// A native-messaging port whose "helper" is a function of each message it receives; it can die
// on demand like a helper process that crashed or was killed (the browser's onDisconnect).
import type { NativePortLike } from '../../../entrypoints/background/helper-client.ts';

export type FakeHelper = (message: Record<string, unknown>, port: FakeNativePort) => void;

export class FakeNativePort implements NativePortLike {
  sent: unknown[] = [];
  dead = false;
  error: { message?: string } | null = null;
  private messageListeners: ((m: unknown) => void)[] = [];
  private disconnectListeners: ((p: NativePortLike) => void)[] = [];
  constructor(private readonly helper: FakeHelper) {}
  postMessage(message: unknown) {
    // Chromium: writing to a port whose host has exited throws.
    if (this.dead) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(message);
    queueMicrotask(() => this.helper(message as Record<string, unknown>, this));
  }
  disconnect() {}
  onMessage = { addListener: (cb: (m: unknown) => void) => void this.messageListeners.push(cb) };
  onDisconnect = { addListener: (cb: (p: NativePortLike) => void) => void this.disconnectListeners.push(cb) };
  reply(m: unknown) {
    if (this.dead) return;
    for (const l of this.messageListeners) l(m);
  }
  die(message: string) {
    if (this.dead) return;
    this.dead = true;
    this.error = { message };
    for (const l of this.disconnectListeners) l(this);
  }
}
