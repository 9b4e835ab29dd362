package dev.coati.crypto.pki;

import dev.coati.util.RandomSource;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;

/** {@link Signer} on the JDK's providers ({@code NONEwithRSA}, ECDSA in IEEE P1363 form). */
final class JcaSigner implements Signer {
  private final PrivateKey key;
  private final SignatureScheme scheme;
  private final RandomSource random;

  JcaSigner(PrivateKey key, SignatureScheme scheme, RandomSource random) {
    this.key = key;
    this.scheme = scheme;
    this.random = random;
  }

  @Override
  public SignatureScheme scheme() {
    return scheme;
  }

  @Override
  public byte[] sign(byte[] hash) {
    if (key instanceof RSAKey rsa && hash.length > (rsa.getModulus().bitLength() + 7) / 8 - 11) {
      throw new PkiException("hash of " + hash.length + " bytes too long for the RSA key");
    }
    try {
      Signature s = Signature.getInstance(scheme.jceName());
      s.initSign(key, RandomAdapter.of(random));
      s.update(hash);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new PkiException("signing with " + scheme + " failed: " + e.getMessage(), e);
    }
  }
}
