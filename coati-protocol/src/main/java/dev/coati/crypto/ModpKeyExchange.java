package dev.coati.crypto;

import dev.coati.util.RandomSource;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * MODP Diffie-Hellman with BigInteger arithmetic and a short private exponent (twice the group's
 * security strength, as the performance notes recommend); peer values must satisfy 1 < y < p-1.
 */
final class ModpKeyExchange implements KeyExchange {
  private static final BigInteger TWO = BigInteger.TWO;

  private final DhGroup group;
  private BigInteger x;
  private final byte[] publicKey;

  private ModpKeyExchange(DhGroup group, BigInteger x) {
    this.group = group;
    this.x = x;
    this.publicKey = fixed(TWO.modPow(x, group.prime()), group.publicKeyLength());
  }

  static ModpKeyExchange generate(DhGroup group, RandomSource random) {
    BigInteger x;
    do {
      x = new BigInteger(1, random.bytes(group.exponentBits() / 8));
    } while (x.bitLength() < 2);
    return new ModpKeyExchange(group, x);
  }

  static ModpKeyExchange fromPrivate(DhGroup group, BigInteger x) {
    return new ModpKeyExchange(group, x);
  }

  @Override
  public DhGroup group() {
    return group;
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public Secret agree(byte[] peerPublic) {
    if (x == null) {
      throw new IllegalStateException("key exchange destroyed");
    }
    if (peerPublic.length != group.publicKeyLength()) {
      throw new InvalidPeerKeyException("MODP public value of " + peerPublic.length + " bytes");
    }
    BigInteger p = group.prime();
    BigInteger y = new BigInteger(1, peerPublic);
    if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
      throw new InvalidPeerKeyException("MODP public value out of range");
    }
    return Secret.wrap(fixed(y.modPow(x, p), group.publicKeyLength()));
  }

  /** Big-endian, left-padded to {@code len} bytes. */
  static byte[] fixed(BigInteger v, int len) {
    byte[] b = v.toByteArray();
    if (b.length == len) {
      return b;
    }
    if (b.length > len) {
      return Arrays.copyOfRange(b, b.length - len, b.length);
    }
    byte[] out = new byte[len];
    System.arraycopy(b, 0, out, len - b.length, b.length);
    return out;
  }

  @Override
  public void destroy() {
    x = null;
  }
}
