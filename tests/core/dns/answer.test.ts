import { describe, expect, it } from 'vitest';
import { answerFromResponse } from '../../../core/dns/answer.ts';
import { decodeResponse, type DecodedResponse } from '../../../core/dns/codec.ts';
import { buildResponse, RCODE, rr, type ResponseSpec } from './packets.ts';

function decoded(spec: Omit<ResponseSpec, 'name' | 'type'>): DecodedResponse {
  const result = decodeResponse(buildResponse({ name: 'example.com', type: 'TXT', ...spec }), { name: 'example.com', type: 'TXT' });
  if (!result.ok) throw new Error(result.message);
  return result.response;
}

describe('answerFromResponse: RFC 8484 §4.2.1 / RFC 1035 §4.1.1 classification', () => {
  it.each([
    ['RFC 1035 §4.1.1: NOERROR with records is ok', { answers: [rr.txt('example.com', ['v=STSv1; id=1'])] }, 'ok', undefined],
    ['RFC 2308 §2.2: NOERROR without records is NODATA', {}, 'nodata', undefined],
    ['RFC 2308 §2.1: NXDOMAIN', { rcode: RCODE.NXDOMAIN }, 'nxdomain', undefined],
    ['RFC 1035 §4.1.1: SERVFAIL', { rcode: RCODE.SERVFAIL }, 'servfail', undefined],
    ['RFC 1035 §4.1.1: REFUSED', { rcode: RCODE.REFUSED }, 'refused', undefined],
    ['RFC 1035 §4.1.1: FORMERR is an error', { rcode: RCODE.FORMERR }, 'error', 'other'],
    ['RFC 6891 §6.1.3: BADVERS is an error', { extendedRcode: 1 }, 'error', 'other'],
    [
      'RFC 1034 §3.6.2: a CNAME loop is an error',
      { answers: [rr.cname('example.com', 'a.example.com'), rr.cname('a.example.com', 'example.com')] },
      'error',
      'cname-loop',
    ],
  ] as [string, Omit<ResponseSpec, 'name' | 'type'>, string, string | undefined][])('%s', (_title, spec, status, errorKind) => {
    const answer = answerFromResponse(decoded(spec), 'example.com', 'TXT', 'Test', 5);
    expect({ status: answer.status, errorKind: answer.errorKind }).toEqual({ status, errorKind });
  });

  it('RFC 4035 §5.5, RFC 8914: SERVFAIL names the EDE reason and DNSSEC', () => {
    const answer = answerFromResponse(decoded({ rcode: RCODE.SERVFAIL, ede: [{ code: 6, text: 'RRSIG expired' }] }), 'example.com', 'TXT', 'Test', 5);
    expect(answer).toMatchObject({
      status: 'servfail',
      ede: [{ code: 6, text: 'RRSIG expired' }],
      message: expect.stringMatching(/SERVFAIL.*DNSSEC Bogus \(EDE 6: RRSIG expired\).*DNSSEC signatures did not validate/),
    });
  });

  it('RFC 4035 §3.2.3: carries the AD flag on every status', () => {
    expect(answerFromResponse(decoded({ ad: true, rcode: RCODE.NXDOMAIN }), 'example.com', 'TXT', 'Test', 5).ad).toBe(true);
  });

  it('RFC 1034 §3.6.2: NXDOMAIN after a CNAME keeps the chain (a dangling CNAME)', () => {
    const answer = answerFromResponse(decoded({ rcode: RCODE.NXDOMAIN, answers: [rr.cname('example.com', 'gone.example.net')] }), 'example.com', 'TXT', 'Test', 5);
    expect(answer.cnameChain.map((c) => c.target)).toEqual(['gone.example.net']);
  });

  it('reports when the records were capped', () => {
    const answers = Array.from({ length: 1200 }, (_, i) => rr.txt('example.com', [`r${i}`]));
    expect(answerFromResponse(decoded({ answers }), 'example.com', 'TXT', 'Test', 5).recordsCapped).toEqual({ kept: 1000, total: 1200 });
  });
});
