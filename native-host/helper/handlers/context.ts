// What every worker-backed handler is given by the dispatcher.
export interface HandlerContext {
  /** Aborted at the request's deadline or when the browser goes away. */
  signal: AbortSignal;
  /** The request asked for it (extension setting) or MTA_STS_INSPECTOR_ALLOW_PRIVATE=1. */
  allowPrivate: boolean;
  /** The request's own time limit, already defaulted. */
  timeoutMs: number;
}
