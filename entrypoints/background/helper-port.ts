// The one HelperClient of the extension, over runtime.connectNative (connected lazily, on the
// first request, and again after the helper exits).
import { browser } from 'wxt/browser';
import { HELPER_HOST_NAME } from '../../core/protocol/helper.ts';
import { HelperClient, type NativePortLike } from './helper-client.ts';

export function setupHelperPort(): HelperClient {
  return new HelperClient({
    connect: () => browser.runtime.connectNative(HELPER_HOST_NAME) as unknown as NativePortLike,
    lastError: () => browser.runtime.lastError?.message,
  });
}
