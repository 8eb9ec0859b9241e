// TLS evidence shared by the MX probe and the policy fetch (helper ↔ core contract).
import { z } from 'zod';

export const CertificateSchema = z.object({
  subject: z.string().max(4096),
  issuer: z.string().max(4096),
  /** dNSName SAN entries only (RFC 6125 DNS-IDs), as presented. */
  dnsNames: z.array(z.string().max(512)).max(1000),
  /** iPAddress SAN entries, if any. */
  ipAddresses: z.array(z.string().max(64)).max(1000),
  validFrom: z.iso.datetime(),
  validTo: z.iso.datetime(),
  serialNumber: z.string().max(256),
  /** SHA-256 of the DER certificate, lower-case hex without separators. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** SHA-256 of the DER SubjectPublicKeyInfo, lower-case hex (what a TLSA `3 1 1` record holds). */
  spkiSha256: z.string().regex(/^[0-9a-f]{64}$/),
  keyType: z.string().max(32),
  keyBits: z.number().int().nonnegative().optional(),
  signatureAlgorithm: z.string().max(128).optional(),
  selfSigned: z.boolean(),
  isCA: z.boolean().optional(),
  /** The DER certificate, base64, so later checks (DANE) can match full certificates and SPKIs. */
  derBase64: z.string().max(65536),
});
export type Certificate = z.infer<typeof CertificateSchema>;

/** Why a chain did not verify, in the words of OpenSSL's error codes (Node's `err.code`). */
export const TrustErrorSchema = z.object({
  /** e.g. CERT_HAS_EXPIRED, CERT_NOT_YET_VALID, DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN,
   *  UNABLE_TO_GET_ISSUER_CERT_LOCALLY, UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  code: z.string().max(128),
  message: z.string().max(1024),
  /** Our classification, for messages and TLSRPT result types. */
  kind: z.enum(['expired', 'not-yet-valid', 'self-signed', 'unknown-issuer', 'missing-intermediate', 'other']),
});
export type TrustError = z.infer<typeof TrustErrorSchema>;

export const TlsInfoSchema = z.object({
  /** The handshake finished (whatever the certificate). */
  handshakeCompleted: z.boolean(),
  /** e.g. "TLSv1.3". */
  protocol: z.string().max(32).optional(),
  cipher: z.string().max(128).optional(),
  /** SNI sent, without a trailing dot. */
  servername: z.string().max(255).optional(),
  /** As presented by the server, leaf first. */
  chain: z.array(CertificateSchema).max(20),
  /** The chain verifies to a trusted root (Node's store plus NODE_EXTRA_CA_CERTS). */
  trusted: z.boolean(),
  trustError: TrustErrorSchema.optional(),
  /** A SAN dNSName of the leaf matches the expected host (RFC 6125, `*` only as the whole leftmost label). */
  nameMatches: z.boolean(),
  /** The SAN entry that matched. */
  matchedName: z.string().max(512).optional(),
  /** Whole days until the leaf's notAfter (negative when expired). */
  daysToExpiry: z.number().int().optional(),
  /** When the handshake failed: the alert or error. */
  error: z.object({ code: z.string().max(128), message: z.string().max(1024) }).optional(),
});
export type TlsInfo = z.infer<typeof TlsInfoSchema>;
