// Dropped or chosen TLSRPT report files, read in this page and parsed with core/tlsrpt-report
// (RFC 8460 §4, §5): bounded in count and size before a byte is read; never throws.
import { MAX_INPUT_BYTES } from '../core/tlsrpt-report/decode.ts';
import { parseTlsrptReport, type ParseReportResult } from '../core/tlsrpt-report/parse.ts';
import type { TlsrptReport } from '../core/tlsrpt-report/schema.ts';

/** Files kept in one view (a month of daily reports from a few dozen senders fits). */
export const MAX_FILES = 200;

/** What the page needs of a File. */
export interface FileLike {
  name: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type LoadedFile = { key: number; name: string; size: number } & (
  | { ok: true; report: TlsrptReport; deviations: string[]; filenameNotes: string[]; gzipped: boolean }
  | { ok: false; message: string }
);

export type ParseFn = (bytes: Uint8Array, filename?: string) => Promise<ParseReportResult>;

let nextKey = 1;

export async function readReportFile(file: FileLike, parse: ParseFn = parseTlsrptReport): Promise<LoadedFile> {
  const base = { key: nextKey++, name: String(file.name).slice(0, 300), size: file.size };
  if (file.size > MAX_INPUT_BYTES) {
    return { ...base, ok: false, message: `The file is ${file.size} bytes, more than the ${MAX_INPUT_BYTES} accepted; TLSRPT reports are far smaller (RFC 8460 §5.2).` };
  }
  try {
    const r = await parse(new Uint8Array(await file.arrayBuffer()), base.name);
    if (!r.ok) return { ...base, ok: false, message: r.message };
    return { ...base, ok: true, report: r.report, deviations: r.deviations, filenameNotes: r.filename?.notes ?? [], gzipped: r.gzipped };
  } catch (e) {
    return { ...base, ok: false, message: `The file could not be read: ${e instanceof Error ? e.message : String(e)}.` };
  }
}

/** Bytes of report files held in one view. */
export const MAX_TOTAL_BYTES = 100 * 1024 * 1024;

/**
 * Reads `files` after those already loaded, one at a time (memory stays one file deep), keeping at
 * most MAX_FILES and MAX_TOTAL_BYTES; a file past either bound is listed as not read.
 */
export async function addReportFiles(loaded: readonly LoadedFile[], files: readonly FileLike[], parse?: ParseFn): Promise<LoadedFile[]> {
  const out = [...loaded];
  let total = loaded.reduce((n, f) => n + f.size, 0);
  for (const file of files) {
    if (out.length >= MAX_FILES || total + file.size > MAX_TOTAL_BYTES) {
      const why = out.length >= MAX_FILES ? `the viewer holds at most ${MAX_FILES} files` : `the viewer holds at most ${MAX_TOTAL_BYTES / 1024 / 1024} MiB of files`;
      out.push({ key: nextKey++, name: String(file.name).slice(0, 300), size: 0, ok: false, message: `Not read: ${why} at once. Clear it first.` });
      if (out.length >= MAX_FILES + 1) break;
      continue;
    }
    const r = await readReportFile(file, parse);
    total += r.size;
    out.push(r);
  }
  return out;
}
