import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, type HelperResponse } from '../../../core/protocol/helper.ts';
import { FrameDecoder } from '../../../native-host/messaging/framing.ts';
import { encodeReply } from '../../../native-host/helper/reply.ts';

function decode(frame: Uint8Array): unknown {
  const [d] = new FrameDecoder().push(frame);
  return d?.ok ? d.value : d;
}

describe('helper replies are validated before they are sent', () => {
  it.each<[string, HelperResponse, unknown]>([
    ['a valid hello goes out as is', { type: 'hello', version: '1.2.3', protocol: 1 }, { type: 'hello', version: '1.2.3', protocol: 1 }],
    [
      'a reply that breaks the schema becomes internal, keeping its id',
      { type: 'probe-mx-result', id: 'p1', result: { host: 'mx', port: 0, addresses: [] } },
      expect.objectContaining({ type: 'error', code: 'internal', id: 'p1' }),
    ],
    [
      'a reply over 1 MiB becomes too-large, keeping its id',
      {
        type: 'fetch-policy-result',
        id: 'f1',
        result: {
          url: 'https://mta-sts.example.com/.well-known/mta-sts.txt',
          host: 'mta-sts.example.com',
          via: 'helper',
          attempts: Array.from({ length: 10 }, () => ({
            redirects: [],
            timings: { totalMs: 1 },
            response: { status: 200, headers: [], bodyBase64: 'A'.repeat(150_000), bodyBytes: 1, bodyTruncated: false },
          })),
        },
      },
      expect.objectContaining({ type: 'error', code: 'too-large', id: 'f1' }),
    ],
  ])('%s', (_name, reply, expected) => {
    const frame = encodeReply(reply, () => undefined);
    expect(frame.length).toBeLessThanOrEqual(MAX_MESSAGE_BYTES + 4);
    expect(decode(frame)).toEqual(expected);
  });
});
