// SMTP hosts of the test network, one per scenario host on its own loopback address, port 25:
// the smtp-server package (a real SMTP implementation with STARTTLS, RFC 3207) for normal hosts
// and hosts that do not offer STARTTLS; purpose-built servers for the misbehaviours.
import { SMTPServer } from 'smtp-server';
import type { Issued } from '../helpers/pki.ts';
import { startMisbehavingSmtp } from './misbehaving-smtp.ts';
import type { RunningServer } from './policy-servers.ts';
import type { SmtpHostSpec } from './scenarios.ts';

export async function startSmtpHost(spec: SmtpHostSpec, host: string, address: string, cert: Issued): Promise<RunningServer> {
  if (spec.behaviour !== 'normal' && spec.behaviour !== 'no-starttls') {
    const s = await startMisbehavingSmtp(spec.behaviour, host, address);
    return { address, port: 25, stop: s.stop };
  }
  const server = new SMTPServer({
    name: host,
    banner: 'MTA-STS Inspector test MX',
    key: cert.key,
    cert: cert.chain,
    minVersion: 'TLSv1.2',
    secure: false,
    hideSTARTTLS: spec.behaviour === 'no-starttls',
    disableReverseLookup: true, // never ask a real resolver about 127.0.5x.y
    authOptional: true,
    disabledCommands: ['AUTH'],
    size: 1024 * 1024,
    logger: false,
    socketTimeout: 30_000,
    closeTimeout: 500,
    onData(stream, _session, callback) {
      stream.on('end', () => callback());
      stream.resume();
    },
  });
  server.on('error', () => {
    // a client that resets mid-handshake is not a failure of the network
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(25, address, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return { address, port: 25, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
