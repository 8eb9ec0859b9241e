// `host install|uninstall|status`: the CLI face of native-host/install/.
import { BROWSER_IDS, type BrowserId } from '../../install/browsers.ts';
import { currentHostEnv, type HostEnv } from '../../install/host-env.ts';
import { installHost, uninstallHost } from '../../install/install.ts';
import { hostStatus } from '../../install/status.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT_FAILURES, EXIT_OK, UsageError, type CliIo } from '../io.ts';
import { USAGE } from '../usage.ts';

const ACTIONS = ['install', 'uninstall', 'status'] as const;

export async function hostCommand(argv: string[], io: CliIo, hostEnv?: HostEnv): Promise<number> {
  const { values, positionals } = parseCommandArgs('host', argv, {
    browser: { type: 'string' },
    'manifest-dir': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(USAGE.host);
    return EXIT_OK;
  }
  const [action, ...extra] = positionals;
  if (!action || !(ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(action ? `unknown host action ${JSON.stringify(action)}: use install, uninstall or status` : 'host needs an action: install, uninstall or status', 'host');
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`, 'host');
  const manifestDir = values['manifest-dir'];
  if (manifestDir === '') throw new UsageError('--manifest-dir needs a folder', 'host');
  const browsers = selectBrowsers(values.browser, manifestDir !== undefined);
  const host = hostEnv ?? currentHostEnv(io.env);
  const options = { browsers, ...(manifestDir !== undefined ? { manifestDir } : {}) };
  const outcome =
    action === 'install' ? await installHost(host, options) : action === 'uninstall' ? await uninstallHost(host, options) : await hostStatus(host, options);
  io.stdout.write(`${outcome.lines.join('\n')}\n`);
  return outcome.ok ? EXIT_OK : EXIT_FAILURES;
}

function selectBrowsers(value: string | undefined, exactDir: boolean): BrowserId[] {
  if (value === undefined) return exactDir ? ['chromium'] : [...BROWSER_IDS];
  if (value === 'all') {
    // One folder cannot hold a Chromium and a Firefox manifest of the same name.
    if (exactDir) throw new UsageError('--manifest-dir writes one manifest: pick one --browser', 'host');
    return [...BROWSER_IDS];
  }
  if (!(BROWSER_IDS as readonly string[]).includes(value)) {
    throw new UsageError(`unknown browser ${JSON.stringify(value)}: use ${BROWSER_IDS.join(', ')} or all`, 'host');
  }
  return [value as BrowserId];
}
