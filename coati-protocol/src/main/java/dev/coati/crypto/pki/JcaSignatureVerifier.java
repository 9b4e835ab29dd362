package dev.coati.crypto.pki;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAKey;

/** {@link SignatureVerifier} on the JDK's providers. */
final class JcaSignatureVerifier implements SignatureVerifier {
  private final PublicKey key;
  private final SignatureScheme scheme;

  JcaSignatureVerifier(PublicKey key, SignatureScheme scheme) {
    this.key = key;
    this.scheme = scheme;
  }

  @Override
  public SignatureScheme scheme() {
    return scheme;
  }

  @Override
  public boolean verify(byte[] hash, byte[] signature) {
    if (!lengthFits(signature)) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(scheme.jceName());
      s.initVerify(key);
      s.update(hash);
      return s.verify(signature);
    } catch (SignatureException e) {
      return false; // malformed signature: not valid
    } catch (GeneralSecurityException e) {
      throw new PkiException("verifying with " + scheme + " failed: " + e.getMessage(), e);
    }
  }

  private boolean lengthFits(byte[] signature) {
    if (key instanceof RSAKey rsa) {
      return signature.length == (rsa.getModulus().bitLength() + 7) / 8;
    }
    return signature.length == 2 * scheme.fieldBytes();
  }
}
