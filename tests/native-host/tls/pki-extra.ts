// Certificates the shared TestPki does not make: a leaf that names its issuer's certificate URL
// (AIA caIssuers, as every public CA's leaves do), for the "missing intermediate" diagnosis.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateAuthority, Issued, TestPki } from '../../helpers/pki.ts';

let serial = 0x5000;

/** A leaf signed by `issuer` carrying authorityInfoAccess caIssuers; its chain is the leaf alone. */
export function issueLeafWithAia(pki: TestPki, issuer: CertificateAuthority, dnsNames: string[]): Issued {
  const dir = mkdtempSync(join(pki.base, 'aia-'));
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem']);
  run(['req', '-new', '-key', 'key.pem', '-subj', `/CN=${dnsNames[0] ?? 'aia.invalid'}`, '-out', 'req.pem']);
  writeFileSync(
    join(dir, 'ext.cnf'),
    '[ v3 ]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' +
      `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}\n` +
      'authorityInfoAccess=caIssuers;URI:http://ca.example.test/intermediate.der\n',
  );
  run(['x509', '-req', '-in', 'req.pem', '-CA', join(issuer.dir, 'cert.pem'), '-CAkey', join(issuer.dir, 'key.pem'),
    '-set_serial', String(++serial), '-days', '90', '-sha256', '-extfile', 'ext.cnf', '-extensions', 'v3', '-out', 'cert.pem']);
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  return { cert, key: readFileSync(join(dir, 'key.pem'), 'utf8'), chain: cert };
}

/** An end-entity certificate signed by its own key (CA:FALSE): OpenSSL's DEPTH_ZERO_SELF_SIGNED_CERT. */
export function selfSignedLeaf(pki: TestPki, dnsNames: string[]): Issued {
  const dir = mkdtempSync(join(pki.base, 'self-'));
  writeFileSync(
    join(dir, 'req.cnf'),
    '[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = ' + (dnsNames[0] ?? 'self.invalid') +
      '\n[ v3 ]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' +
      `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}\n`,
  );
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'key.pem',
    '-out', 'cert.pem', '-days', '30', '-config', 'req.cnf', '-extensions', 'v3'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  return { cert, key: readFileSync(join(dir, 'key.pem'), 'utf8'), chain: cert };
}
