// Evidence that did not fit its schema, shown as JSON text rather than hidden.
export interface RawJsonProps {
  value: unknown;
  /** Why the raw form is shown. */
  note?: string;
}

const MAX_CHARS = 100_000;

export function RawJson({ value, note }: RawJsonProps) {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text.length > MAX_CHARS) text = `${text.slice(0, MAX_CHARS)}\n… (${text.length - MAX_CHARS} more characters)`;
  return (
    <div class="raw-json">
      {note ? <p class="note">{note}</p> : null}
      <pre data-testid="raw-json">{text}</pre>
    </div>
  );
}
