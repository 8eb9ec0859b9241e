// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { DomainForm } from '../../components/DomainForm.tsx';
import { OptionsForm } from '../../components/OptionsForm.tsx';
import { HelperStatus } from '../../components/HelperStatus.tsx';
import { DEFAULT_SETTINGS } from '../../core/protocol/settings.ts';

afterEach(cleanup);

const RESOLVERS = [
  { id: 'cloudflare', name: 'Cloudflare', url: 'https://cloudflare-dns.com/dns-query' },
  { id: 'google', name: 'Google', url: 'https://dns.google/dns-query' },
];

describe('DomainForm', () => {
  it('is labelled, editable, and submits what was typed', () => {
    const onSubmit = vi.fn();
    const onInput = vi.fn();
    render(<DomainForm value="alice@example.org" candidates={[]} busy={false} onInput={onInput} onSubmit={onSubmit} />);
    const input = screen.getByLabelText('Domain, e-mail address or URL') as HTMLInputElement;
    expect(input.value).toBe('alice@example.org');
    fireEvent.input(input, { target: { value: 'example.net' } });
    expect(onInput).toHaveBeenCalledWith('example.net');
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(onSubmit).toHaveBeenCalledWith('alice@example.org');
  });

  it('offers several candidates as choices', () => {
    const onInput = vi.fn();
    render(
      <DomainForm
        value="sender.example"
        candidates={[
          { source: 'Sender', domain: 'sender.example' },
          { source: 'This site', domain: 'example.co.uk' },
        ]}
        busy={false}
        onInput={onInput}
        onSubmit={vi.fn()}
      />,
    );
    expect(screen.getByRole('button', { name: 'Sender: sender.example' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'This site: example.co.uk' }));
    expect(onInput).toHaveBeenCalledWith('example.co.uk');
  });
});

describe('OptionsForm', () => {
  it.each([
    'DNS-over-HTTPS resolver',
    'Custom resolver URL',
    'Probe MX hosts (needs the helper)',
    'Allow probing non-public addresses',
    'Cache lifetime (minutes)',
  ])('has a field labelled "%s"', (label) => {
    render(<OptionsForm settings={DEFAULT_SETTINGS} resolvers={RESOLVERS} onSave={vi.fn()} onTest={vi.fn()} />);
    expect(screen.getByLabelText(label)).toBeTruthy();
  });

  it('saves the changed values', () => {
    const onSave = vi.fn();
    render(<OptionsForm settings={DEFAULT_SETTINGS} resolvers={RESOLVERS} onSave={onSave} onTest={vi.fn()} />);
    fireEvent.change(screen.getByLabelText('DNS-over-HTTPS resolver'), { target: { value: 'custom' } });
    fireEvent.input(screen.getByLabelText('Custom resolver URL'), { target: { value: 'https://doh.example/dns-query' } });
    fireEvent.click(screen.getByLabelText('Allow probing non-public addresses'));
    fireEvent.input(screen.getByLabelText('Cache lifetime (minutes)'), { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).toHaveBeenCalledWith({
      ...DEFAULT_SETTINGS,
      resolver: 'custom',
      customResolverUrl: 'https://doh.example/dns-query',
      allowPrivate: true,
      cacheMinutes: 12,
    });
  });

  it('tests the chosen resolver and shows the result', () => {
    const onTest = vi.fn();
    render(
      <OptionsForm
        settings={DEFAULT_SETTINGS}
        resolvers={RESOLVERS}
        onSave={vi.fn()}
        onTest={onTest}
        testResult={{ ok: true, message: 'Answered in 12 ms; validates DNSSEC (AD set for ietf.org).' }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect(onTest).toHaveBeenCalledWith('cloudflare');
    expect(screen.getByTestId('resolver-test').textContent).toContain('validates DNSSEC');
  });
});

describe('HelperStatus', () => {
  it.each([
    [{ state: 'found' as const, version: '0.1.0' }, /found.*version 0\.1\.0/],
    [{ state: 'not-installed' as const, message: 'Specified native messaging host not found.' }, /not installed.*npx mta-sts-inspector host install/],
    [{ state: 'blocked' as const, message: 'Access to the specified native messaging host is forbidden.' }, /blocked.*does not let this extension/],
  ])('shows %o in words', (state, text) => {
    render(<HelperStatus state={state} onRefresh={vi.fn()} />);
    expect(screen.getByRole('status').textContent?.replace(/\s+/g, ' ')).toMatch(text);
  });
});
