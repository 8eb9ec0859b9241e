import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

describe('CLI usage errors exit 2 with a message on stderr naming what was wrong', () => {
  it.each<[string, string[], string]>([
    ['no command', [], 'no command given'],
    ['an unknown command', ['frobnicate'], 'unknown command "frobnicate"'],
    ['check without a domain', ['check'], 'at least one domain'],
    ['check with an unknown option', ['check', 'example.com', '--fast'], "'--fast'"],
    ['check with a non-numeric --timeout-ms', ['check', 'example.com', '--timeout-ms', 'soon'], '--timeout-ms must be a whole number'],
    ['check with --timeout-ms out of range', ['check', 'example.com', '--timeout-ms', '50'], '--timeout-ms must be between 100 and 120000'],
    ['check with --concurrency 0', ['check', 'example.com', '--concurrency', '0'], '--concurrency must be between 1 and 64'],
    ['lint without a target', ['lint'], 'lint needs a target'],
    ['lint of an unknown target', ['lint', 'dmarc', 'v=DMARC1'], 'unknown lint target "dmarc"'],
    ['lint sts-record without text', ['lint', 'sts-record'], 'needs the record text'],
    ['lint sts-record with an unquoted record', ['lint', 'sts-record', 'v=STSv1;', 'id=1;'], 'quote the whole record'],
    ['lint policy of a file that does not exist', ['lint', 'policy', '/nonexistent/mta-sts.txt'], 'cannot read /nonexistent/mta-sts.txt: ENOENT'],
    ['lint policy of a folder', ['lint', 'policy', '/'], 'cannot read /: EISDIR'],
    ['--mx outside lint policy', ['lint', 'sts-record', 'v=STSv1;', '--mx', 'a'], '--mx only applies to lint policy'],
    ['report without a file', ['report'], 'report needs at least one report file'],
    ['report reading standard input twice', ['report', '-', '-'], 'standard input (-) can be read only once'],
    ['report with an unknown option', ['report', 'a.json', '--csv'], "'--csv'"],
    ['host without action', ['host'], 'host needs an action'],
    ['host with an unknown action', ['host', 'reinstall'], 'unknown host action "reinstall"'],
    ['host with an unknown browser', ['host', 'install', '--browser', 'opera'], 'unknown browser "opera"'],
    ['--manifest-dir with every browser', ['host', 'install', '--browser', 'all', '--manifest-dir', '/tmp/x'], 'pick one --browser'],
  ])('%s', async (_name, argv, message) => {
    const r = await cli(argv);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toContain(message);
  });

  it.each([[['--help']], [['check', '--help']], [['lint', '-h']], [['report', '--help']], [['host', '--help']]])('%j prints help and exits 0', async (argv) => {
    const r = await cli(argv);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^(Usage|mta-sts-inspector:)/);
  });

  it('the main usage lists the report command; check --help documents the connection bound', async () => {
    expect((await cli(['--help'])).stdout).toContain('mta-sts-inspector report <file|-...> [--json]');
    expect((await cli(['report', '--help'])).stdout).toContain('Exit status: 0 every file read and no failed sessions');
    expect((await cli(['check', '--help'])).stdout).toContain('max(32, 4*N)');
  });
});
