// A throw-away PKI for tests: a root CA, intermediates and leaf certificates made with the
// real openssl command (Debian's), including the broken kinds a validator must recognise:
// expired, not yet valid, wrong name, self-signed, untrusted issuer, missing intermediate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Issued {
  /** PEM of the certificate itself. */
  cert: string;
  /** PEM of the private key (PKCS#8). */
  key: string;
  /** The certificate followed by the intermediates a server should send (leaf first). */
  chain: string;
}

export interface CertificateAuthority extends Issued {
  name: string;
  dir: string;
  /** A self-signed root: servers do not send it. */
  isRoot: boolean;
}

export interface LeafOptions {
  /** dNSName SANs (the first is also the CN). Empty: a certificate with a CN only. */
  dnsNames: string[];
  ipAddresses?: string[];
  /** Defaults: valid from one day ago for 90 days. */
  notBefore?: Date;
  notAfter?: Date;
  keyType?: 'ec' | 'rsa';
  /** Leave the issuing intermediate out of `chain` (a "missing intermediate" server). */
  omitIntermediate?: boolean;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** openssl ca wants YYYYMMDDHHMMSSZ (GeneralizedTime). */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}/, '');
}

const DAY = 86_400_000;

function newKey(dir: string, file: string, keyType: 'ec' | 'rsa'): string {
  const args =
    keyType === 'ec'
      ? ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]
      : ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file];
  openssl(args, dir);
  return readFileSync(join(dir, file), 'utf8');
}

function caConfig(dir: string): string {
  const cfg = `
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}/newcerts
serial = ${dir}/serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[ any ]
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
`;
  const path = join(dir, 'ca.cnf');
  writeFileSync(path, cfg);
  return path;
}

let counter = 0;

function makeAuthorityDir(base: string, name: string): string {
  const dir = join(base, `${name.replace(/[^A-Za-z0-9]/g, '_')}-${++counter}`);
  mkdirSync(join(dir, 'newcerts'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), `${(1000 + counter).toString(16).padStart(4, '0')}\n`);
  return dir;
}

/** A private PKI rooted in a temporary folder. Call `dispose()` when done. */
export class TestPki {
  readonly base: string;

  constructor() {
    this.base = mkdtempSync(join(tmpdir(), 'mta-sts-pki-'));
  }

  /** A self-signed root CA (valid 10 years from yesterday). */
  createRoot(name = 'MTA-STS Inspector Test Root'): CertificateAuthority {
    const dir = makeAuthorityDir(this.base, name);
    const key = newKey(dir, 'key.pem', 'ec');
    writeFileSync(
      join(dir, 'ext.cnf'),
      'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n',
    );
    openssl(
      ['req', '-new', '-x509', '-key', 'key.pem', '-subj', `/CN=${name}`, '-days', '3650', '-sha256',
        '-extensions', 'v3', '-config', this.rootReqConfig(dir), '-out', 'cert.pem'],
      dir,
    );
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return { name, dir, cert, key, chain: cert, isRoot: true };
  }

  private rootReqConfig(dir: string): string {
    const path = join(dir, 'req.cnf');
    writeFileSync(
      path,
      '[ req ]\ndistinguished_name = dn\n[ dn ]\n[ v3 ]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n',
    );
    return path;
  }

  /** An intermediate CA signed by `parent`. Its `chain` is the intermediate plus the parent's chain minus the root. */
  createIntermediate(parent: CertificateAuthority, name = 'MTA-STS Inspector Test Intermediate'): CertificateAuthority {
    const dir = makeAuthorityDir(this.base, name);
    const key = newKey(dir, 'key.pem', 'ec');
    openssl(['req', '-new', '-key', 'key.pem', '-subj', `/CN=${name}`, '-config', caConfig(dir), '-out', 'req.pem'], dir);
    writeFileSync(
      join(dir, 'ext.cnf'),
      '[ v3 ]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    const now = Date.now();
    this.sign(parent, dir, 'req.pem', 'ext.cnf', new Date(now - DAY), new Date(now + 3000 * DAY), 'cert.pem');
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return { name, dir, cert, key, chain: parent.isRoot ? cert : cert + parent.chain, isRoot: false };
  }

  /** A leaf certificate for a server, signed by `issuer`. */
  issueLeaf(issuer: CertificateAuthority, options: LeafOptions): Issued {
    const dir = makeAuthorityDir(this.base, `leaf-${options.dnsNames[0] ?? 'noname'}`);
    const key = newKey(dir, 'key.pem', options.keyType ?? 'ec');
    const cn = options.dnsNames[0] ?? 'no-san.invalid';
    openssl(['req', '-new', '-key', 'key.pem', '-subj', `/CN=${cn}`, '-config', caConfig(dir), '-out', 'req.pem'], dir);
    const sans = [
      ...options.dnsNames.map((n) => `DNS:${n}`),
      ...(options.ipAddresses ?? []).map((ip) => `IP:${ip}`),
    ];
    writeFileSync(
      join(dir, 'ext.cnf'),
      `[ v3 ]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n${
        sans.length ? `subjectAltName=${sans.join(',')}\n` : ''
      }`,
    );
    const now = Date.now();
    const notBefore = options.notBefore ?? new Date(now - DAY);
    const notAfter = options.notAfter ?? new Date(now + 90 * DAY);
    this.sign(issuer, dir, 'req.pem', 'ext.cnf', notBefore, notAfter, 'cert.pem');
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const intermediates = issuer.isRoot || options.omitIntermediate ? '' : issuer.chain;
    return { cert, key, chain: cert + intermediates };
  }

  /** A self-signed leaf (no CA at all). */
  selfSigned(dnsNames: string[]): Issued {
    const root = this.createRoot(dnsNames[0] ?? 'self-signed');
    // A self-signed CA certificate presented as the server's own: what "self-signed" looks like in the wild.
    return { cert: root.cert, key: root.key, chain: root.cert };
  }

  private sign(
    issuer: CertificateAuthority,
    dir: string,
    req: string,
    ext: string,
    notBefore: Date,
    notAfter: Date,
    out: string,
  ): void {
    openssl(
      ['ca', '-batch', '-notext', '-config', caConfig(issuer.dir), '-cert', join(issuer.dir, 'cert.pem'),
        '-keyfile', join(issuer.dir, 'key.pem'), '-in', join(dir, req), '-out', join(dir, out),
        '-extfile', join(dir, ext), '-extensions', 'v3',
        '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter)],
      issuer.dir,
    );
  }

  dispose(): void {
    rmSync(this.base, { recursive: true, force: true });
  }
}
