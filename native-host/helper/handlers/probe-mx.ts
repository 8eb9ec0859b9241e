import type { HelperResponse, ProbeMxRequest } from '../../../core/protocol/helper.ts';
import { probeMx } from '../../probe/probe-mx.ts';
import type { HandlerContext } from './context.ts';

export type ProbeMxWorker = typeof probeMx;

/** `probe-mx` → STARTTLS probe of every address of one MX host on port 25 (never any other port). */
export async function handleProbeMx(req: ProbeMxRequest, ctx: HandlerContext, worker: ProbeMxWorker = probeMx): Promise<HelperResponse> {
  const result = await worker({
    host: req.host,
    addresses: req.addresses,
    port: 25,
    timeoutMs: ctx.timeoutMs,
    allowPrivate: ctx.allowPrivate,
    signal: ctx.signal,
  });
  return { type: 'probe-mx-result', id: req.id, result };
}
