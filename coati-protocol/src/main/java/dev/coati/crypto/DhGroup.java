package dev.coati.crypto;

import dev.coati.util.RandomSource;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Diffie-Hellman groups with their IKE ids: MODP (RFC 2409, RFC 3526), ECP (RFC 5903, public value
 * x‖y, shared secret x) and Curve25519 (group 31, RFC 8031 / RFC 7748 encoding). Group 31 is not in
 * the IKEv1 RFCs, but strongSwan offers it in IKEv1 too and its cost (see performance notes) is the
 * lowest of all groups.
 */
public enum DhGroup {
  MODP_768(1, Kind.MODP, 768, 149686L, 256, true),
  MODP_1024(2, Kind.MODP, 1024, 129093L, 256, true),
  MODP_1536(5, Kind.MODP, 1536, 741804L, 256, false),
  MODP_2048(14, Kind.MODP, 2048, 124476L, 256, false),
  MODP_3072(15, Kind.MODP, 3072, 1690314L, 320, false),
  MODP_4096(16, Kind.MODP, 4096, 240904L, 384, false),
  MODP_6144(17, Kind.MODP, 6144, 929484L, 448, false),
  MODP_8192(18, Kind.MODP, 8192, 4743158L, 512, false),
  ECP_256(19, Kind.ECP, 256, 0, 0, false),
  ECP_384(20, Kind.ECP, 384, 0, 0, false),
  ECP_521(21, Kind.ECP, 521, 0, 0, false),
  CURVE25519(31, Kind.X25519, 255, 0, 0, false);

  enum Kind {
    MODP,
    ECP,
    X25519
  }

  private final int ikeId;
  private final Kind kind;
  private final int bits;
  private final long modpK;
  private final int exponentBits;
  private final boolean legacy;

  DhGroup(int id, Kind kind, int bits, long modpK, int exponentBits, boolean legacy) {
    this.ikeId = id;
    this.kind = kind;
    this.bits = bits;
    this.modpK = modpK;
    this.exponentBits = exponentBits;
    this.legacy = legacy;
  }

  public int ikeId() {
    return ikeId;
  }

  public boolean legacy() {
    return legacy;
  }

  Kind kind() {
    return kind;
  }

  int bits() {
    return bits;
  }

  int exponentBits() {
    return exponentBits;
  }

  /** Bytes of the public value in a KE payload. */
  public int publicKeyLength() {
    return switch (kind) {
      case MODP -> bits / 8;
      case ECP -> 2 * ((bits + 7) / 8);
      case X25519 -> 32;
    };
  }

  public boolean isSupported() {
    return kind == Kind.MODP || EcGroups.available(this);
  }

  public static Optional<DhGroup> fromIkeId(int id) {
    for (DhGroup g : values()) {
      if (g.ikeId == id) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  /** The MODP prime (generator is 2); only for MODP groups. */
  BigInteger prime() {
    if (kind != Kind.MODP) {
      throw new IllegalStateException(this + " is not a MODP group");
    }
    return ModpGroups.prime(bits, modpK);
  }

  /** A fresh key pair drawn from {@code random}. */
  KeyExchange generate(RandomSource random) {
    return switch (kind) {
      case MODP -> ModpKeyExchange.generate(this, random);
      case ECP, X25519 -> EcGroups.generate(this, random);
    };
  }

  /** A key pair with a given private value (known-answer tests: RFC 5903, RFC 7748). */
  public KeyExchange fromPrivate(byte[] privateKey) {
    return switch (kind) {
      case MODP -> ModpKeyExchange.fromPrivate(this, new BigInteger(1, privateKey));
      case ECP, X25519 -> EcGroups.fromPrivate(this, privateKey);
    };
  }
}
