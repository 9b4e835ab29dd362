package dev.coati.crypto.pki;

import java.security.PublicKey;
import java.security.cert.X509Certificate;

/** Checks a peer's IKEv1 SIG payload over HASH_I or HASH_R (RFC 2409 §5.1) with its public key. */
public interface SignatureVerifier {
  /** The method this verifier implements. */
  SignatureScheme scheme();

  /** True when {@code signature} is a valid signature over {@code hash}; false otherwise. */
  boolean verify(byte[] hash, byte[] signature);

  /** A verifier for an RSA or EC (P-256, P-384) public key. */
  static SignatureVerifier of(PublicKey key) {
    return new JcaSignatureVerifier(key, SignatureScheme.forKey(key));
  }

  /** A verifier for the key of a (verified) peer certificate. */
  static SignatureVerifier of(X509Certificate certificate) {
    return of(certificate.getPublicKey());
  }
}
