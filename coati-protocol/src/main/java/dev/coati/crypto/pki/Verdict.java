package dev.coati.crypto.pki;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The outcome of {@link CertificateVerifier#verify}: accepted with the path from the peer's
 * certificate to the trust anchor, or refused with a reason and a text for the log.
 *
 * @param refusal why the certificate was refused, or {@code null} when accepted
 * @param detail human-readable explanation naming the certificate concerned
 * @param path peer certificate, intermediates, trust anchor (accepted only; else empty)
 */
public record Verdict(Refusal refusal, String detail, List<X509Certificate> path) {
  public Verdict {
    path = List.copyOf(path);
  }

  static Verdict accepted(List<X509Certificate> path) {
    return new Verdict(null, "trusted via " + path.getLast().getSubjectX500Principal(), path);
  }

  static Verdict refused(Refusal refusal, String detail) {
    return new Verdict(refusal, detail, List.of());
  }

  public boolean accepted() {
    return refusal == null;
  }

  @Override
  public String toString() {
    return accepted() ? "accepted: " + detail : "refused (" + refusal + "): " + detail;
  }

  /** Why a certificate chain was refused (RFC 5280 §6.1.3 and §6.1.4 checks). */
  public enum Refusal {
    /** No path to a certificate of the CA bundle. */
    UNTRUSTED,
    /** An issuer with the right name exists but its key did not verify the signature. */
    BAD_SIGNATURE,
    /** A certificate on the path ended before the instant checked. */
    EXPIRED,
    /** A certificate on the path starts after the instant checked. */
    NOT_YET_VALID,
    /** An issuing certificate is not a CA (basicConstraints) or may not sign certificates. */
    NOT_A_CA,
    /** The path is longer than a pathLenConstraint or our own limit allows. */
    PATH_TOO_LONG,
    /** The peer certificate's keyUsage lacks digitalSignature. */
    KEY_USAGE,
    /** A certificate on the path is listed in the CRL of its issuer. */
    REVOKED,
    /** A certificate carries a critical extension we do not process (RFC 5280 §4.2). */
    UNKNOWN_CRITICAL_EXTENSION
  }
}
