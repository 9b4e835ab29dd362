package dev.coati.crypto;

import dev.coati.util.RandomSource;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/** ECDH on the NIST curves (groups 19-21, RFC 5903) and X25519 (group 31) through the JCE. */
final class EcGroups {
  private EcGroups() {}

  static String curveName(DhGroup g) {
    return switch (g) {
      case ECP_256 -> "secp256r1";
      case ECP_384 -> "secp384r1";
      case ECP_521 -> "secp521r1";
      default -> throw new IllegalArgumentException(g + " is not an ECP group");
    };
  }

  static boolean available(DhGroup g) {
    try {
      if (g == DhGroup.CURVE25519) {
        KeyAgreement.getInstance("X25519");
      } else {
        params(g);
        KeyAgreement.getInstance("ECDH");
      }
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static ECParameterSpec params(DhGroup g) throws GeneralSecurityException {
    AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
    ap.init(new ECGenParameterSpec(curveName(g)));
    return ap.getParameterSpec(ECParameterSpec.class);
  }

  static KeyExchange generate(DhGroup g, RandomSource random) {
    try {
      SecureRandom sr = new SourceRandom(random);
      if (g == DhGroup.CURVE25519) {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("X25519");
        kpg.initialize(NamedParameterSpec.X25519, sr);
        KeyPair kp = kpg.generateKeyPair();
        return new Ec(g, kp.getPrivate(), x25519Bytes(((XECPublicKey) kp.getPublic()).getU()));
      }
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec(curveName(g)), sr);
      KeyPair kp = kpg.generateKeyPair();
      ECPoint w = ((ECPublicKey) kp.getPublic()).getW();
      return new Ec(g, kp.getPrivate(), encodePoint(g, w));
    } catch (GeneralSecurityException e) {
      throw new CryptoException(g + " key generation failed", e);
    }
  }

  static KeyExchange fromPrivate(DhGroup g, byte[] priv) {
    try {
      if (g == DhGroup.CURVE25519) {
        PrivateKey pk =
            KeyFactory.getInstance("X25519")
                .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, priv.clone()));
        byte[] base = new byte[32];
        base[0] = 9;
        Ec tmp = new Ec(g, pk, base);
        byte[] pub = tmp.agree(base).bytes();
        return new Ec(g, pk, pub);
      }
      ECParameterSpec spec = params(g);
      BigInteger d = new BigInteger(1, priv);
      PrivateKey pk = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, spec));
      return new Ec(g, pk, encodePoint(g, EcMath.multiply(spec, d)));
    } catch (GeneralSecurityException e) {
      throw new CryptoException(g + " private key rejected", e);
    }
  }

  static byte[] encodePoint(DhGroup g, ECPoint w) {
    int len = g.publicKeyLength() / 2;
    byte[] out = new byte[2 * len];
    System.arraycopy(ModpKeyExchange.fixed(w.getAffineX(), len), 0, out, 0, len);
    System.arraycopy(ModpKeyExchange.fixed(w.getAffineY(), len), 0, out, len, len);
    return out;
  }

  /** RFC 7748 encoding: 32 bytes little-endian. */
  static byte[] x25519Bytes(BigInteger u) {
    byte[] be = ModpKeyExchange.fixed(u, 32);
    byte[] le = new byte[32];
    for (int i = 0; i < 32; i++) {
      le[i] = be[31 - i];
    }
    return le;
  }

  /** One ECDH or X25519 key pair. */
  private static final class Ec implements KeyExchange {
    private final DhGroup group;
    private PrivateKey privateKey;
    private final byte[] publicKey;

    Ec(DhGroup group, PrivateKey privateKey, byte[] publicKey) {
      this.group = group;
      this.privateKey = privateKey;
      this.publicKey = publicKey;
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
    public Secret agree(byte[] peer) {
      if (privateKey == null) {
        throw new IllegalStateException("key exchange destroyed");
      }
      if (peer.length != group.publicKeyLength()) {
        throw new InvalidPeerKeyException(group + " public value of " + peer.length + " bytes");
      }
      try {
        return group == DhGroup.CURVE25519 ? x25519(peer) : ecdh(peer);
      } catch (GeneralSecurityException | IllegalStateException e) {
        throw new InvalidPeerKeyException(group + " peer value rejected: " + e.getMessage());
      }
    }

    private Secret x25519(byte[] peer) throws GeneralSecurityException {
      byte[] be = new byte[32];
      for (int i = 0; i < 32; i++) {
        be[i] = peer[31 - i];
      }
      be[0] &= 0x7f; // RFC 7748 section 5: mask the top bit of the u-coordinate
      XECPublicKeySpec spec =
          new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be));
      KeyAgreement ka = KeyAgreement.getInstance("X25519");
      ka.init(privateKey);
      ka.doPhase(KeyFactory.getInstance("X25519").generatePublic(spec), true);
      byte[] s = ka.generateSecret();
      if (Arrays.equals(s, new byte[32])) {
        throw new InvalidPeerKeyException("X25519 shared secret is zero");
      }
      return Secret.wrap(s);
    }

    private Secret ecdh(byte[] peer) throws GeneralSecurityException {
      ECParameterSpec spec = params(group);
      int len = peer.length / 2;
      BigInteger x = new BigInteger(1, Arrays.copyOfRange(peer, 0, len));
      BigInteger y = new BigInteger(1, Arrays.copyOfRange(peer, len, peer.length));
      if (!EcMath.onCurve(spec, x, y)) {
        throw new InvalidPeerKeyException(group + " point not on the curve");
      }
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(privateKey);
      ka.doPhase(
          KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec)),
          true);
      return Secret.wrap(ModpKeyExchange.fixed(new BigInteger(1, ka.generateSecret()), len));
    }

    @Override
    public void destroy() {
      privateKey = null;
    }
  }

  /** Feeds the JCE key generators from a {@link RandomSource}. */
  private static final class SourceRandom extends SecureRandom {
    private final transient RandomSource source;

    SourceRandom(RandomSource source) {
      this.source = source;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      source.nextBytes(bytes);
    }

    @Override
    public byte[] generateSeed(int n) {
      return source.bytes(n);
    }
  }

  /** Field prime of a curve. */
  static BigInteger fieldPrime(ECParameterSpec spec) {
    ECField f = spec.getCurve().getField();
    return ((ECFieldFp) f).getP();
  }
}
