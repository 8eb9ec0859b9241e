// Names shared by the pages and the background that must not pull zod into the popup's bundle.

/** The runtime Port name the popup and the report page use to stream a check. */
export const CHECK_PORT_NAME = 'check';

export const HELPER_INSTALL_COMMAND = 'npx mta-sts-inspector host install';

/** Bounds shared by both protocol modules. */
export const MAX_INPUT = 2048;
export const MAX_CANDIDATES = 8;
