package dev.coati.crypto.pki;

import dev.coati.crypto.pki.CertificateSpec.KeyUsage;
import dev.coati.util.RandomSource;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Certificates for tests, made at test time with a deterministic random source. */
final class TestPki {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  final RandomSource random = RandomSource.deterministic(42);
  final CertificateIssuer issuer = new CertificateIssuer(random);

  /** A CA: its key pair and self-signed certificate. */
  record Ca(KeyPair keys, X509Certificate cert) {}

  Ca root(String cn) {
    KeyPair keys = KeyType.EC_P256.generate(random);
    return new Ca(keys, issuer.selfSigned(CertificateProfiles.ca(cn, NOW, 3650), keys));
  }

  Ca intermediate(String cn, Ca parent) {
    KeyPair keys = KeyType.EC_P256.generate(random);
    CertificateSpec spec = CertificateProfiles.ca(cn, NOW, 1000);
    return new Ca(
        keys, issuer.issue(spec, keys.getPublic(), parent.cert(), parent.keys().getPrivate()));
  }

  X509Certificate leaf(CertificateSpec spec, KeyPair keys, Ca ca) {
    return issuer.issue(spec, keys.getPublic(), ca.cert(), ca.keys().getPrivate());
  }

  /**
   * A client-style leaf certificate valid from {@code from} for {@code days}, with {@code usage}.
   */
  static CertificateSpec leafSpec(String cn, Instant from, int days, Set<KeyUsage> usage) {
    return new CertificateSpec(
        "CN=" + cn,
        from,
        from.plus(Duration.ofDays(days)),
        false,
        usage,
        List.of(CertificateSpec.EKU_CLIENT_AUTH),
        List.of(),
        List.of(),
        List.of());
  }

  static CertificateSpec leafSpec(String cn) {
    return leafSpec(cn, NOW.minus(Duration.ofDays(1)), 30, EnumSet.of(KeyUsage.DIGITAL_SIGNATURE));
  }
}
