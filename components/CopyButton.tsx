// Copies text to the clipboard and says so in a live region (for screen readers too).
import { useState } from 'preact/hooks';

export interface CopyButtonProps {
  text: string;
  /** The accessible name, e.g. "Copy fix". */
  label: string;
  /** Injected in tests; the page's clipboard otherwise. */
  writeText?: (text: string) => Promise<void>;
}

export function CopyButton({ text, label, writeText }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await (writeText ?? ((t: string) => navigator.clipboard.writeText(t)))(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span class="copy">
      <button type="button" class="copy-button" onClick={copy} aria-label={label}>
        {label}
      </button>
      <span class="copy-status" role="status" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : ''}
      </span>
    </span>
  );
}
