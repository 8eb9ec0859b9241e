// A process-wide cap on open connections, so one request with many MX hosts (or many requests
// at once over the native-messaging port) cannot open hundreds of sockets.

export const DEFAULT_MAX_CONNECTIONS = 32;

export type Release = () => void;

export class Semaphore {
  private active = 0;
  private readonly waiting: Array<{ grant: () => void }> = [];

  constructor(private max: number) {
    this.max = Semaphore.clamp(max);
  }

  private static clamp(n: number): number {
    return Number.isFinite(n) ? Math.max(1, Math.min(1024, Math.floor(n))) : DEFAULT_MAX_CONNECTIONS;
  }

  get limit(): number {
    return this.max;
  }

  get inUse(): number {
    return this.active;
  }

  setLimit(n: number): void {
    this.max = Semaphore.clamp(n);
    this.drain();
  }

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(new Error('aborted'));
    return new Promise<Release>((resolve, reject) => {
      let released = false;
      const release: Release = () => {
        if (released) return;
        released = true;
        this.active--;
        this.drain();
      };
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(entry);
        if (i !== -1) this.waiting.splice(i, 1);
        reject(new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      this.drain();
    });
  }

  private drain(): void {
    while (this.active < this.max && this.waiting.length > 0) this.waiting.shift()?.grant();
  }
}

/** Shared by every probe and policy fetch in this process (the CLI's --concurrency sets it). */
export const connectionSemaphore = new Semaphore(DEFAULT_MAX_CONNECTIONS);
