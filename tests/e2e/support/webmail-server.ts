// A Gmail look-alike on loopback: the Gmail fixture (tests/fixtures/webmail/gmail.html) served over
// HTTPS as mail.google.com (Chromium maps the name here with --host-resolver-rules) with a
// certificate from a CA of its own, which the browser's NSS database trusts. The fixture's sender
// is rewritten to an address of a test-network scenario, so the popup can check it end to end.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TestPki } from '../../helpers/pki.ts';
import { ROOT } from './build.ts';

export const WEBMAIL_ADDRESS = '127.0.60.1';
export const WEBMAIL_HOST = 'mail.google.com';
const FIXTURE_SENDER = 'alice@mail.example.co.uk';

export interface WebmailServer {
  /** The Chromium host-resolver rule that sends mail.google.com here. */
  hostRule: string;
  caCert: string;
  url: string;
  stop(): Promise<void>;
}

export async function startWebmailServer(senderAddress: string): Promise<WebmailServer> {
  const fixture = readFileSync(join(ROOT, 'tests/fixtures/webmail/gmail.html'), 'utf8');
  if (!fixture.includes(FIXTURE_SENDER)) throw new Error(`the Gmail fixture no longer holds ${FIXTURE_SENDER}`);
  const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Inbox - Gmail</title></head><body>${fixture.replaceAll(FIXTURE_SENDER, senderAddress)}</body></html>`;
  const pki = new TestPki();
  const root = pki.createRoot('MTA-STS Inspector e2e webmail CA');
  const leaf = pki.issueLeaf(root, { dnsNames: [WEBMAIL_HOST] });
  const server: Server = createServer({ key: leaf.key, cert: leaf.chain }, (req, res) => {
    res.writeHead(req.url?.startsWith('/mail/') ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.url?.startsWith('/mail/') ? body : 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, WEBMAIL_ADDRESS, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    hostRule: `MAP ${WEBMAIL_HOST} ${WEBMAIL_ADDRESS}:${port}`,
    caCert: root.cert,
    url: `https://${WEBMAIL_HOST}/mail/u/0/#inbox/FMfcgz`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      pki.dispose();
    },
  };
}
