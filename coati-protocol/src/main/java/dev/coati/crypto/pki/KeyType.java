package dev.coati.crypto.pki;

import dev.coati.util.RandomSource;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/**
 * Key pairs {@code coati pki} generates. RSA 2048 is Apple's minimum for trusted certificates;
 * P-256 is what every client with ECDSA (RFC 4754) supports.
 */
public enum KeyType {
  RSA_2048("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4)),
  RSA_3072("RSA", new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4)),
  EC_P256("EC", new ECGenParameterSpec("secp256r1")),
  EC_P384("EC", new ECGenParameterSpec("secp384r1"));

  private final String algorithm;
  private final AlgorithmParameterSpec spec;

  KeyType(String algorithm, AlgorithmParameterSpec spec) {
    this.algorithm = algorithm;
    this.spec = spec;
  }

  /** A new key pair drawn from {@code random}. */
  public KeyPair generate(RandomSource random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      g.initialize(spec, RandomAdapter.of(random));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot generate a " + this + " key: " + e.getMessage(), e);
    }
  }

  /**
   * The X.509 signature algorithm a CA key signs certificates with: SHA-256 for RSA and P-256,
   * SHA-384 for P-384 (RFC 5758 §3.2).
   */
  static String certificateSignatureAlgorithm(PrivateKey issuerKey) {
    return switch (SignatureScheme.forKey(issuerKey)) {
      case RSA_PKCS1 -> "SHA256withRSA";
      case ECDSA_P256_SHA256 -> "SHA256withECDSA";
      case ECDSA_P384_SHA384 -> "SHA384withECDSA";
    };
  }
}
