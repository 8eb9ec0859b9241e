// The slice of browser.storage.local the extension uses, so stores can be tested with any area
// (WXT's fake browser, or a Map in a unit test).
export interface StorageArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}
