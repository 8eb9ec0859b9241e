import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FindingSchema } from '../../../core/report/schema.ts';
import { cli } from './run-cli.ts';

const LintJsonSchema = z.object({ status: z.enum(['pass', 'warn', 'fail']), findings: z.array(FindingSchema) }).strict();
const dir = mkdtempSync(join(tmpdir(), 'mta-sts-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function policyFile(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const GOOD = 'version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.backup.example.com\r\nmax_age: 604800\r\n';

async function lintJson(argv: string[], stdin?: string) {
  const r = await cli(['lint', ...argv, '--json'], stdin === undefined ? {} : { stdin });
  const parsed = LintJsonSchema.parse(JSON.parse(r.stdout));
  return { code: r.code, status: parsed.status, ids: parsed.findings.map((f) => f.id) };
}

describe('lint sts-record', () => {
  it.each<[string, string, 'pass' | 'fail', number]>([
    ['RFC 8461 §3.1: a well-formed record passes', 'v=STSv1; id=20240101T000000;', 'pass', 0],
    ['RFC 8461 §3.1: an id with an underscore fails', 'v=STSv1; id=2024_01;', 'fail', 1],
    ['RFC 8461 §3.1: a record without id fails', 'v=STSv1;', 'fail', 1],
    ['RFC 8461 §3.1: an id over 32 characters fails', `v=STSv1; id=${'a'.repeat(33)};`, 'fail', 1],
  ])('%s', async (_name, txt, status, code) => {
    const r = await lintJson(['sts-record', txt]);
    expect({ status: r.status, code: r.code }).toEqual({ status, code });
  });
});

describe('lint tlsrpt-record', () => {
  it.each<[string, string, 'pass' | 'fail', number]>([
    ['RFC 8460 §3: mailto rua passes', 'v=TLSRPTv1; rua=mailto:tlsrpt@example.com', 'pass', 0],
    ['RFC 8460 §3: https rua passes', 'v=TLSRPTv1; rua=https://reports.example.com/tlsrpt', 'pass', 0],
    ['RFC 8460 §3: a record without rua is invalid, so it fails here (no capping)', 'v=TLSRPTv1;', 'fail', 1],
    ['RFC 8460 §3: the wrong version fails', 'v=TLSRPTv2; rua=mailto:a@example.com', 'fail', 1],
  ])('%s', async (_name, txt, status, code) => {
    const r = await lintJson(['tlsrpt-record', txt]);
    expect({ status: r.status, code: r.code }).toEqual({ status, code });
  });
});

describe('lint policy', () => {
  it.each<[string, string, string[], 'pass' | 'warn' | 'fail', number]>([
    ['RFC 8461 §3.2: a well-formed policy passes', GOOD, [], 'pass', 0],
    ['RFC 8461 §3.2: rejects max_age above 31557600', GOOD.replace('604800', '31557601'), [], 'fail', 1],
    ['RFC 8461 §3.2: a policy without mode fails', GOOD.replace('mode: enforce\r\n', ''), [], 'fail', 1],
    ['RFC 8461 §4.1: --mx host matched by a pattern passes', GOOD, ['--mx', 'mx1.example.com', '--mx', 'a.backup.example.com'], 'pass', 0],
    ['RFC 8461 §4.1: --mx takes several hosts after it', GOOD, ['--mx', 'mx1.example.com', 'mx2.example.com'], 'fail', 1],
    ['RFC 8461 §4.1: --mx host not matched fails under enforce', GOOD, ['--mx', 'mx2.example.com'], 'fail', 1],
    ['RFC 8461 §4.1: the wildcard covers one label only', GOOD, ['--mx', 'a.b.backup.example.com'], 'fail', 1],
    ['RFC 8461 §4.1: a mismatch under testing is a warning', GOOD.replace('enforce', 'testing'), ['--mx', 'mx2.example.com'], 'warn', 0],
  ])('%s', async (name, text, extra, status, code) => {
    const file = policyFile(`${name.length}-${status}-${code}-${extra.length}.txt`, text);
    const r = await lintJson(['policy', file, ...extra]);
    expect({ status: r.status, code: r.code }).toEqual({ status, code });
    if (extra.length > 0 && status !== 'pass') expect(r.ids).toContain('policy-mx-match.host-not-allowed');
  });

  it('reads the policy from standard input with -', async () => {
    const r = await lintJson(['policy', '-'], GOOD.replace('604800', '99999999999'));
    expect({ status: r.status, code: r.code }).toEqual({ status: 'fail', code: 1 });
  });

  it('prints findings with their fix and RFC section for people', async () => {
    const r = await cli(['lint', 'policy', policyFile('people.txt', GOOD), '--mx', 'mx9.example.com']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL');
    expect(r.stdout).toContain('fix: mx: mx9.example.com');
    expect(r.stdout).toContain('RFC8461 §4.1 <https://www.rfc-editor.org/rfc/rfc8461#section-4.1>');
    expect(r.stdout).not.toContain('\x1b['); // not a terminal: no colours
  });

  it('colours only on a terminal, and not with NO_COLOR', async () => {
    const tty = await cli(['lint', 'sts-record', 'v=STSv1;'], { isTTY: true });
    const noColor = await cli(['lint', 'sts-record', 'v=STSv1;'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect([tty.stdout.includes('\x1b[31m'), noColor.stdout.includes('\x1b[')]).toEqual([true, false]);
  });
});
