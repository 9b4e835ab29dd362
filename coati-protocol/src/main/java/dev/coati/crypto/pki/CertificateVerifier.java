package dev.coati.crypto.pki;

import dev.coati.crypto.pki.Verdict.Refusal;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Verifies a peer's certificate (client or server) against a CA bundle, as RFC 4945 §3 asks of an
 * IKE implementation and RFC 5280 §6 describes: the path is built from the peer's certificate
 * through intermediates the peer sent (CERT payloads) to a certificate of the bundle; every
 * certificate on it must be valid at the instant given, every issuer a CA allowed to sign
 * certificates, within any pathLenConstraint; the peer's keyUsage, when present, must allow
 * digitalSignature (RFC 4945 §5.1.3.2); and no certificate may be listed in a CRL of its issuer
 * when CRLs are loaded. Critical extensions other than the ones checked here refuse the path.
 *
 * <p>CRLs are applied only when their signature verifies with the issuer's key; a CRL past its
 * nextUpdate still counts (an out-of-date list of revocations is better than none).
 */
public final class CertificateVerifier {
  /** Certificates between the peer's and the anchor at most (our own cap on path building). */
  static final int MAX_INTERMEDIATES = 6;

  private static final Set<String> KNOWN_CRITICAL =
      Set.of(
          "2.5.29.15", // keyUsage
          "2.5.29.19", // basicConstraints
          "2.5.29.17", // subjectAltName
          "2.5.29.37", // extendedKeyUsage
          "2.5.29.32"); // certificatePolicies (any policy accepted)

  private final List<X509Certificate> anchors;
  private final List<X509CRL> crls;

  /** A verifier trusting {@code anchors} and applying {@code crls} (may be empty). */
  public CertificateVerifier(List<X509Certificate> anchors, List<X509CRL> crls) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("no trust anchors");
    }
    this.anchors = List.copyOf(anchors);
    this.crls = List.copyOf(crls);
  }

  /** A verifier trusting the PEM CA bundle {@code caBundle}, with an optional PEM CRL file. */
  public static CertificateVerifier load(Path caBundle, Optional<Path> crlFile) {
    return new CertificateVerifier(
        PemFiles.certificates(caBundle), crlFile.map(PemFiles::crl).stream().toList());
  }

  public List<X509Certificate> anchors() {
    return anchors;
  }

  /**
   * Verifies {@code peer} at {@code now}, using {@code intermediates} (in any order, possibly
   * including irrelevant or anchor certificates) to reach a trust anchor.
   */
  public Verdict verify(X509Certificate peer, List<X509Certificate> intermediates, Instant now) {
    Verdict leaf = checkLeaf(peer, now);
    if (leaf != null) {
      return leaf;
    }
    List<X509Certificate> path = new ArrayList<>(List.of(peer));
    X509Certificate current = peer;
    while (true) {
      Optional<X509Certificate> anchor = issuedBy(current, anchors);
      if (anchor.isPresent() || isAnchor(current)) {
        X509Certificate a = anchor.orElse(current);
        if (a != current) {
          Verdict issuerProblem = checkIssuer(a, path.size() - 1, now, true);
          if (issuerProblem != null) {
            return issuerProblem;
          }
          path.add(a);
        }
        return checkRevocation(path);
      }
      if (path.size() > MAX_INTERMEDIATES) {
        return Verdict.refused(Refusal.PATH_TOO_LONG, "more than " + MAX_INTERMEDIATES + " CAs");
      }
      Optional<X509Certificate> next = issuedBy(current, unused(intermediates, path));
      if (next.isEmpty()) {
        return noIssuer(current, intermediates);
      }
      Verdict issuerProblem = checkIssuer(next.get(), path.size() - 1, now, false);
      if (issuerProblem != null) {
        return issuerProblem;
      }
      path.add(next.get());
      current = next.get();
    }
  }

  private Verdict checkLeaf(X509Certificate peer, Instant now) {
    Verdict v = checkCommon(peer, now);
    if (v != null) {
      return v;
    }
    boolean[] ku = peer.getKeyUsage();
    if (ku != null && !ku[0]) {
      return Verdict.refused(
          Refusal.KEY_USAGE,
          subject(peer)
              + ": keyUsage without digitalSignature, cannot sign IKE (RFC 4945 5.1.3.2)");
    }
    return null;
  }

  /**
   * {@code issuer} as the issuer of a path with {@code below} certificates beneath it besides the
   * leaf.
   */
  private static Verdict checkIssuer(
      X509Certificate issuer, int below, Instant now, boolean isAnchor) {
    Verdict v = checkCommon(issuer, now);
    if (v != null) {
      return v;
    }
    int pathLen = issuer.getBasicConstraints();
    if (pathLen < 0 && issuer.getVersion() == 1 && isAnchor) {
      pathLen = Integer.MAX_VALUE; // an X.509 v1 root has no extensions to say it is a CA
    }
    if (pathLen < 0) {
      return Verdict.refused(Refusal.NOT_A_CA, subject(issuer) + ": not a CA (basicConstraints)");
    }
    boolean[] ku = issuer.getKeyUsage();
    if (ku != null && !ku[5]) {
      return Verdict.refused(Refusal.NOT_A_CA, subject(issuer) + ": keyUsage lacks keyCertSign");
    }
    if (below > pathLen) {
      return Verdict.refused(
          Refusal.PATH_TOO_LONG,
          subject(issuer) + ": pathLenConstraint " + pathLen + " but " + below + " CAs below");
    }
    return null;
  }

  private static Verdict checkCommon(X509Certificate cert, Instant now) {
    try {
      cert.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      return Verdict.refused(
          Refusal.EXPIRED, subject(cert) + ": expired " + cert.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      return Verdict.refused(
          Refusal.NOT_YET_VALID,
          subject(cert) + ": not valid before " + cert.getNotBefore().toInstant());
    }
    Set<String> critical = cert.getCriticalExtensionOIDs();
    if (critical != null) {
      for (String oid : critical) {
        if (!KNOWN_CRITICAL.contains(oid)) {
          return Verdict.refused(
              Refusal.UNKNOWN_CRITICAL_EXTENSION,
              subject(cert) + ": unsupported critical extension " + oid);
        }
      }
    }
    return null;
  }

  private Verdict checkRevocation(List<X509Certificate> path) {
    for (int i = 0; i + 1 < path.size(); i++) {
      X509Certificate cert = path.get(i);
      X509Certificate issuer = path.get(i + 1);
      for (X509CRL crl : crls) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
            || !signedBy(crl, issuer)) {
          continue;
        }
        X509CRLEntry entry = crl.getRevokedCertificate(cert);
        if (entry != null) {
          return Verdict.refused(
              Refusal.REVOKED,
              subject(cert)
                  + ": serial "
                  + cert.getSerialNumber().toString(16)
                  + " revoked "
                  + entry.getRevocationDate().toInstant()
                  + " by "
                  + issuer.getSubjectX500Principal());
        }
      }
    }
    return Verdict.accepted(path);
  }

  private boolean isAnchor(X509Certificate cert) {
    return anchors.stream().anyMatch(cert::equals);
  }

  private static Optional<X509Certificate> issuedBy(
      X509Certificate cert, List<X509Certificate> candidates) {
    return candidates.stream()
        .filter(c -> c.getSubjectX500Principal().equals(cert.getIssuerX500Principal()))
        .filter(c -> signedBy(cert, c))
        .findFirst();
  }

  private static List<X509Certificate> unused(
      List<X509Certificate> intermediates, List<X509Certificate> path) {
    return intermediates.stream().filter(c -> !path.contains(c)).toList();
  }

  private Verdict noIssuer(X509Certificate cert, List<X509Certificate> intermediates) {
    boolean named =
        Stream.concat(anchors.stream(), intermediates.stream())
            .anyMatch(c -> c.getSubjectX500Principal().equals(cert.getIssuerX500Principal()));
    return named
        ? Verdict.refused(
            Refusal.BAD_SIGNATURE,
            subject(cert)
                + ": signature does not verify with the key of "
                + cert.getIssuerX500Principal())
        : Verdict.refused(
            Refusal.UNTRUSTED,
            subject(cert) + ": issuer " + cert.getIssuerX500Principal() + " is not a trusted CA");
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
    boolean[] ku = issuer.getKeyUsage();
    if (ku != null && !ku[6]) {
      return false; // RFC 5280 4.2.1.3: CRLs only from a key with cRLSign
    }
    try {
      crl.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String subject(X509Certificate cert) {
    return "certificate " + cert.getSubjectX500Principal();
  }
}
