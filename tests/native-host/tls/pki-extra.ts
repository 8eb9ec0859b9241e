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

export interface SelfSignedOptions {
  /** openssl x509v3 extension lines (subjectAltName is added from the names). */
  extensions: string;
  notBefore?: Date;
  notAfter?: Date;
}

/** openssl ca wants YYYYMMDDHHMMSSZ. */
const asn1Time = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}/, '');

/**
 * A certificate signed by its own key with the given extensions and dates (`openssl ca -selfsign`:
 * `req -x509` of OpenSSL 3.0 cannot set a start date in the past).
 */
export function selfSignedWith(pki: TestPki, dnsNames: string[], options: SelfSignedOptions): Issued {
  const dir = mkdtempSync(join(pki.base, 'self-'));
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), `${(++serial).toString(16)}\n`);
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ ca ]\ndefault_ca = self\n[ self ]\ndatabase = ${dir}/index.txt\nnew_certs_dir = ${dir}\nserial = ${dir}/serial\n` +
      'default_md = sha256\npolicy = any\nunique_subject = no\n[ any ]\ncommonName = supplied\n' +
      `[ v3 ]\n${options.extensions}\n${dnsNames.length ? `subjectAltName=${dnsNames.map((n) => `DNS:${n}`).join(',')}\n` : ''}`,
  );
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem']);
  run(['req', '-new', '-key', 'key.pem', '-subj', `/CN=${dnsNames[0] ?? 'self.invalid'}`, '-out', 'req.pem']);
  const now = Date.now();
  run(['ca', '-batch', '-notext', '-selfsign', '-config', 'ca.cnf', '-keyfile', 'key.pem', '-in', 'req.pem', '-out', 'cert.pem',
    '-extensions', 'v3', '-startdate', asn1Time(options.notBefore ?? new Date(now - 86_400_000)),
    '-enddate', asn1Time(options.notAfter ?? new Date(now + 30 * 86_400_000))]);
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  return { cert, key: readFileSync(join(dir, 'key.pem'), 'utf8'), chain: cert };
}

/** An end-entity certificate signed by its own key (CA:FALSE): OpenSSL's DEPTH_ZERO_SELF_SIGNED_CERT. */
export function selfSignedLeaf(pki: TestPki, dnsNames: string[]): Issued {
  return selfSignedWith(pki, dnsNames, {
    extensions: 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth',
  });
}
