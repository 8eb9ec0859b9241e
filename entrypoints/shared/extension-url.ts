// runtime.getURL is typed by WXT's generated .wxt/types (`wxt prepare`), which this repository's
// tsconfig does not include; this narrow view keeps type checking independent of that step.
import { browser } from 'wxt/browser';

export function extensionUrl(path: string): string {
  return (browser.runtime as unknown as { getURL(path: string): string }).getURL(path);
}
