// Asks for access to https:// sites when the policy must be fetched without the helper, saying why.
export interface PermissionNoticeProps {
  domain?: string;
  onAllow: () => void;
}

export function PermissionNotice({ domain, onAllow }: PermissionNoticeProps) {
  return (
    <div class="notice" role="note" aria-label="Permission needed">
      <p>
        Without the helper, the extension fetches the policy file{' '}
        <code>https://mta-sts.{domain ?? '<domain>'}/.well-known/mta-sts.txt</code> itself. Browsers only allow that with access to
        https:// sites, which the extension asks for now rather than at install. It never fetches anything else, and nothing
        of the pages you visit is read.
      </p>
      <button type="button" onClick={onAllow}>
        Allow policy fetches and re-check
      </button>
    </div>
  );
}
