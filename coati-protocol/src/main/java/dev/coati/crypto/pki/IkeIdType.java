package dev.coati.crypto.pki;

import java.util.Optional;

/**
 * The IKE identification types a certificate can be matched against (RFC 2407 §4.6.2.1), with their
 * wire numbers. The {@code ike.wire} layer has the open value type for all ID types; this closed
 * set is what {@link CertificateIdentity} understands.
 */
public enum IkeIdType {
  IPV4_ADDR(1),
  FQDN(2),
  USER_FQDN(3),
  DER_ASN1_DN(9);

  private final int code;

  IkeIdType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type with wire number {@code code}, if certificates can be matched against it. */
  public static Optional<IkeIdType> of(int code) {
    for (IkeIdType t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
