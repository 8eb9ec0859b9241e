// The helper's version is the package's: the extension shows it and can ask for an update.
import pkg from '../../package.json' with { type: 'json' };

export const HELPER_VERSION: string = pkg.version;
