// Where each browser looks for native-messaging host manifests, per user, on each platform.
// Data only: install.ts, uninstall and status read this table. Paths under `home` are relative to
// the home folder; Windows paths are relative to %LOCALAPPDATA% and registry keys to HKCU.
// Sources: developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-location,
// developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Native_manifests#manifest_location,
// learn.microsoft.com/microsoft-edge/extensions/developer-guide/native-messaging.

export const BROWSER_IDS = ['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox'] as const;
export type BrowserId = (typeof BROWSER_IDS)[number];
export type HostPlatform = 'linux' | 'darwin' | 'win32';
export type ManifestFamily = 'chromium' | 'firefox';

export interface UnixLocation {
  /** The folder the browser reads manifests from. */
  manifestDir: string;
  /** Any of these (relative to home) existing means the browser has been used by this user. */
  configDirs: string[];
}

export interface WindowsLocation {
  /** HKCU\<key>\<host name>, default value = the manifest's path. */
  registryKey: string;
  /** Relative to %LOCALAPPDATA% (Chromium browsers) or %APPDATA% (Firefox). */
  configDirs: string[];
}

export interface BrowserEntry {
  id: BrowserId;
  name: string;
  family: ManifestFamily;
  linux: UnixLocation;
  darwin: UnixLocation;
  win32: WindowsLocation;
  /** Executables on PATH that also mean the browser is installed (Linux and macOS). */
  binaries: string[];
}

const MAC = 'Library/Application Support';

export const BROWSERS: readonly BrowserEntry[] = [
  {
    id: 'chrome',
    name: 'Google Chrome',
    family: 'chromium',
    linux: { manifestDir: '.config/google-chrome/NativeMessagingHosts', configDirs: ['.config/google-chrome'] },
    darwin: { manifestDir: `${MAC}/Google/Chrome/NativeMessagingHosts`, configDirs: [`${MAC}/Google/Chrome`] },
    win32: { registryKey: 'Software\\Google\\Chrome\\NativeMessagingHosts', configDirs: ['Google\\Chrome\\User Data'] },
    binaries: ['google-chrome', 'google-chrome-stable'],
  },
  {
    id: 'chromium',
    name: 'Chromium',
    family: 'chromium',
    linux: { manifestDir: '.config/chromium/NativeMessagingHosts', configDirs: ['.config/chromium'] },
    darwin: { manifestDir: `${MAC}/Chromium/NativeMessagingHosts`, configDirs: [`${MAC}/Chromium`] },
    win32: { registryKey: 'Software\\Chromium\\NativeMessagingHosts', configDirs: ['Chromium\\User Data'] },
    binaries: ['chromium', 'chromium-browser'],
  },
  {
    id: 'edge',
    name: 'Microsoft Edge',
    family: 'chromium',
    linux: { manifestDir: '.config/microsoft-edge/NativeMessagingHosts', configDirs: ['.config/microsoft-edge'] },
    darwin: { manifestDir: `${MAC}/Microsoft Edge/NativeMessagingHosts`, configDirs: [`${MAC}/Microsoft Edge`] },
    win32: { registryKey: 'Software\\Microsoft\\Edge\\NativeMessagingHosts', configDirs: ['Microsoft\\Edge\\User Data'] },
    binaries: ['microsoft-edge', 'microsoft-edge-stable'],
  },
  {
    id: 'brave',
    name: 'Brave',
    family: 'chromium',
    linux: {
      manifestDir: '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
      configDirs: ['.config/BraveSoftware/Brave-Browser'],
    },
    darwin: {
      manifestDir: `${MAC}/BraveSoftware/Brave-Browser/NativeMessagingHosts`,
      configDirs: [`${MAC}/BraveSoftware/Brave-Browser`],
    },
    win32: {
      registryKey: 'Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts',
      configDirs: ['BraveSoftware\\Brave-Browser\\User Data'],
    },
    binaries: ['brave-browser', 'brave'],
  },
  {
    id: 'vivaldi',
    name: 'Vivaldi',
    family: 'chromium',
    linux: { manifestDir: '.config/vivaldi/NativeMessagingHosts', configDirs: ['.config/vivaldi'] },
    darwin: { manifestDir: `${MAC}/Vivaldi/NativeMessagingHosts`, configDirs: [`${MAC}/Vivaldi`] },
    win32: { registryKey: 'Software\\Vivaldi\\NativeMessagingHosts', configDirs: ['Vivaldi\\User Data'] },
    binaries: ['vivaldi', 'vivaldi-stable'],
  },
  {
    id: 'firefox',
    name: 'Firefox',
    family: 'firefox',
    linux: { manifestDir: '.mozilla/native-messaging-hosts', configDirs: ['.mozilla/firefox'] },
    darwin: { manifestDir: `${MAC}/Mozilla/NativeMessagingHosts`, configDirs: [`${MAC}/Firefox`] },
    win32: { registryKey: 'Software\\Mozilla\\NativeMessagingHosts', configDirs: ['Mozilla\\Firefox'] },
    binaries: ['firefox', 'firefox-esr'],
  },
];

/** Where the launcher script and (on Windows) the manifests live, relative to home / %LOCALAPPDATA%. */
export const DATA_DIRS: Record<HostPlatform, string> = {
  linux: '.local/share/mta-sts-inspector',
  darwin: `${MAC}/mta-sts-inspector`,
  win32: 'mta-sts-inspector',
};

export function browserById(id: BrowserId): BrowserEntry {
  const b = BROWSERS.find((x) => x.id === id);
  // why: ids come from BROWSER_IDS, the same table; a miss is a programming error.
  if (!b) throw new Error(`unknown browser ${id}`);
  return b;
}
