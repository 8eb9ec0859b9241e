// The domain field: pre-filled, always editable, taking a domain, an e-mail address or a URL;
// other candidates (sender, Reply-To, the tab's site) offered as choices.
import type { JSX } from 'preact';

export interface DomainCandidate {
  /** "Sender", "Reply-To", "This site". */
  source: string;
  domain: string;
}

export interface DomainFormProps {
  value: string;
  candidates: DomainCandidate[];
  busy: boolean;
  onInput: (value: string) => void;
  onSubmit: (value: string) => void;
}

export function DomainForm({ value, candidates, busy, onInput, onSubmit }: DomainFormProps) {
  const submit = (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (value.trim()) onSubmit(value.trim());
  };
  return (
    <form class="domain-form" onSubmit={submit} role="search" aria-label="Check a domain">
      <label for="domain-input">Domain, e-mail address or URL</label>
      <div class="domain-row">
        <input
          id="domain-input"
          name="domain"
          type="text"
          inputMode="url"
          autoComplete="off"
          spellcheck={false}
          maxLength={2048}
          value={value}
          placeholder="example.com"
          onInput={(e) => onInput(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || value.trim() === ''}>
          Check
        </button>
      </div>
      {candidates.length > 1 ? (
        <fieldset class="candidates">
          <legend>Or check</legend>
          {candidates.map((c) => (
            <button
              type="button"
              key={`${c.source}-${c.domain}`}
              class="candidate"
              aria-pressed={c.domain === value}
              onClick={() => onInput(c.domain)}
            >
              {c.source}: {c.domain}
            </button>
          ))}
        </fieldset>
      ) : null}
    </form>
  );
}
