package dev.coati.crypto.pki;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/**
 * The IKEv1 signature methods and how each signs HASH_I / HASH_R.
 *
 * <ul>
 *   <li>{@link #RSA_PKCS1} (authentication method 3, RFC 2409 §5.1): the hash from the negotiated
 *       PRF is padded with PKCS#1 v1.5 type 1 and encrypted with the private key, <em>without</em>
 *       a DigestInfo (RFC 8017 §9.2 step 2 is skipped), as racoon and strongSwan do ({@code
 *       SIGN_RSA_EMSA_PKCS1_NULL}); the JCE calls this {@code NONEwithRSA}.
 *   <li>{@link #ECDSA_P256_SHA256} and {@link #ECDSA_P384_SHA384} (methods 9 and 10, RFC 4754 §3
 *       and §7): ECDSA over the hash with SHA-256 / SHA-384 on P-256 / P-384, the signature being
 *       r‖s, each of the curve's size (32 or 48 bytes), big-endian.
 * </ul>
 */
public enum SignatureScheme {
  RSA_PKCS1(3, "NONEwithRSA", 0),
  ECDSA_P256_SHA256(9, "SHA256withECDSAinP1363Format", 32),
  ECDSA_P384_SHA384(10, "SHA384withECDSAinP1363Format", 48);

  private final int authMethod;
  private final String jceName;
  private final int fieldBytes;

  SignatureScheme(int authMethod, String jceName, int fieldBytes) {
    this.authMethod = authMethod;
    this.jceName = jceName;
    this.fieldBytes = fieldBytes;
  }

  /** The IKEv1 authentication method number (RFC 2409 Appendix A, RFC 4754 §7). */
  public int authMethod() {
    return authMethod;
  }

  /** For ECDSA, the length of r and of s in bytes; 0 for RSA. */
  public int fieldBytes() {
    return fieldBytes;
  }

  String jceName() {
    return jceName;
  }

  /**
   * The scheme a key signs with: RSA keys {@link #RSA_PKCS1}, EC keys on P-256 or P-384 the ECDSA
   * scheme of that curve; any other key or curve throws.
   */
  public static SignatureScheme forKey(Key key) {
    if (key instanceof RSAKey) {
      return RSA_PKCS1;
    }
    if (key instanceof ECKey ec) {
      BigInteger order = ec.getParams().getOrder();
      if (order.equals(Curves.P256_ORDER)) {
        return ECDSA_P256_SHA256;
      }
      if (order.equals(Curves.P384_ORDER)) {
        return ECDSA_P384_SHA384;
      }
      throw new PkiException("EC key on an unsupported curve (IKEv1 signatures: P-256, P-384)");
    }
    throw new PkiException("unsupported key algorithm " + key.getAlgorithm() + " (RSA or EC)");
  }

  private static final class Curves {
    static final BigInteger P256_ORDER = order("secp256r1");
    static final BigInteger P384_ORDER = order("secp384r1");

    private static BigInteger order(String name) {
      try {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec(name));
        return p.getParameterSpec(ECParameterSpec.class).getOrder();
      } catch (GeneralSecurityException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }
}
