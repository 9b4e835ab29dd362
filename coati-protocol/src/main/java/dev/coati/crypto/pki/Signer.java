package dev.coati.crypto.pki;

import dev.coati.util.RandomSource;
import java.security.PrivateKey;

/**
 * Makes the IKEv1 SIG payload's signature over HASH_I or HASH_R (RFC 2409 §5.1) with our private
 * key. The engine computes the hash with the negotiated PRF and hands it over unchanged.
 */
public interface Signer {
  /** The method this signer implements (the SA's authentication method must match). */
  SignatureScheme scheme();

  /** The signature over {@code hash}, in the wire form of {@link #scheme()}. */
  byte[] sign(byte[] hash);

  /**
   * A signer for an RSA or EC (P-256, P-384) private key; ECDSA draws nonces from {@code random}.
   */
  static Signer of(PrivateKey key, RandomSource random) {
    return new JcaSigner(key, SignatureScheme.forKey(key), random);
  }
}
