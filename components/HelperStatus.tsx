// The helper's state on the options page: found (with version), not installed, blocked, error.
import type { HelperState } from '../entrypoints/shared/ui-protocol.ts';
import { HELPER_INSTALL_COMMAND } from '../entrypoints/shared/protocol-constants.ts';
import { StatusBadge } from './StatusBadge.tsx';

export interface HelperStatusProps {
  state: HelperState | undefined;
  onRefresh: () => void;
}

export function HelperStatus({ state, onRefresh }: HelperStatusProps) {
  let body;
  if (!state) body = <p role="status">Asking the helper…</p>;
  else if (state.state === 'found')
    body = (
      <p role="status" data-helper="found">
        <StatusBadge status="pass" label="found" /> Helper version {state.version} is installed: MX hosts can be probed and the policy
        fetched with full TLS details.
      </p>
    );
  else
    body = (
      <div role="status" data-helper={state.state}>
        <p>
          <StatusBadge
            status={state.state === 'not-installed' ? 'skipped' : 'error'}
            label={state.state === 'not-installed' ? 'not installed' : state.state}
          />{' '}
          {state.state === 'not-installed'
            ? 'The helper is not installed.'
            : state.state === 'blocked'
              ? 'The helper is installed but the browser does not let this extension start it.'
              : 'The helper could not be reached.'}{' '}
          <span class="muted">({state.message})</span>
        </p>
        <p>
          Install or repair it with <code>{HELPER_INSTALL_COMMAND}</code>, then check again.
        </p>
      </div>
    );
  return (
    <section class="helper-status" aria-labelledby="helper-heading">
      <h2 id="helper-heading">Helper</h2>
      {body}
      <button type="button" onClick={onRefresh}>
        Check the helper again
      </button>
    </section>
  );
}
