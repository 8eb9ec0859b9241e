// The viewer's bounds: how many files and how many bytes it reads, and that it reads one at a time.
import { describe, expect, it, vi } from 'vitest';
import { addReportFiles, MAX_FILES, MAX_TOTAL_BYTES, readReportFile, type FileLike, type ParseFn } from '../../components/tlsrpt-files.ts';

const fake = (name: string, size = 10): FileLike & { reads: number } => {
  const f = { name, size, reads: 0, arrayBuffer: async () => (f.reads++, new ArrayBuffer(0)) };
  return f;
};
const refuse: ParseFn = async () => ({ ok: false, message: 'not a report' });

describe('TLSRPT viewer file bounds', () => {
  it(`reads at most ${MAX_FILES} files and names the first one past the bound`, async () => {
    const files = Array.from({ length: MAX_FILES + 5 }, (_, i) => fake(`f${i}.json`));
    const out = await addReportFiles([], files, refuse);
    expect(out).toHaveLength(MAX_FILES + 1);
    expect(out.at(-1)).toMatchObject({ name: `f${MAX_FILES}.json`, ok: false, message: expect.stringContaining(`at most ${MAX_FILES} files`) });
    expect(files.slice(MAX_FILES).every((f) => f.reads === 0)).toBe(true);
  });

  it('stops reading at the total byte bound, across several additions', async () => {
    const big = MAX_TOTAL_BYTES / 4;
    const first = await addReportFiles([], [fake('a', big), fake('b', big), fake('c', big)], refuse);
    const unread = fake('e', big);
    const out = await addReportFiles(first, [fake('d', big), unread], refuse);
    expect(out.map((f) => f.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(out.at(-1)).toMatchObject({ ok: false, message: expect.stringMatching(/MiB of files/) });
    expect(unread.reads).toBe(0);
  });

  it('reads one file at a time', async () => {
    let active = 0;
    let most = 0;
    const parse: ParseFn = vi.fn(async () => {
      most = Math.max(most, ++active);
      await new Promise((r) => setTimeout(r, 1));
      active--;
      return { ok: false as const, message: 'x' };
    });
    await addReportFiles([], [fake('a'), fake('b'), fake('c')], parse);
    expect(parse).toHaveBeenCalledTimes(3);
    expect(most).toBe(1);
  });

  it('never throws when reading fails', async () => {
    const broken: FileLike = { name: 'x.json', size: 3, arrayBuffer: async () => Promise.reject(new Error('disk gone')) };
    expect(await readReportFile(broken)).toMatchObject({ ok: false, message: expect.stringContaining('disk gone') });
  });
});
