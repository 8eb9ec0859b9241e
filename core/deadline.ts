// A time limit tied to a caller's AbortSignal: one signal that aborts when either fires, and a way
// to tell afterwards whether it was our limit (a timeout) or the caller (a cancel). Platform-free.

export interface Deadline {
  readonly signal: AbortSignal;
  /** Our own time limit fired (not the caller's signal). */
  timedOut(): boolean;
  /** Clear the timer and unhook from the caller's signal. Call in `finally`. */
  dispose(): void;
}

export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  parent?.addEventListener('abort', onAbort, { once: true });
  if (parent?.aborted) controller.abort();
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}
