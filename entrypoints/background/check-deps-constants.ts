// Shared with the pages (which request the permission): kept apart from check-deps.ts so a page
// does not pull the engine into its bundle.
/** Fetching https://mta-sts.<any domain>/ without the helper needs access to every https origin. */
export const POLICY_FETCH_ORIGINS = ['https://*/*'];
