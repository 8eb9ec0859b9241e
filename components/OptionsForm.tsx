// The options form. Labels are part of the contract: end-to-end tests find fields by them.
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Settings } from '../core/protocol/settings.ts';

export interface ResolverTestResult {
  ok: boolean;
  /** e.g. "Answered in 23 ms; validates DNSSEC (AD set for ietf.org)." */
  message: string;
  latencyMs?: number;
  validates?: boolean;
}

export interface OptionsFormProps {
  settings: Settings;
  resolvers: readonly { id: string; name: string; url: string }[];
  onSave: (s: Settings) => void;
  onTest: (resolver: string) => void;
  testResult?: ResolverTestResult | 'running';
  /** After Save: "Saved." or what was wrong. */
  saveMessage?: string;
}

export function OptionsForm({ settings, resolvers, onSave, onTest, testResult, saveMessage }: OptionsFormProps) {
  const [s, setS] = useState<Settings>(settings);
  const [customUrl, setCustomUrl] = useState(settings.customResolverUrl ?? '');
  const current = (): Settings => {
    const url = customUrl.trim();
    return { ...s, ...(url ? { customResolverUrl: url } : { customResolverUrl: undefined }) };
  };
  const submit = (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSave(current());
  };
  const num = (v: string, fallback: number) => (Number.isFinite(Number.parseInt(v, 10)) ? Number.parseInt(v, 10) : fallback);
  return (
    <form class="options-form" onSubmit={submit} aria-label="Settings">
      <div class="field">
        <label for="resolver">DNS-over-HTTPS resolver</label>
        <select id="resolver" value={s.resolver} onChange={(e) => setS({ ...s, resolver: e.currentTarget.value as Settings['resolver'] })}>
          {resolvers.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.url})
            </option>
          ))}
          <option value="custom">Custom (RFC 8484 URL)</option>
        </select>
      </div>
      <div class="field">
        <label for="custom-url">Custom resolver URL</label>
        <input
          id="custom-url"
          type="url"
          placeholder="https://resolver.example/dns-query"
          value={customUrl}
          disabled={s.resolver !== 'custom'}
          onInput={(e) => setCustomUrl(e.currentTarget.value)}
        />
        <button type="button" onClick={() => onTest(s.resolver === 'custom' ? customUrl.trim() : s.resolver)} disabled={testResult === 'running'}>
          Test
        </button>
        <p class="test-result" role="status" aria-live="polite" data-testid="resolver-test">
          {testResult === 'running' ? 'Testing…' : testResult ? testResult.message : ''}
        </p>
      </div>
      <div class="field field-check">
        <input id="probe" type="checkbox" checked={s.probe} onChange={(e) => setS({ ...s, probe: e.currentTarget.checked })} />
        <label for="probe">Probe MX hosts (needs the helper)</label>
      </div>
      <div class="field">
        <label for="probe-timeout">Probe timeout (seconds)</label>
        <input
          id="probe-timeout"
          type="number"
          min={1}
          max={120}
          value={Math.round(s.probeTimeoutMs / 1000)}
          onInput={(e) => setS({ ...s, probeTimeoutMs: num(e.currentTarget.value, 15) * 1000 })}
        />
      </div>
      <div class="field field-check">
        <input
          id="allow-private"
          type="checkbox"
          checked={s.allowPrivate}
          onChange={(e) => setS({ ...s, allowPrivate: e.currentTarget.checked })}
        />
        <label for="allow-private">Allow probing non-public addresses</label>
        <p class="note">Off by default: public senders cannot reach loopback, private or link-local addresses. Turn on for test networks.</p>
      </div>
      <div class="field">
        <label for="cache-minutes">Cache lifetime (minutes)</label>
        <input
          id="cache-minutes"
          type="number"
          min={0}
          max={1440}
          value={s.cacheMinutes}
          onInput={(e) => setS({ ...s, cacheMinutes: num(e.currentTarget.value, 5) })}
        />
      </div>
      <button type="submit">Save</button>
      <p role="status" aria-live="polite" data-testid="save-message">
        {saveMessage ?? ''}
      </p>
    </form>
  );
}
