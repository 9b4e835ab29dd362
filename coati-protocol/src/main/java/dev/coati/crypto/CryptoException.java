package dev.coati.crypto;

/** A cryptographic operation could not be done (bad lengths, missing JCE algorithm). */
public class CryptoException extends RuntimeException {
  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
