// Row 5: helper start to its `hello` answer, and the popup's gzipped JavaScript + CSS.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FrameDecoder, encodeFrame } from '../../native-host/messaging/framing.ts';
import { fmtSummary, summarize } from '../stats.ts';
import { sleep, type Context, type Row } from './common.ts';

/** Spawn the helper, send hello, resolve with ms from spawn to the decoded answer. */
function helloOnce(bundle: string): Promise<number> {
  return new Promise((resolveP, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bundle], { stdio: ['pipe', 'pipe', 'ignore'] });
    const decoder = new FrameDecoder();
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('no hello answer within 10 s'))), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      for (const d of decoder.push(chunk)) {
        if (d.ok && (d.value as { type?: string }).type === 'hello') {
          const ms = performance.now() - t0;
          clearTimeout(timer);
          child.stdin.end();
          child.once('close', () => resolveP(ms));
        }
      }
    });
    child.on('error', (e) => (clearTimeout(timer), reject(e)));
    const frame = encodeFrame({ type: 'hello' });
    if (!frame.ok) return reject(new Error(frame.message));
    child.stdin.write(frame.frame);
  });
}

export async function helperRow(ctx: Context, runs: number): Promise<Row> {
  const ms: number[] = [];
  await helloOnce(ctx.helperBundle); // warm the file cache: the browser's helper is not a cold disk read either
  for (let i = 0; i < runs; i++) {
    ms.push(await helloOnce(ctx.helperBundle));
    await sleep(20);
  }
  return { group: 5, label: 'helper: spawn to `hello` answer', value: fmtSummary(summarize(ms)), goal: '< 150 ms' };
}

/** The popup page's own scripts and styles, and every chunk they import, gzipped (level 9, as a store would). */
export function popupSize(extDir: string): { bytes: number; files: string[] } {
  const html = readFileSync(join(extDir, 'popup.html'), 'utf8');
  const seen = new Set<string>();
  const queue = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => resolve(extDir, `.${(m[1] ?? '').replace(/^\.?/, '')}`));
  while (queue.length > 0) {
    const file = queue.shift() ?? '';
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    if (file.endsWith('.js')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:import|from)\s*\(?\s*["']([^"']+\.js)["']/g)) queue.push(resolve(dirname(file), m[1] ?? ''));
    }
  }
  let bytes = 0;
  for (const f of seen) bytes += gzipSync(readFileSync(f), { level: 9 }).length;
  return { bytes, files: [...seen].map((f) => f.slice(extDir.length + 1)) };
}

export function popupSizeRow(extDir: string): Row {
  if (!existsSync(join(extDir, 'popup.html'))) return { group: 5, label: 'popup JS + CSS, gzipped', value: 'n/a', notes: [`WARNING: ${extDir}/popup.html missing (wxt build failed?)`] };
  const { bytes, files } = popupSize(extDir);
  const listed = readdirSync(extDir).length;
  return {
    group: 5,
    label: 'popup JS + CSS, gzipped (chrome-mv3)',
    value: `${(bytes / 1024).toFixed(1)} KB`,
    goal: '< 60 KB',
    notes: [`Popup files counted (${files.length} of ${listed} entries in the output folder): ${files.join(', ')}`],
  };
}
