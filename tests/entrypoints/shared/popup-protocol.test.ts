import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePopupMessage, parsePopupOpen } from '../../../entrypoints/shared/popup-protocol.ts';
import { CheckServerMessageSchema, PopupOpenResponseSchema, type CheckServerMessage } from '../../../entrypoints/shared/ui-protocol.ts';
import { CHECKS, REPORT, HOSTILE_TXT } from '../../components/sample-report.ts';

// Every message the background may send (valid under the full schema) must parse in the popup.
const FULL: [string, CheckServerMessage][] = [
  ['started', { type: 'started', domain: 'example.com', checks: CHECKS.map((c) => ({ id: c.id, title: c.title })) }],
  ...CHECKS.map((check): [string, CheckServerMessage] => [`check ${check.id}`, { type: 'check', check }]),
  ['done', { type: 'done', report: REPORT, cachedAt: 5 }],
  ['done without helper', { type: 'done', report: REPORT, helperMissing: 'not installed', needsHostPermission: true }],
  ['error', { type: 'error', message: 'no such domain' }],
];

describe('popup protocol (zod/mini) against the full protocol', () => {
  it.each(FULL)('a full %s message parses in the popup', (_n, m) => {
    expect(CheckServerMessageSchema.safeParse(m).success).toBe(true);
    expect(parsePopupMessage(m)?.type).toBe(m.type);
  });

  it('keeps what the popup shows and drops what it does not (findings, evidence)', () => {
    const parsed = parsePopupMessage({ type: 'check', check: CHECKS[2] });
    expect(parsed).toEqual({ type: 'check', check: { id: CHECKS[2]!.id, title: CHECKS[2]!.title, status: CHECKS[2]!.status, summary: CHECKS[2]!.summary } });
  });

  it('keeps hostile text as plain strings (rendering is text-only)', () => {
    const parsed = parsePopupMessage({ type: 'error', message: HOSTILE_TXT });
    expect(parsed).toEqual({ type: 'error', message: HOSTILE_TXT });
  });

  it.each([
    ['an unknown type', { type: 'steal' }],
    ['an unknown check id', { type: 'check', check: { ...CHECKS[0], id: 'dkim' } }],
    ['an unknown status', { type: 'check', check: { ...CHECKS[0], status: 'ok' } }],
    ['a report without checks', { type: 'done', report: { ...REPORT, checks: undefined } }],
    ['an overlong error', { type: 'error', message: 'x'.repeat(5000) }],
    ['not an object', 'done'],
  ])('rejects %s', (_n, m) => {
    expect(parsePopupMessage(m)).toBeUndefined();
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        parsePopupMessage(x);
        parsePopupOpen(x);
      }),
    );
  });

  it('the popup-open answer parses in the popup', () => {
    const answer = { candidates: [{ source: 'Sender (Gmail)', domain: 'example.com' }], cached: { report: REPORT, cachedAt: 9 } };
    expect(PopupOpenResponseSchema.safeParse(answer).success).toBe(true);
    expect(parsePopupOpen(answer)).toMatchObject({ candidates: answer.candidates, cached: { cachedAt: 9, report: { domain: 'example.com' } } });
    expect(parsePopupOpen({ candidates: [{ source: 'x', domain: '' }] })).toBeUndefined();
  });
});
