package dev.coati.crypto.pki;

import dev.coati.crypto.CryptoException;

/**
 * A certificate, key or CRL could not be read, built or used. Messages name the file and what was
 * found; they never contain key material or passwords.
 */
public class PkiException extends CryptoException {
  public PkiException(String message) {
    super(message);
  }

  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
