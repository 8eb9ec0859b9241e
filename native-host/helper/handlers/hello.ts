import { PROTOCOL_VERSION, type HelperResponse } from '../../../core/protocol/helper.ts';
import { HELPER_VERSION } from '../version.ts';

/** `{type:"hello"}` → the helper's version and protocol, so the extension knows it is installed and compatible. */
export function handleHello(version: string = HELPER_VERSION): HelperResponse {
  return { type: 'hello', version, protocol: PROTOCOL_VERSION };
}
