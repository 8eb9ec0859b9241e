// Why starttls was skipped, and how to install the helper.
import { HELPER_INSTALL_COMMAND } from '../entrypoints/shared/protocol-constants.ts';
import { CopyButton } from './CopyButton.tsx';

export interface HelperNoticeProps {
  message: string;
}

export function HelperNotice({ message }: HelperNoticeProps) {
  return (
    <div class="notice" role="note" aria-label="Helper">
      <p>{message}</p>
      <p>
        Install the helper: <code>{HELPER_INSTALL_COMMAND}</code> <CopyButton text={HELPER_INSTALL_COMMAND} label="Copy command" />
      </p>
    </div>
  );
}
