// Every reply is checked against HelperResponseSchema and the 1 MiB cap before it is written:
// a reply that fails either is replaced by an error reply, so the browser never gets a bad frame.
import { HelperResponseSchema, type HelperResponse } from '../../core/protocol/helper.ts';
import { encodeFrame } from '../messaging/framing.ts';
import { errorReply } from './errors.ts';

export function encodeReply(reply: HelperResponse, log: (line: string) => void): Uint8Array {
  const id = reply.type === 'hello' ? undefined : reply.id;
  const checked = HelperResponseSchema.safeParse(reply);
  if (!checked.success) {
    const why = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    log(`reply of type ${reply.type} failed validation: ${why}`);
    return mustEncode(errorReply('internal', `the helper built an invalid ${reply.type} reply: ${why}`, id));
  }
  const encoded = encodeFrame(checked.data);
  if (encoded.ok) return encoded.frame;
  log(`reply of type ${reply.type} not sent: ${encoded.message}`);
  const code = encoded.error === 'too-large' ? 'too-large' : 'internal';
  return mustEncode(errorReply(code, `the ${reply.type} reply could not be sent: ${encoded.message}`, id));
}

function mustEncode(reply: HelperResponse): Uint8Array {
  const e = encodeFrame(reply);
  // why: an error reply is a few hundred bytes of plain strings; failing here is a programming error.
  if (!e.ok) throw new Error(`cannot encode an error reply: ${e.message}`);
  return e.frame;
}
