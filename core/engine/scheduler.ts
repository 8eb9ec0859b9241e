// How the engine starts its I/O: at once (the default), or strictly one after another for the
// benchmark (`sequential: true`). Every port call is also bounded in time and made abortable here,
// so a port that hangs or throws cannot hold the report back.

export class AbortedError extends Error {
  constructor() {
    super('The check was aborted.');
    this.name = 'AbortError';
  }
}

export class DeadlineError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * `p`, unless the signal fires first (AbortedError) or `ms` passes (DeadlineError; omit `ms` for
 * no deadline). The timer and the listener are always released, so nothing keeps a CLI alive.
 */
export function bounded<T>(p: Promise<T>, signal: AbortSignal | undefined, ms?: number): Promise<T> {
  if (signal?.aborted) return Promise.reject(new AbortedError());
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (ms !== undefined) {
      timer = setTimeout(() => {
        done();
        reject(new DeadlineError(ms));
      }, ms);
    }
    p.then(
      (v) => {
        done();
        resolve(v);
      },
      (e: unknown) => {
        done();
        reject(e);
      },
    );
  });
}

export type Gate = <T>(task: () => Promise<T>) => Promise<T>;

/** Parallel: run the task now. Sequential: queue it after every task started before it. */
export function createGate(sequential: boolean): Gate {
  if (!sequential) return (task) => task();
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
